#include "support/fake_program.h"

#include <pthread.h>
#include <time.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <optional>

namespace jobhost::testing {

namespace {

// The whole text as a finite double, or nullopt.
std::optional<double> to_double(const std::string& value) {
  char* end = nullptr;
  errno = 0;
  double parsed = std::strtod(value.c_str(), &end);
  if (value.empty() || end != value.c_str() + value.size() || errno == ERANGE ||
      !std::isfinite(parsed)) {
    return std::nullopt;
  }
  return parsed;
}

// A number formatted the shortest way: "100000", "0.5".
std::string shortest(double value) {
  std::string text = std::to_string(value);
  if (text.find('.') != std::string::npos) {
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

}  // namespace

std::uint64_t parse_unsigned(std::string_view option, const std::string& value, std::uint64_t max) {
  if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos) {
    throw UsageError{std::string(option) + ": not a non-negative integer: '" + value + "'"};
  }
  errno = 0;
  unsigned long long parsed = std::strtoull(value.c_str(), nullptr, 10);
  if (errno == ERANGE || parsed > max) {
    throw UsageError{std::string(option) + ": too large: '" + value + "'"};
  }
  return parsed;
}

double parse_seconds(std::string_view option, const std::string& value) {
  std::optional<double> parsed = to_double(value);
  if (!parsed || *parsed <= 0.0 || *parsed > 86400.0) {
    throw UsageError{std::string(option) + ": not a number of seconds above 0: '" + value + "'"};
  }
  return *parsed;
}

double parse_fraction(std::string_view option, const std::string& value) {
  std::optional<double> parsed = to_double(value);
  if (!parsed || *parsed < 0.0 || *parsed > 1.0) {
    throw UsageError{std::string(option) + ": not a fraction between 0 and 1: '" + value + "'"};
  }
  return *parsed;
}

double parse_number(std::string_view option, const std::string& value, double min, double max,
                    std::string_view what) {
  std::optional<double> parsed = to_double(value);
  if (!parsed || *parsed < min || *parsed > max) {
    throw UsageError{std::string(option) + ": not " + std::string(what) + " between " +
                     shortest(min) + " and " + shortest(max) + ": '" + value + "'"};
  }
  return *parsed;
}

void read_options(
    int argc, char** argv, const std::vector<std::string_view>& flags,
    const std::vector<std::string_view>& with_value,
    const std::function<void(const std::string& name, const std::string& value)>& on_option) {
  std::vector<std::string> words(argv + 1, argv + argc);
  auto listed = [](const std::vector<std::string_view>& names, const std::string& name) {
    for (auto known : names) {
      if (known == name) return true;
    }
    return false;
  };
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (listed(flags, word)) {
      on_option(word, "");
      continue;
    }
    if (word.rfind("--", 0) != 0) throw UsageError{"unexpected argument '" + word + "'"};
    std::string name = word;
    std::optional<std::string> value;
    if (auto eq = word.find('='); eq != std::string::npos) {
      name = word.substr(0, eq);
      value = word.substr(eq + 1);
    }
    if (!listed(with_value, name)) throw UsageError{"unknown option '" + name + "'"};
    if (!value) {
      if (i + 1 >= words.size()) throw UsageError{name + ": needs a value"};
      value = words[++i];
    }
    on_option(name, *value);
  }
}

int usage_error_exit(std::string_view program, const UsageError& error) {
  std::cerr << program << ": " << error.message << "\n(" << program
            << " --help lists the options)\n";
  return 2;
}

StopSignals::StopSignals() {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGTERM);
  sigaddset(&signals_, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
}

void StopSignals::wait() {
  int received = 0;
  while (sigwait(&signals_, &received) != 0) {
  }
}

bool StopSignals::wait_for(double seconds) {
  using Clock = std::chrono::steady_clock;
  auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(seconds));
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    timespec wait{static_cast<time_t>(left.count() / 1'000'000'000),
                  static_cast<long>(left.count() % 1'000'000'000)};
    int received = sigtimedwait(&signals_, nullptr, &wait);
    if (received == SIGTERM || received == SIGINT) return true;
    if (received < 0 && errno == EAGAIN) return false;
    // EINTR (another signal's handler ran): wait for the rest of the time.
  }
}

}  // namespace jobhost::testing
