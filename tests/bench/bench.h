// jobhost-bench: the one benchmark program. Each benchmark is one file that registers a
// subcommand with JOBHOST_BENCHMARK; main.cc dispatches to it. A benchmark prints its figures
// as `key=value` lines on stdout (one per line, machine-readable) and its progress on stderr.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace jobhost::bench {

// Bad command line: main prints it with the subcommand's usage and exits with 2.
class UsageError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// The benchmark could not do, or did not do, the work it measures (a job that did not
// complete, a missing event): main prints it and exits with 1, so no figure can stand for
// work that did not happen.
class BenchFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The options after the subcommand: `--name value` or `--name=value`, and bare flags.
// Each take_* consumes what it reads; finish() refuses anything left over.
class Args {
 public:
  explicit Args(std::vector<std::string> tokens) : tokens_(std::move(tokens)) {}

  std::optional<std::string> take(std::string_view name);
  std::string take_or(std::string_view name, std::string fallback);
  // An integer within [min, max]; UsageError naming the option otherwise.
  int64_t take_int(std::string_view name, int64_t fallback, int64_t min, int64_t max);
  bool take_flag(std::string_view name);
  // UsageError naming the first argument nobody took.
  void finish() const;

 private:
  std::vector<std::string> tokens_;
};

struct Benchmark {
  std::string_view name;     // the subcommand
  std::string_view usage;    // its options, e.g. "--store sqlite|postgres [--jobs N]"
  std::string_view summary;  // one line for `jobhost-bench --help`
  int (*run)(Args& args);    // returns the exit code; may throw UsageError / BenchFailure
};

// Adds a benchmark to the table main() dispatches from; returns true (to initialise a static).
bool register_benchmark(const Benchmark& benchmark);
// Every registered benchmark, sorted by name.
const std::vector<Benchmark>& benchmarks();
const Benchmark* find_benchmark(std::string_view name);

// One `key=value` line on stdout, flushed at once (a crash later keeps what was printed).
void print_figure(std::string_view key, std::string_view value);
void print_figure(std::string_view key, int64_t value);
void print_figure(std::string_view key, double value, int decimals = 3);
// A progress or diagnostic line on stderr, prefixed with "jobhost-bench: ".
void note(std::string_view text);

// Nearest rank over `sorted` (ascending, in microseconds): the smallest value with at least
// p of the sample at or below it, in milliseconds; 0 for an empty sample.
double percentile(const std::vector<int64_t>& sorted, double p);

// From /proc/self/status: VmRSS (resident now) and VmHWM (peak resident), in kB.
int64_t rss_kb();
int64_t peak_rss_kb();

// The absolute path of this executable, to run a subcommand in a fresh child process.
std::string self_executable();
// Seconds on a monotonic clock since an arbitrary start.
double monotonic_seconds();
// The type of the file system holding `path` ("ext4", "tmpfs", "overlay", or a hex magic).
std::string filesystem_type(const std::string& path);

}  // namespace jobhost::bench

// Registers a subcommand from the file that implements it (at namespace scope):
//   JOBHOST_BENCHMARK("dispatch", "--store sqlite|postgres", "No-op jobs ...", run_dispatch);
#define JOBHOST_BENCHMARK(name, usage, summary, function) \
  JOBHOST_BENCH_REGISTER_AT(__COUNTER__,                  \
                            (::jobhost::bench::Benchmark{name, usage, summary, function}))
#define JOBHOST_BENCH_REGISTER_AT(counter, benchmark) JOBHOST_BENCH_REGISTER_AT2(counter, benchmark)
#define JOBHOST_BENCH_REGISTER_AT2(counter, benchmark)                    \
  [[maybe_unused]] static const bool jobhost_bench_registered_##counter = \
      ::jobhost::bench::register_benchmark(benchmark)
