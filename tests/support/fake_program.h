#pragma once

#include <signal.h>

#include <cstdint>
#include <functional>
#include <iostream>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

// What the programs of the fakes (fake-kubernetes, fake-zabbix, fake-meraki) share: reading
// "--name value" / "--name=value" options with messages that name the option, and serving
// until SIGTERM or SIGINT. Their conventions: a bad option prints
// "<program>: <message>\n(<program> --help lists the options)" and exits 2.
namespace jobhost::testing {

// A bad command line; `message` names the option ("--port: too large: '70000'").
struct UsageError {
  std::string message;
};

// A non-negative decimal integer no larger than `max`; UsageError naming `option` otherwise.
std::uint64_t parse_unsigned(std::string_view option, const std::string& value,
                             std::uint64_t max = std::numeric_limits<std::uint64_t>::max());
// A number of seconds above 0 and at most a day, decimals allowed ("0.25").
double parse_seconds(std::string_view option, const std::string& value);
// A fraction between 0 and 1 (both included).
double parse_fraction(std::string_view option, const std::string& value);
// A finite number between `min` and `max` (both included), decimals allowed; `what` says
// what it is in the message: "--rate: not a number of requests a second between 0 and
// 100000: 'x'".
double parse_number(std::string_view option, const std::string& value, double min, double max,
                    std::string_view what);

// Reads argv[1..] in order and hands each option to `on_option`:
//   - a word in `flags` (exact match, e.g. "--help", "-h", "--strict-params") comes with an
//     empty value;
//   - a word "--name=value" or "--name" followed by the next word, for a name in
//     `with_value`, comes with its value (which may be empty).
// Throws UsageError for anything else ("unexpected argument 'x'", "unknown option '--x'",
// "--x: needs a value"); `on_option` throws UsageError for a bad value.
void read_options(
    int argc, char** argv, const std::vector<std::string_view>& flags,
    const std::vector<std::string_view>& with_value,
    const std::function<void(const std::string& name, const std::string& value)>& on_option);

// Prints a usage error the way the fakes' programs do and returns their exit code, 2.
int usage_error_exit(std::string_view program, const UsageError& error);

// SIGTERM and SIGINT, received synchronously. Make one before the first thread starts (the
// servers' threads inherit the blocked mask, so only the waits below ever see the signals).
class StopSignals {
 public:
  StopSignals();  // blocks SIGTERM and SIGINT in the calling thread
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  // Returns once SIGTERM or SIGINT arrives.
  void wait();
  // Waits at most `seconds`: true when SIGTERM or SIGINT arrived, false when the time ran out
  // (for "every S seconds do something until stopped").
  bool wait_for(double seconds);

 private:
  sigset_t signals_;
};

// The life every fake program shares: parse the options (a UsageError: its message, exit 2),
// `--help` (print `usage`, exit 0), block the stop signals before any server thread starts,
// then `serve` until it returns. An std::invalid_argument out of it (a bad option the fake
// itself refused) exits 2 with its message; any other exception exits 1, naming the program.
template <class Arguments, class Parse, class Serve>
int run_fake_program(std::string_view program, std::string_view usage, int argc, char** argv,
                     Parse parse, Serve serve) {
  Arguments args;
  try {
    args = parse(argc, argv);
  } catch (const UsageError& error) {
    return usage_error_exit(program, error);
  }
  if (args.help) {
    std::cout << usage;
    return 0;
  }
  StopSignals stop_signals;
  try {
    serve(args, stop_signals);
  } catch (const std::invalid_argument& error) {
    std::cerr << error.what() << '\n';
    return 2;
  } catch (const std::exception& error) {
    std::cerr << program << ": " << error.what() << '\n';
    return 1;
  }
  return 0;
}

// Until SIGTERM or SIGINT: with `every` (seconds), `tick()` each time it passes.
template <class Tick>
void serve_until_stopped(StopSignals& stop_signals, std::optional<double> every, Tick tick) {
  if (!every) {
    stop_signals.wait();
    return;
  }
  while (!stop_signals.wait_for(*every)) tick();
}

}  // namespace jobhost::testing
