// jobhost-bench SUBCOMMAND [options]: runs one benchmark. The subcommands are whatever the
// files of tests/bench/ registered with JOBHOST_BENCHMARK.
//
// Exit codes: 0 measured; 1 the benchmark failed (the work did not happen as it should, or
// what it needs could not be started); 2 bad command line; 77 skipped (only a benchmark given
// --skip-without-postgres, without PostgreSQL outside CI: ctest's SKIP_RETURN_CODE).
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "bench.h"

namespace {

void print_help(std::ostream& out) {
  out << "usage: jobhost-bench SUBCOMMAND [options]\n"
         "Prints its figures as key=value lines on stdout.\n\nsubcommands:\n";
  for (const auto& b : jobhost::bench::benchmarks()) {
    out << "  " << b.name << ' ' << b.usage << "\n      " << b.summary << '\n';
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace jobhost::bench;
  const std::string command = argc > 1 ? argv[1] : "";
  if (command.empty() || command == "--help" || command == "-h" || command == "help") {
    print_help(command.empty() ? std::cerr : std::cout);
    return command.empty() ? 2 : 0;
  }
  const Benchmark* benchmark = find_benchmark(command);
  if (!benchmark) {
    std::cerr << "jobhost-bench: unknown subcommand '" << command << "'\n";
    print_help(std::cerr);
    return 2;
  }
  Args args(std::vector<std::string>(argv + 2, argv + argc));
  try {
    return benchmark->run(args);
  } catch (const UsageError& e) {
    std::cerr << "jobhost-bench " << benchmark->name << ": " << e.what()
              << "\nusage: jobhost-bench " << benchmark->name << ' ' << benchmark->usage << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "jobhost-bench " << benchmark->name << ": FAILED: " << e.what() << '\n';
    return 1;
  }
}
