#include "daemon/daemon_harness.h"

#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "jobs/job_store.h"
#include "support/sql_probe.h"

namespace jobhost::testing {

std::string daemon_yaml(const HostSetup& setup, std::string_view extra) {
  std::string y = host_yaml(setup);
  const std::string warn = "log:\n  level: warn\n";
  if (auto pos = y.find(warn); pos != std::string::npos)
    y.replace(pos, warn.size(), "log:\n  level: info\n");
  return y + std::string(extra);
}

std::string daemon_yaml(const HostSetup& setup, std::string_view extra,
                        std::string_view host_keys) {
  std::string y = daemon_yaml(setup, extra);
  const std::string name = "host:\n  name: " + setup.host_name + "\n";
  const auto pos = y.find(name);
  if (pos == std::string::npos) {
    ADD_FAILURE() << "no host section to add " << host_keys << " to:\n" << y;
    return y;
  }
  y.insert(pos + name.size(), host_keys);
  return y;
}

std::string instance_prefix(pid_t pid, std::string_view host_name) {
  return std::string(host_name) + "/" + std::to_string(pid) + ".";
}

Daemon::Daemon(const Cli& cli, std::vector<std::string> args)
    : process_([&] {
        std::vector<std::string> argv = {"run"};
        argv.insert(argv.end(), args.begin(), args.end());
        return cli.spawn(argv);
      }()) {}

bool Daemon::wait_ready(std::chrono::milliseconds timeout) {
  return process_.wait_for_output(" running as ", timeout);
}

std::optional<ExitStatus> Daemon::stop(int signal, std::chrono::milliseconds timeout) {
  process_.kill(signal);
  return process_.wait(timeout);
}

StoreProbe::StoreProbe(const StoreTarget& target) {
  database_ = target.open_database();
  session_ = database_->open();
}

StoreProbe::~StoreProbe() = default;

int64_t StoreProbe::count(const std::string& sql) {
  return scalar(*session_, sql);
}

std::vector<jobs::JobRecord> StoreProbe::jobs(const std::string& type) {
  jobs::JobFilter f;
  if (!type.empty()) f.type = type;
  f.limit = 100000;
  auto rows = jobs::JobStore(*session_).list(f);
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return rows;
}

std::optional<jobs::JobRecord> StoreProbe::job(int64_t id) {
  return jobs::JobStore(*session_).get(id);
}

std::vector<jobs::EventRecord> StoreProbe::events(int64_t job_id) {
  jobs::EventFilter f;
  if (job_id != 0) f.job_id = job_id;
  f.limit = 100000;
  return jobs::JobStore(*session_).events(f);
}

std::optional<schedule::ScheduleRecord> StoreProbe::schedule(const std::string& type) {
  return schedule::ScheduleStore(*session_).find(type, "");
}

int64_t StoreProbe::slots_fired_twice() {
  return count(
      "SELECT COUNT(*) FROM (SELECT schedule_id, scheduled_at FROM jh_jobs WHERE schedule_id IS "
      "NOT NULL GROUP BY schedule_id, scheduled_at HAVING COUNT(*) > 1) dup");
}

namespace {

// 'T' once every thread of the process stopped.
bool stopped(pid_t pid) {
  std::error_code ec;
  for (const auto& task :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
    const std::string stat = read_file(task.path() / "stat");
    const auto paren = stat.rfind(')');
    if (paren == std::string::npos || paren + 2 >= stat.size()) return false;
    if (stat[paren + 2] != 'T') return false;
  }
  return !ec;
}

}  // namespace

bool suspend_outside_write_lock(pid_t pid, const StoreTarget& store) {
  store::DatabaseOptions o;
  o.dialect = store::Dialect::sqlite;
  o.sqlite_path = store.location;
  o.busy_timeout_ms = 500;  // longer than any transaction of the others, far shorter than a pause
  store::Database db(o);
  auto session = db.open();
  for (int attempt = 0; attempt < 20; ++attempt) {
    ::kill(pid, SIGSTOP);
    if (!eventually([&] { return stopped(pid); }, std::chrono::seconds(5))) return false;
    try {
      session->begin_write();
      session->rollback();
      return true;
    } catch (const store::StoreError&) {
      // Stopped inside a write transaction: let it finish and try again.
    }
    ::kill(pid, SIGCONT);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

void resume(pid_t pid) {
  ::kill(pid, SIGCONT);
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto give_up = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

Micros json_time(const nlohmann::json& value) {
  if (!value.is_string()) return 0;
  auto t = parse_time(value.get<std::string>(), now_micros());
  EXPECT_TRUE(t.has_value()) << "not a time: " << value;
  return t.value_or(0);
}

nlohmann::json schedule_json(const Cli& cli, const std::string& type) {
  auto all = cli.json({"schedules", "--json"});
  nlohmann::json found;
  int n = 0;
  if (all.is_array())
    for (const auto& s : all)
      if (s.value("job_type", "") == type && s.value("key", "") == "") {
        found = s;
        ++n;
      }
  if (n > 1) {
    ADD_FAILURE() << n << " schedules of " << type << ": " << all.dump(2);
    return nullptr;
  }
  return found;
}

std::string unique_violations(const std::string& log) {
  std::string hits;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    std::string lower = line;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower.find("unique") != std::string::npos ||
        lower.find("duplicate key") != std::string::npos)
      hits += line + "\n";
  }
  return hits;
}

std::string error_lines(const std::string& log) {
  std::string hits;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string date, time, level;
    fields >> date >> time >> level;
    // On a terminal the level is coloured: "\x1b[31merror\x1b[m".
    for (auto esc = level.find('\x1b'); esc != std::string::npos; esc = level.find('\x1b')) {
      const auto end = level.find('m', esc);
      level.erase(esc, end == std::string::npos ? std::string::npos : end - esc + 1);
    }
    if (level == "error" || level == "critical") hits += line + "\n";
  }
  return hits;
}

}  // namespace jobhost::testing
