// Helpers of the daemon tests: configurations with `schedules:` and `jobs:` sections, `jobhost
// run` as a child process, and a read-only look at the store the processes share.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/cli_harness.h"
#include "core/time.h"
#include "jobs/job.h"
#include "schedule/schedule_store.h"
#include "store/database.h"
#include "support/host_fixture.h"
#include "support/process.h"

namespace jobhost::testing {

inline constexpr Micros kSecond = 1000000;

// testkit.every declares a default schedule (every 1s); a test that does not want it running
// turns it off with this line in its `schedules:` section.
inline constexpr std::string_view kEveryOff = "  testkit.every: { enabled: false }\n";

// host_yaml(setup) with logs at info (a daemon then says when it is ready) and `extra` appended:
// whole top-level sections such as "schedules:\n  testkit.write: { every: 1s }\n".
std::string daemon_yaml(const HostSetup& setup, std::string_view extra);
// The same with `host_keys` added to its `host:` section (which host_yaml already writes, with
// the name), e.g. "  heartbeat_s: 1\n  lost_after_s: 3\n".
std::string daemon_yaml(const HostSetup& setup, std::string_view extra, std::string_view host_keys);

// How the instances of a process start: "<host name>/<pid>." (a random suffix follows).
std::string instance_prefix(pid_t pid, std::string_view host_name = "test-host");

// `jobhost run` as a child process of the test, against the configuration of `cli`.
class Daemon {
 public:
  explicit Daemon(const Cli& cli, std::vector<std::string> args = {});

  // True once it logged that it runs (schedules reconciled, timers armed, workers started).
  bool wait_ready(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  pid_t pid() const { return process_.pid(); }
  Process& process() { return process_; }
  std::string log() const { return process_.err(); }

  // Sends `signal` and waits for the exit; nullopt when it is still running after `timeout`.
  std::optional<ExitStatus> stop(int signal, std::chrono::milliseconds timeout);

 private:
  Process process_;
};

// A session on the store of a test, for reading what the processes left there.
class StoreProbe {
 public:
  explicit StoreProbe(const StoreTarget& target);
  ~StoreProbe();

  store::Session& session() { return *session_; }
  int64_t count(const std::string& sql);
  // Every job, by id; of one type when `type` is given.
  std::vector<jobs::JobRecord> jobs(const std::string& type = "");
  std::optional<jobs::JobRecord> job(int64_t id);
  // The events of one job (oldest first), or every event when job_id is 0.
  std::vector<jobs::EventRecord> events(int64_t job_id = 0);
  std::optional<schedule::ScheduleRecord> schedule(const std::string& type);
  // How many (schedule, slot) pairs have more than one job: 0 unless a slot fired twice.
  int64_t slots_fired_twice();

 private:
  std::unique_ptr<store::Database> database_;
  std::unique_ptr<store::Session> session_;
};

// Suspends a process (SIGSTOP), as a host frozen by its hypervisor or a debugger: returns once
// it stands still and holds no write lock on the SQLite file of `store` (tried again after a
// moment of SIGCONT when it was stopped inside a write transaction). False if that never
// happened in 20 tries.
bool suspend_outside_write_lock(pid_t pid, const StoreTarget& store);
void resume(pid_t pid);

// Polls `done` every 20 ms until it is true (returns true) or `timeout` passes (false).
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout);

// A time as the CLI prints it in JSON ("2026-11-24T08:15:02.123456Z"); 0 for null.
Micros json_time(const nlohmann::json& value);

// The entry of `type` in `jobhost schedules --json` (null when there is none, or more than one:
// that failure is reported).
nlohmann::json schedule_json(const Cli& cli, const std::string& type);

// The lines of `log` that mention a unique-index violation ("UNIQUE constraint failed",
// "duplicate key value violates unique constraint"), for asserting there are none.
std::string unique_violations(const std::string& log);

// The lines of `log` (the text format: "<date> <time> <level> [<logger>] <message>") logged at
// level error or critical, for asserting there are none.
std::string error_lines(const std::string& log);

}  // namespace jobhost::testing
