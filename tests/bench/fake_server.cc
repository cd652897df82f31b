#include "fake_server.h"

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <regex>

#include "bench.h"

namespace jobhost::bench {

testing::Process FakeServer::spawn(std::vector<std::string>& argv) {
  argv.at(0) = std::string(JOBHOST_BINARY_DIR) + "/bin/" + argv[0];
  if (!std::filesystem::exists(argv[0]))
    throw BenchFailure(argv[0] + " does not exist: build it first");
  testing::ProcessOptions po;
  po.argv = argv;
  return testing::Process::spawn(po);
}

FakeServer::FakeServer(std::vector<std::string> argv)
    : name_(argv.at(0)), process_((note("starting " + name_), spawn(argv))) {
  if (!process_.wait_for_output("listening on", std::chrono::seconds(120)))
    throw BenchFailure(name_ + " did not start: " + process_.err());
  std::smatch m;
  const std::string out = process_.out();
  if (!std::regex_search(out, m, std::regex("listening on (\\S+)")))
    throw BenchFailure(name_ + " printed no URL: " + out);
  url_ = m[1];
}

FakeServer::~FakeServer() {
  process_.kill(SIGTERM);
  process_.wait(std::chrono::seconds(10));
}

}  // namespace jobhost::bench
