#include "bench.h"

#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

namespace jobhost::bench {

namespace {

std::vector<Benchmark>& registry() {
  static std::vector<Benchmark> table;
  return table;
}

bool is_option(const std::string& token) {
  return token.size() > 2 && token.compare(0, 2, "--") == 0;
}

// The value of a "Name:   1234 kB" line of /proc/self/status, or -1.
int64_t status_kb(std::string_view field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > field.size() && line.compare(0, field.size(), field) == 0 &&
        line[field.size()] == ':') {
      int64_t kb = -1;
      const char* p = line.data() + field.size() + 1;
      const char* end = line.data() + line.size();
      while (p < end && (*p == ' ' || *p == '\t')) ++p;
      std::from_chars(p, end, kb);
      return kb;
    }
  }
  return -1;
}

}  // namespace

std::optional<std::string> Args::take(std::string_view name) {
  const std::string flag = "--" + std::string(name);
  for (auto it = tokens_.begin(); it != tokens_.end(); ++it) {
    if (*it == flag) {
      if (it + 1 == tokens_.end() || is_option(*(it + 1)))
        throw UsageError(flag + " needs a value");
      std::string value = *(it + 1);
      tokens_.erase(it, it + 2);
      return value;
    }
    if (it->size() > flag.size() && it->compare(0, flag.size(), flag) == 0 &&
        (*it)[flag.size()] == '=') {
      std::string value = it->substr(flag.size() + 1);
      tokens_.erase(it);
      return value;
    }
  }
  return std::nullopt;
}

std::string Args::take_or(std::string_view name, std::string fallback) {
  auto v = take(name);
  return v ? *v : std::move(fallback);
}

int64_t Args::take_int(std::string_view name, int64_t fallback, int64_t min, int64_t max) {
  auto v = take(name);
  if (!v) return fallback;
  int64_t n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || end != v->data() + v->size())
    throw UsageError("--" + std::string(name) + ": '" + *v + "' is not an integer");
  if (n < min || n > max)
    throw UsageError("--" + std::string(name) + ": must be between " + std::to_string(min) +
                     " and " + std::to_string(max) + ", got " + *v);
  return n;
}

bool Args::take_flag(std::string_view name) {
  const std::string flag = "--" + std::string(name);
  auto it = std::find(tokens_.begin(), tokens_.end(), flag);
  if (it == tokens_.end()) return false;
  tokens_.erase(it);
  return true;
}

void Args::finish() const {
  if (!tokens_.empty()) throw UsageError("unknown argument '" + tokens_.front() + "'");
}

bool register_benchmark(const Benchmark& benchmark) {
  auto& table = registry();
  if (find_benchmark(benchmark.name)) {
    std::fprintf(stderr, "jobhost-bench: benchmark '%.*s' is registered twice\n",
                 static_cast<int>(benchmark.name.size()), benchmark.name.data());
    std::abort();
  }
  table.push_back(benchmark);
  std::sort(table.begin(), table.end(),
            [](const Benchmark& a, const Benchmark& b) { return a.name < b.name; });
  return true;
}

const std::vector<Benchmark>& benchmarks() {
  return registry();
}

const Benchmark* find_benchmark(std::string_view name) {
  for (const auto& b : registry())
    if (b.name == name) return &b;
  return nullptr;
}

void print_figure(std::string_view key, std::string_view value) {
  std::cout << key << '=' << value << std::endl;
}

void print_figure(std::string_view key, int64_t value) {
  print_figure(key, std::string_view(std::to_string(value)));
}

void print_figure(std::string_view key, double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  print_figure(key, std::string_view(text));
}

void note(std::string_view text) {
  std::cerr << "jobhost-bench: " << text << std::endl;
}

double percentile(const std::vector<int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return static_cast<double>(sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1]) / 1000.0;
}

int64_t rss_kb() {
  return status_kb("VmRSS");
}

int64_t peak_rss_kb() {
  return status_kb("VmHWM");
}

std::string self_executable() {
  return std::filesystem::read_symlink("/proc/self/exe").string();
}

double monotonic_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

std::string filesystem_type(const std::string& path) {
  struct statfs fs {};
  if (statfs(path.c_str(), &fs) != 0) return "unknown";
  static const std::map<unsigned long, std::string> names = {
      {0xEF53, "ext2/3/4"},  {0x01021994, "tmpfs"}, {0x794c7630, "overlay"}, {0x58465342, "xfs"},
      {0x9123683E, "btrfs"}, {0x6969, "nfs"},       {0x65735546, "fuse"},    {0x858458f6, "ramfs"}};
  auto it = names.find(static_cast<unsigned long>(fs.f_type));
  if (it != names.end()) return it->second;
  char hex[32];
  std::snprintf(hex, sizeof hex, "0x%lx", static_cast<unsigned long>(fs.f_type));
  return hex;
}

}  // namespace jobhost::bench
