// Running the real `jobhost` binary as a child process, the way an operator or a script does:
// a configuration file written by the test, `--config FILE`, exit codes and output checked.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/host_fixture.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace jobhost::testing {

// build/bin/jobhost
std::string jobhost_binary();

// One configuration file in a fresh directory, and commands run against it.
class Cli {
 public:
  // Writes the configuration of `setup`.
  explicit Cli(const HostSetup& setup);
  // Writes `yaml` as it is.
  explicit Cli(std::string_view yaml);

  const std::string& config_path() const { return config_; }
  const TempDir& dir() const { return dir_; }

  // `jobhost --config FILE args...` in the configuration's directory, with $JOBHOST_CONFIG
  // unset so that nothing but the file decides.
  ProcessOptions options(const std::vector<std::string>& args) const;
  RunResult run(const std::vector<std::string>& args,
                std::chrono::milliseconds timeout = std::chrono::seconds(60)) const;
  Process spawn(const std::vector<std::string>& args) const;
  // run() expecting `exit_code`, its stdout parsed as JSON; on a wrong code or text that is
  // not JSON it adds a failure naming the command and returns null.
  nlohmann::json json(const std::vector<std::string>& args, int exit_code = 0) const;

  // Polls `jobhost job ID --json` until the job has `status`; false after `timeout`.
  bool wait_for_status(int64_t id, std::string_view status,
                       std::chrono::milliseconds timeout = std::chrono::seconds(15)) const;

 private:
  TempDir dir_{"jobhost-cli"};
  std::string config_;
};

// `jobhost args...` without --config, in a fresh directory (help, version, config check).
RunResult run_jobhost(const std::vector<std::string>& args);

// "jobhost ARGS: exit code N, stdout ..., stderr ..." for assertion messages.
std::string describe(const std::vector<std::string>& args, const RunResult& result);

// The job id after "job " or "enqueued job " at the start of `text`; -1 when there is none.
int64_t job_id_in(const std::string& text);

// A configuration on a fresh SQLite file with testkit loaded.
HostSetup sqlite_setup(std::string_view test_name);

// Non-empty lines of a text, without their line ends.
std::vector<std::string> lines_of(const std::string& text);

// A TCP port on 127.0.0.1 on which nothing listens (bound, then released).
int closed_port();

}  // namespace jobhost::testing
