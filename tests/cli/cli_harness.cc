#include "cli/cli_harness.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

namespace jobhost::testing {

namespace {

std::string joined(const std::vector<std::string>& args) {
  std::string s;
  for (const auto& a : args) s += (s.empty() ? "" : " ") + a;
  return s;
}

}  // namespace

std::string jobhost_binary() {
  return std::string(JOBHOST_BINARY_DIR) + "/bin/jobhost";
}

Cli::Cli(const HostSetup& setup) {
  config_ = write_host_config(setup, dir_.path().string());
}

Cli::Cli(std::string_view yaml) {
  config_ = dir_.file("jobhost.yaml").string();
  std::ofstream(config_) << yaml;
}

ProcessOptions Cli::options(const std::vector<std::string>& args) const {
  ProcessOptions o;
  o.argv = {jobhost_binary(), "--config", config_};
  o.argv.insert(o.argv.end(), args.begin(), args.end());
  o.unset_env = {"JOBHOST_CONFIG"};
  o.cwd = dir_.path();
  return o;
}

RunResult Cli::run(const std::vector<std::string>& args, std::chrono::milliseconds timeout) const {
  return run_process(options(args), timeout);
}

Process Cli::spawn(const std::vector<std::string>& args) const {
  return Process::spawn(options(args));
}

nlohmann::json Cli::json(const std::vector<std::string>& args, int exit_code) const {
  RunResult r = run(args);
  if (r.exit_code != exit_code) {
    ADD_FAILURE() << "expected exit code " << exit_code << " from " << describe(args, r);
    return nullptr;
  }
  auto parsed = nlohmann::json::parse(r.out, nullptr, false);
  if (parsed.is_discarded()) {
    ADD_FAILURE() << "stdout is not JSON: " << describe(args, r);
    return nullptr;
  }
  return parsed;
}

bool Cli::wait_for_status(int64_t id, std::string_view status,
                          std::chrono::milliseconds timeout) const {
  const auto give_up = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < give_up) {
    RunResult r = run({"job", std::to_string(id), "--json"});
    if (r.exit_code == 0) {
      auto j = nlohmann::json::parse(r.out, nullptr, false);
      if (!j.is_discarded() && j.value("status", "") == status) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

RunResult run_jobhost(const std::vector<std::string>& args) {
  TempDir dir("jobhost-cli");
  ProcessOptions o;
  o.argv = {jobhost_binary()};
  o.argv.insert(o.argv.end(), args.begin(), args.end());
  o.unset_env = {"JOBHOST_CONFIG"};
  o.cwd = dir.path();
  return run_process(o, std::chrono::seconds(60));
}

std::string describe(const std::vector<std::string>& args, const RunResult& r) {
  std::ostringstream s;
  s << "`jobhost " << joined(args) << "`: "
    << (r.timed_out ? "timed out"
                    : (r.signal ? "signal " + std::to_string(r.signal)
                                : "exit code " + std::to_string(r.exit_code)))
    << "\n--- stdout:\n"
    << tail_lines(r.out, 40) << "\n--- stderr:\n"
    << tail_lines(r.err, 40);
  return s.str();
}

int64_t job_id_in(const std::string& text) {
  static const std::regex id(R"(^(?:enqueued )?job (\d+)\b)");
  std::smatch m;
  if (!std::regex_search(text, m, id)) return -1;
  return std::stoll(m[1].str());
}

HostSetup sqlite_setup(std::string_view test_name) {
  HostSetup setup;
  setup.store = make_store_target(StoreKind::sqlite, test_name);
  setup.plugin_files = {test_plugin("testkit")};
  return setup;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("cannot find a free port");
  }
  const int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

}  // namespace jobhost::testing
