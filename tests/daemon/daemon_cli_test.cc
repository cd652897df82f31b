// `jobhost run`, `tick`, `trigger`, `schedules`, `enable`/`disable`, `reload` and `status` as an
// operator uses them: the real binary against a SQLite file, with the testkit plugin, in real
// time (intervals of 1-2 s, so each case takes a few seconds).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <signal.h>

#include <fstream>
#include <regex>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "daemon/daemon_harness.h"

namespace jobhost {
namespace {

using testing::Cli;
using testing::Daemon;
using testing::eventually;
using ::testing::HasSubstr;
using testing::json_time;
using testing::kSecond;
using ::testing::Not;
using testing::schedule_json;
using namespace std::chrono_literals;
using nlohmann::json;

std::string schedules(const std::string& body) {
  return "schedules:\n" + body + std::string(testing::kEveryOff);
}

class DaemonCliTest : public ::testing::Test {
 protected:
  // A fresh SQLite store with testkit; `extra` is appended to the YAML (schedules:, jobs:).
  void configure(const std::string& extra, int workers = 4) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    setup_ = testing::sqlite_setup(info->name());
    setup_.workers = workers;
    cli_ = std::make_unique<Cli>(testing::daemon_yaml(setup_, extra));
  }
  // Rewrites the configuration file in place (what an operator does before a reload).
  void rewrite(const std::string& extra) {
    std::ofstream(cli().config_path()) << testing::daemon_yaml(setup_, extra);
  }
  Cli& cli() { return *cli_; }
  // Opened on first use, once a jobhost process has created the store.
  testing::StoreProbe& probe() {
    if (!probe_) probe_ = std::make_unique<testing::StoreProbe>(setup_.store);
    return *probe_;
  }
  int64_t enqueue(const std::vector<std::string>& args) {
    std::vector<std::string> a = {"enqueue"};
    a.insert(a.end(), args.begin(), args.end());
    a.push_back("--json");
    auto j = cli().json(a);
    return j.is_object() ? j.value("id", int64_t{-1}) : -1;
  }
  jobs::JobStatus status_of(int64_t id) {
    auto j = probe().job(id);
    return j ? j->status : jobs::JobStatus::pending;
  }
  // The slots (scheduled_at) of the scheduled jobs of `type`, in order.
  std::vector<Micros> slots(const std::string& type) {
    std::vector<Micros> out;
    for (const auto& j : probe().jobs(type))
      if (j.schedule_id) out.push_back(j.scheduled_at);
    std::sort(out.begin(), out.end());
    return out;
  }

  testing::HostSetup setup_;
  std::unique_ptr<Cli> cli_;
  std::unique_ptr<testing::StoreProbe> probe_;
};

std::string gaps_text(const std::vector<Micros>& slots) {
  std::string s;
  for (size_t i = 1; i < slots.size(); ++i)
    s += (i > 1 ? ", " : "") + std::to_string(slots[i] - slots[i - 1]);
  return "gaps (us): " + s;
}

void sleep_until(Micros wall) {
  const Micros left = wall - now_micros();
  if (left > 0) std::this_thread::sleep_for(std::chrono::microseconds(left));
}

// Restart with an overdue schedule: `jobhost tick` from cron, with the host "down" for three
// intervals in between, runs the schedule once, on the grid of its first slot.
TEST_F(DaemonCliTest, TickAfterDowntimeRunsAnOverdueScheduleOnceOnItsGrid) {
  configure(schedules("  testkit.write: { every: 1s, params: { rows: 1 } }\n"));
  const json one = {{"fired", 1}, {"skipped", 0}, {"completed", 1}, {"failed", 0}, {"errored", 0}};
  EXPECT_EQ(cli().json({"tick", "--json"}), one);
  const Micros first = json_time(schedule_json(cli(), "testkit.write")["last_scheduled_at"]);
  ASSERT_GT(first, 0);

  std::this_thread::sleep_for(3300ms);  // three slots pass with nobody firing them
  EXPECT_EQ(cli().json({"tick", "--json"}), one) << "one overdue run, not one per missed slot";
  auto s = schedule_json(cli(), "testkit.write");
  const Micros last = json_time(s["last_scheduled_at"]);
  EXPECT_GE(last - first, 3 * kSecond);
  EXPECT_EQ((last - first) % kSecond, 0) << "the overdue run stands for a slot of the old grid";
  EXPECT_EQ(json_time(s["next_run_at"]), last + kSecond);
  EXPECT_EQ(s["last_outcome"], "completed");
  EXPECT_EQ(slots("testkit.write"), (std::vector<Micros>{first, last}));
  EXPECT_EQ(probe().count("SELECT COUNT(*) FROM testkit_rows"), 2);
  EXPECT_EQ(probe().count("SELECT COUNT(*) FROM jh_jobs WHERE status <> 'completed'"), 0);
}

// With no daemon to pick it up, `trigger --wait` runs its own job here, not whichever job
// waited longest in the queue.
TEST_F(DaemonCliTest, TriggerWaitRunsItsOwnJobNotTheOldestWaitingOne) {
  configure(schedules(""));
  auto older = cli().json({"enqueue", "testkit.noop", "--json"});
  ASSERT_GT(older.value("id", int64_t{-1}), 0) << older;
  auto waited = cli().json({"trigger", "testkit.write", "--param", "rows=1", "--wait", "--json"});
  EXPECT_EQ(waited["type"], "testkit.write") << waited;
  EXPECT_EQ(waited["status"], "completed") << waited;
  auto untouched = probe().job(older["id"].get<int64_t>());
  ASSERT_TRUE(untouched.has_value());
  EXPECT_EQ(untouched->status, jobs::JobStatus::pending) << "the older job waits for a worker";
  EXPECT_EQ(untouched->attempt, 0);
}

// A manual trigger between fires runs now and leaves the rhythm as it was.
TEST_F(DaemonCliTest, ManualTriggerBetweenFiresLeavesTheRhythmAlone) {
  configure(schedules("  testkit.write: { every: 1h, params: { rows: 1 } }\n"));
  EXPECT_EQ(cli().json({"tick", "--json"})["fired"], 1);
  const json before = schedule_json(cli(), "testkit.write");
  ASSERT_TRUE(before.is_object());
  EXPECT_EQ(json_time(before["next_run_at"]) - json_time(before["last_scheduled_at"]),
            3600 * kSecond);

  auto waited = cli().json({"trigger", "testkit.write", "--param", "rows=2", "--wait", "--json"});
  EXPECT_EQ(waited["status"], "completed") << waited;
  EXPECT_EQ(waited["origin"], "trigger") << waited;
  EXPECT_EQ(waited["schedule_id"], nullptr) << waited;
  auto queued = cli().json({"trigger", "testkit.write", "--json"});
  EXPECT_EQ(queued["status"], "pending") << queued;
  EXPECT_EQ(cli().json({"work", "--drain", "--json"})["completed"], 1);

  EXPECT_EQ(schedule_json(cli(), "testkit.write"), before)
      << "last_scheduled_at, next_run_at, last run and outcome are the schedule's own";
  EXPECT_EQ(cli().json({"tick", "--json"})["fired"], 0) << "the trigger was not a slot";

  auto all = probe().jobs("testkit.write");
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].origin, "schedule");
  EXPECT_EQ(all[1].origin, "trigger");
  EXPECT_EQ(all[2].origin, "trigger");
  EXPECT_EQ(all[2].id, queued["id"].get<int64_t>());
  EXPECT_FALSE(all[1].schedule_id.has_value());
  EXPECT_EQ(probe().count("SELECT COUNT(*) FROM testkit_rows"), 1 + 2 + 3);
}

// An interval changed while the daemon runs (`jobhost reload` = SIGHUP): one schedule row, one
// chain, and the new rhythm continues from the last fired slot.
TEST_F(DaemonCliTest, ReloadWithAChangedIntervalKeepsOneScheduleAndOneChain) {
  configure(schedules("  testkit.write: { every: 1s, params: { rows: 1 } }\n"));
  Daemon daemon(cli());
  ASSERT_TRUE(daemon.wait_ready()) << daemon.log();
  ASSERT_TRUE(eventually([&] { return slots("testkit.write").size() >= 2; }, 6s)) << daemon.log();

  rewrite(schedules("  testkit.write: { every: 2s, params: { rows: 1 } }\n"));
  auto reload = cli().run({"reload"});
  EXPECT_EQ(reload.exit_code, 0) << testing::describe({"reload"}, reload);
  EXPECT_THAT(reload.out, ::testing::MatchesRegex(
                              "reloading test-host/" + std::to_string(daemon.pid()) +
                              "\\.[0-9a-f]{6} \\(pid " + std::to_string(daemon.pid()) + "\\)\n"));
  ASSERT_TRUE(eventually(
      [&] { return schedule_json(cli(), "testkit.write").value("schedule", "") == "every 2s"; },
      5s))
      << daemon.log();
  const size_t at_reload = slots("testkit.write").size();
  std::this_thread::sleep_for(4500ms);
  auto stopped = daemon.stop(SIGTERM, 15s);
  ASSERT_TRUE(stopped.has_value()) << daemon.log();
  EXPECT_EQ(stopped->describe(), "exit code 0") << daemon.log();

  auto s = schedule_json(cli(), "testkit.write");
  EXPECT_EQ(s["schedule"], "every 2s");
  EXPECT_EQ(s["source"], "config");
  EXPECT_EQ(probe().count("SELECT COUNT(*) FROM jh_schedules WHERE job_type = 'testkit.write'"), 1);
  auto fired = slots("testkit.write");
  ASSERT_GE(fired.size(), at_reload + 2) << gaps_text(fired);
  // 1 s gaps, then 2 s gaps from the first slot of the new interval on: one chain.
  bool changed = false;
  int two_second_gaps = 0;
  for (size_t i = 1; i < fired.size(); ++i) {
    const Micros gap = fired[i] - fired[i - 1];
    if (gap == 2 * kSecond) {
      changed = true;
      ++two_second_gaps;
    } else {
      EXPECT_FALSE(changed) << "a 1 s slot after the change: " << gaps_text(fired);
      EXPECT_EQ(gap, kSecond) << gaps_text(fired);
    }
  }
  EXPECT_GE(two_second_gaps, 2) << gaps_text(fired);
  EXPECT_EQ(probe().count("SELECT COUNT(*) FROM jh_jobs WHERE status <> 'completed'"), 0);
  EXPECT_THAT(
      daemon.log(),
      HasSubstr("SIGHUP: reloading the configuration (plugin files, plugin settings, schedules)"));
  EXPECT_THAT(daemon.log(), HasSubstr("schedules: 0 created, 1 changed, 0 removed"));
  EXPECT_EQ(testing::unique_violations(daemon.log()), "");
}

// A plugin's section changed while the daemon runs: the plugin gets it on reload and rearranges
// its per-key schedules (testkit keeps one testkit.single schedule per key of `keys`).
TEST_F(DaemonCliTest, ReloadGivesAPluginItsNewSettings) {
  configure("plugins:\n  testkit: {keys: [a, b], every: every 1h}\n" + std::string(schedules("")));
  Daemon daemon(cli());
  ASSERT_TRUE(daemon.wait_ready()) << daemon.log();
  const std::string keys =
      "SELECT COUNT(*) FROM jh_schedules WHERE job_type = 'testkit.single' AND schedule_key = ";
  EXPECT_EQ(probe().count(keys + "'a'") + probe().count(keys + "'b'"), 2);

  rewrite("plugins:\n  testkit: {keys: [b, c], every: every 2h}\n" + std::string(schedules("")));
  EXPECT_EQ(cli().run({"reload"}).exit_code, 0);
  ASSERT_TRUE(eventually([&] { return probe().count(keys + "'c'") == 1; }, 5s)) << daemon.log();
  EXPECT_EQ(probe().count(keys + "'a'"), 0);
  EXPECT_EQ(probe().count(keys + "'b' AND spec = 'every 2h'"), 1);
  EXPECT_THAT(daemon.log(), HasSubstr("plugin testkit: new settings applied"));

  // A bad edit is refused with its place, and the daemon goes on with the settings it had.
  rewrite("plugins:\n  testkit: {keys: [d], limit: 0}\n" + std::string(schedules("")));
  EXPECT_EQ(cli().run({"reload"}).exit_code, 0);
  ASSERT_TRUE(eventually(
      [&] { return daemon.log().find("plugins.testkit.limit: must be >= 1") != std::string::npos; },
      5s))
      << daemon.log();
  EXPECT_EQ(probe().count(keys + "'d'"), 0);
  EXPECT_EQ(probe().count(keys + "'c'"), 1);
  auto stopped = daemon.stop(SIGTERM, 15s);
  ASSERT_TRUE(stopped.has_value()) << daemon.log();
  EXPECT_EQ(stopped->describe(), "exit code 0") << daemon.log();
}

// A run that hangs past its timeout is cancelled and errored "timed out after 1 s"; the schedule
// keeps firing on its grid.
TEST_F(DaemonCliTest, HungRunTimesOutAndTheScheduleKeepsFiring) {
  configure(
      schedules("  testkit.sleep: { every: 2s, params: { ms: 10000, honour_cancel: true } }\n") +
      "jobs:\n  shutdown_grace_s: 5\n");
  Daemon daemon(cli());
  ASSERT_TRUE(daemon.wait_ready()) << daemon.log();
  auto errored = [&] {
    int n = 0;
    for (const auto& j : probe().jobs("testkit.sleep")) n += j.status == jobs::JobStatus::errored;
    return n;
  };
  ASSERT_TRUE(eventually([&] { return errored() >= 2; }, 12s)) << daemon.log();
  auto stopped = daemon.stop(SIGTERM, 15s);
  ASSERT_TRUE(stopped.has_value()) << daemon.log();
  EXPECT_EQ(stopped->describe(), "exit code 0") << daemon.log();

  auto all = probe().jobs("testkit.sleep");
  ASSERT_GE(all.size(), 2u);
  std::vector<Micros> fired;
  for (const auto& j : all) {
    SCOPED_TRACE("job " + std::to_string(j.id));
    fired.push_back(j.scheduled_at);
    if (j.status == jobs::JobStatus::pending) continue;  // fired just before SIGTERM
    EXPECT_EQ(j.status, jobs::JobStatus::errored);
    EXPECT_EQ(j.error.value_or("").rfind("timed out after 1 s (job type testkit.sleep's own", 0),
              0u)
        << j.error.value_or("");
    EXPECT_EQ(j.attempt, 1);
    ASSERT_TRUE(j.started_at && j.finished_at);
    EXPECT_GE(*j.finished_at - *j.started_at, kSecond);
    EXPECT_LT(*j.finished_at - *j.started_at, 2500000) << "cancelled near its deadline";
    auto events = probe().events(j.id);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back().level, "error");
    EXPECT_EQ(events.back().message, "errored: " + j.error.value_or(""));
  }
  for (size_t i = 1; i < fired.size(); ++i)
    EXPECT_EQ(fired[i] - fired[i - 1], 2 * kSecond) << gaps_text(fired);
  auto s = probe().schedule("testkit.sleep");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->last_scheduled_at.value_or(0), fired.back());
  EXPECT_EQ(s->next_run_at.value_or(0), fired.back() + 2 * kSecond);
}

// Retries with backoff, as `jobhost job ID --json` shows them: attempt, status scheduled and the
// next try's time; to success on attempt 2, and to exhaustion after 3 attempts.
TEST_F(DaemonCliTest, RetryWithBackoffToSuccessAndToExhaustion) {
  configure("");
  const int64_t ok = enqueue({"testkit.flaky", "--param", "fail_times=1"});
  const int64_t bad = enqueue({"testkit.flaky", "--param", "fail_times=5"});
  ASSERT_GT(ok, 0);
  ASSERT_GT(bad, 0);

  auto r1 = cli().run({"work", "--drain", "--json"});
  EXPECT_EQ(r1.exit_code, 1) << "errored runs" << r1.describe();
  auto t1 = json::parse(r1.out, nullptr, false);
  EXPECT_EQ(t1.value("errored", -1), 2) << r1.out;
  EXPECT_EQ(t1.value("completed", -1), 0) << r1.out;

  auto j = cli().json({"job", std::to_string(ok), "--json"});
  EXPECT_EQ(j["status"], "scheduled") << j.dump(2);
  EXPECT_EQ(j["attempt"], 1);
  EXPECT_EQ(j["max_attempts"], 3);
  EXPECT_EQ(j["error"], "flaky failure on attempt 1");
  const Micros retry_at = json_time(j["scheduled_at"]);
  // backoff 1 s for the first retry (retries(3, 1, 2)), never less than 1 s
  EXPECT_EQ(retry_at - json_time(j["finished_at"]), kSecond) << j.dump(2);
  ASSERT_FALSE(j["events"].empty());
  EXPECT_EQ(j["events"].back()["message"],
            "attempt 1 of 3 errored: flaky failure on attempt 1; next attempt at " +
                j["scheduled_at"].get<std::string>());
  if (now_micros() < retry_at - 400000) {
    // Not due yet: a worker leaves it waiting.
    auto early = cli().json({"work", "--drain", "--json"});
    EXPECT_EQ(early["completed"], 0) << early;
    EXPECT_EQ(early["errored"], 0) << early;
    EXPECT_EQ(cli().json({"job", std::to_string(ok), "--json"})["attempt"], 1);
  }

  sleep_until(retry_at + 50000);
  auto r2 = cli().run({"work", "--drain", "--json"});
  auto t2 = json::parse(r2.out, nullptr, false);
  EXPECT_EQ(t2.value("completed", -1), 1) << r2.describe();
  EXPECT_EQ(t2.value("errored", -1), 1) << r2.describe();
  j = cli().json({"job", std::to_string(ok), "--json"});
  EXPECT_EQ(j["status"], "completed") << j.dump(2);
  EXPECT_EQ(j["attempt"], 2);
  EXPECT_EQ(j["error"], nullptr);
  EXPECT_EQ(j["job_data"]["result"], json({{"attempt", 2}}));

  auto b = cli().json({"job", std::to_string(bad), "--json"});
  EXPECT_EQ(b["status"], "scheduled") << b.dump(2);
  EXPECT_EQ(b["attempt"], 2);
  // the second retry waits 1-2 s: backoff 2 s (1 s doubled, capped at 2 s) with equal jitter
  const Micros second_wait = json_time(b["scheduled_at"]) - json_time(b["finished_at"]);
  EXPECT_GE(second_wait, kSecond);
  EXPECT_LE(second_wait, 2 * kSecond);
  sleep_until(json_time(b["scheduled_at"]) + 50000);
  auto r3 = cli().run({"work", "--drain", "--json"});
  EXPECT_EQ(json::parse(r3.out, nullptr, false).value("errored", -1), 1) << r3.describe();

  b = cli().json({"job", std::to_string(bad), "--json"});
  EXPECT_EQ(b["status"], "errored") << b.dump(2);
  EXPECT_EQ(b["attempt"], 3);
  EXPECT_EQ(b["error"], "flaky failure on attempt 3");
  std::vector<std::string> messages;
  for (const auto& e : b["events"]) messages.push_back(e["message"]);
  ASSERT_EQ(messages.size(), 3u) << b["events"].dump(2);
  const std::regex next_at(R"(; next attempt at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$)");
  EXPECT_EQ(
      messages[0].rfind("attempt 1 of 3 errored: flaky failure on attempt 1; next attempt at ", 0),
      0u)
      << messages[0];
  EXPECT_TRUE(std::regex_search(messages[0], next_at)) << messages[0];
  EXPECT_EQ(
      messages[1].rfind("attempt 2 of 3 errored: flaky failure on attempt 2; next attempt at ", 0),
      0u)
      << messages[1];
  EXPECT_TRUE(std::regex_search(messages[1], next_at)) << messages[1];
  EXPECT_EQ(messages[2], "attempt 3 of 3 errored: flaky failure on attempt 3; no attempts left");
  EXPECT_EQ(probe().count("SELECT COUNT(*) FROM jh_jobs"), 2) << "retries reuse their job";
}

// SIGTERM: no new runs; a running job that finishes within shutdown_grace_s completes; exit 0.
TEST_F(DaemonCliTest, SigtermLetsARunningJobFinishWithinTheGrace) {
  configure(schedules("") + "jobs:\n  shutdown_grace_s: 10\n", 1);
  Daemon daemon(cli());
  ASSERT_TRUE(daemon.wait_ready()) << daemon.log();
  const int64_t id = enqueue({"testkit.write_slow", "--param", "rows=2", "--param", "ms=3000"});
  ASSERT_TRUE(eventually([&] { return status_of(id) == jobs::JobStatus::running; }, 5s))
      << daemon.log();
  const auto signalled = std::chrono::steady_clock::now();
  auto stopped = daemon.stop(SIGTERM, 15s);
  ASSERT_TRUE(stopped.has_value()) << daemon.log();
  EXPECT_EQ(stopped->describe(), "exit code 0") << daemon.log();
  EXPECT_GE(std::chrono::steady_clock::now() - signalled, 1500ms) << "it waited for the job";

  auto j = probe().job(id);
  ASSERT_TRUE(j.has_value());
  EXPECT_EQ(j->status, jobs::JobStatus::completed) << j->error.value_or("");
  EXPECT_EQ(j->attempt, 1);
  EXPECT_EQ(probe().count("SELECT COUNT(*) FROM testkit_rows WHERE job_id = " + std::to_string(id)),
            2);
  EXPECT_THAT(daemon.log(), HasSubstr("SIGTERM: no new runs; waiting up to 10 s for running jobs"));
  EXPECT_THAT(daemon.log(), Not(HasSubstr("cancelling")));
  EXPECT_EQ(cli().json({"status", "--json"})["hosts"], json::array()) << "it signed off";
}

// SIGTERM with a job that outlives shutdown_grace_s: the run is cancelled (its writes rolled
// back) and the exit code says so (8). testkit.write_slow retries, so it waits for its next try.
TEST_F(DaemonCliTest, SigtermCancelsAJobThatOutlivesTheGraceAndExitsWith8) {
  configure(schedules("") + "jobs:\n  shutdown_grace_s: 1\n", 1);
  Daemon daemon(cli());
  ASSERT_TRUE(daemon.wait_ready()) << daemon.log();
  const int64_t id = enqueue({"testkit.write_slow", "--param", "rows=2", "--param", "ms=30000"});
  ASSERT_TRUE(eventually([&] { return status_of(id) == jobs::JobStatus::running; }, 5s))
      << daemon.log();
  std::this_thread::sleep_for(200ms);  // it has written its rows
  const auto signalled = std::chrono::steady_clock::now();
  auto stopped = daemon.stop(SIGTERM, 15s);
  ASSERT_TRUE(stopped.has_value()) << daemon.log();
  EXPECT_EQ(stopped->describe(), "exit code 8") << daemon.log();
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, 5s);

  auto j = probe().job(id);
  ASSERT_TRUE(j.has_value());
  EXPECT_EQ(j->error.value_or(""), "cancelled: the host is shutting down");
  EXPECT_EQ(j->attempt, 1);
  EXPECT_EQ(j->status, jobs::JobStatus::scheduled) << "retried per policy (2 attempts)";
  EXPECT_EQ(probe().count("SELECT COUNT(*) FROM testkit_rows"), 0)
      << "the run's writes rolled back";
  auto events = probe().events(id);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().message.rfind("attempt 1 of 2 errored: cancelled: the host is shutting "
                                        "down; next attempt at ",
                                        0),
            0u)
      << events.back().message;
  EXPECT_THAT(daemon.log(), HasSubstr("running jobs did not finish in time: cancelling them"));
}

// The grace period holds while a long run holds SQLite's write lock, which the daemon's own
// writes then wait for: the scheduler's fires (testkit.noop every 1s) and the heartbeat (every
// 5 s, on the thread that waits for signals). Both used to make SIGTERM wait for the whole run.
TEST_F(DaemonCliTest, SigtermIsAnsweredWhileALongRunHoldsTheSqliteWriteLock) {
  configure(schedules("  testkit.noop: { every: 1s }\n") + "jobs:\n  shutdown_grace_s: 1\n", 1);
  Daemon daemon(cli());
  ASSERT_TRUE(daemon.wait_ready()) << daemon.log();
  const int64_t id = enqueue({"testkit.write_slow", "--param", "rows=1", "--param", "ms=60000"});
  ASSERT_TRUE(eventually([&] { return status_of(id) == jobs::JobStatus::running; }, 5s))
      << daemon.log();
  std::this_thread::sleep_for(6s);  // past the first heartbeat
  const auto signalled = std::chrono::steady_clock::now();
  auto stopped = daemon.stop(SIGTERM, 40s);
  ASSERT_TRUE(stopped.has_value()) << daemon.log();
  EXPECT_EQ(stopped->describe(), "exit code 8") << daemon.log();
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, 5s)
      << "SIGTERM waited for the run's write lock";
  auto j = probe().job(id);
  ASSERT_TRUE(j.has_value());
  EXPECT_EQ(j->error.value_or(""), "cancelled: the host is shutting down");
  EXPECT_THAT(daemon.log(), HasSubstr("running jobs did not finish in time: cancelling them"));
}

// A singleton that is still running when its next slots come: those fires are recorded as
// skipped, naming the run that holds the slot; no duplicate waits in the queue.
TEST_F(DaemonCliTest, FireWhileASingletonRunsIsSkippedNamingTheHolder) {
  configure(schedules("  testkit.single: { every: 1s, params: { key: a, ms: 2500 } }\n") +
            "jobs:\n  shutdown_grace_s: 10\n");
  Daemon daemon(cli());
  ASSERT_TRUE(daemon.wait_ready()) << daemon.log();
  json skipped;
  ASSERT_TRUE(eventually(
      [&] {
        skipped = schedule_json(cli(), "testkit.single");
        return skipped.value("last_outcome", json()).is_string() &&
               skipped["last_outcome"] == "skipped";
      },
      6s))
      << daemon.log();
  auto first = probe().jobs("testkit.single");
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(skipped["last_job_id"], first[0].id) << "the holder";
  ASSERT_TRUE(eventually([&] { return probe().jobs("testkit.single").size() >= 2; }, 6s))
      << "the schedule goes on after the skips\n"
      << daemon.log();
  auto stopped = daemon.stop(SIGTERM, 15s);
  ASSERT_TRUE(stopped.has_value()) << daemon.log();
  EXPECT_EQ(stopped->describe(), "exit code 0") << daemon.log();

  auto all = probe().jobs("testkit.single");
  ASSERT_GE(all.size(), 2u);
  for (size_t i = 1; i < all.size(); ++i) {
    ASSERT_TRUE(all[i - 1].finished_at.has_value());
    EXPECT_GE(all[i].created_at, *all[i - 1].finished_at)
        << "job " << all[i].id << " was queued while job " << all[i - 1].id << " held the slot";
  }
  // Every slot between the first two runs was fired, and skipped with an event naming job 1.
  std::set<Micros> skipped_slots;
  for (const auto& e : probe().events()) {
    if (e.level != "warn" || e.name != "testkit.single") continue;
    auto data = json::parse(e.data.value_or("{}"));
    const int64_t holder = data.value("held_by_job", int64_t{0});
    EXPECT_EQ(e.job_id.value_or(0), holder);
    EXPECT_THAT(e.message, ::testing::MatchesRegex("skipped: job " + std::to_string(holder) +
                                                   " \\((pending|running)\\) still holds the "
                                                   "singleton slot"));
    skipped_slots.insert(json_time(data["slot"]));
  }
  const Micros s0 = all[0].scheduled_at, s1 = all[1].scheduled_at;
  ASSERT_EQ((s1 - s0) % kSecond, 0);
  ASSERT_GE(s1 - s0, 3 * kSecond) << "job 1 ran for 2.5 s";
  for (Micros slot = s0 + kSecond; slot < s1; slot += kSecond)
    EXPECT_EQ(skipped_slots.count(slot), 1u) << "slot " << format_time(slot) << " not skipped";
  EXPECT_GE(skipped_slots.size(), 2u);
  EXPECT_THAT(daemon.log(),
              HasSubstr("schedule testkit.single: skipped: job " + std::to_string(all[0].id)));
}

// `jobhost status --json` shows the running daemon and the schedules; disable stops the fires,
// `trigger` of a disabled schedule needs --force; enable resumes.
TEST_F(DaemonCliTest, StatusShowsTheDaemonAndEnableDisableTriggerRoundTrip) {
  configure(schedules("  testkit.write: { every: 1s, params: { rows: 1 } }\n"));
  Daemon daemon(cli());
  ASSERT_TRUE(daemon.wait_ready()) << daemon.log();

  auto st = cli().json({"status", "--json"});
  ASSERT_TRUE(st["hosts"].is_array()) << st.dump(2);
  ASSERT_EQ(st["hosts"].size(), 1u) << st.dump(2);
  EXPECT_EQ(st["hosts"][0]["role"], "daemon");
  EXPECT_EQ(st["hosts"][0]["pid"], daemon.pid());
  // <host name>/<pid>.<random>: hosts sharing a name and a pid (containers) stay apart.
  EXPECT_THAT(
      st["hosts"][0]["instance"].get<std::string>(),
      ::testing::MatchesRegex("test-host/" + std::to_string(daemon.pid()) + "\\.[0-9a-f]{6}"));
  EXPECT_EQ(st["store"], "sqlite:" + setup_.store.location);
  std::set<std::string> scheduled;
  for (const auto& s : st["schedules"]) scheduled.insert(s["job_type"]);
  EXPECT_EQ(scheduled, (std::set<std::string>{"testkit.every", "testkit.write"}));

  auto off = cli().run({"disable", "testkit.write"});
  EXPECT_EQ(off.exit_code, 0) << off.describe();
  EXPECT_EQ(off.out, "testkit.write: disabled\n");
  const size_t fired_before = slots("testkit.write").size();
  auto s = schedule_json(cli(), "testkit.write");
  EXPECT_EQ(s["enabled"], false);
  EXPECT_EQ(s["next_run_at"], nullptr);

  auto refused = cli().run({"trigger", "testkit.write"});
  EXPECT_EQ(refused.exit_code, 2) << refused.describe();
  EXPECT_THAT(refused.err, HasSubstr("the schedule of testkit.write is disabled; use --force to "
                                     "run it anyway"));
  EXPECT_THAT(refused.err, HasSubstr("or `jobhost enable testkit.write`"));
  auto forced = cli().json({"trigger", "testkit.write", "--force", "--wait", "--json"});
  EXPECT_EQ(forced["status"], "completed") << forced;
  EXPECT_EQ(forced["origin"], "trigger") << forced;

  std::this_thread::sleep_for(2200ms);
  EXPECT_EQ(slots("testkit.write").size(), fired_before) << "a disabled schedule does not fire";

  auto on = cli().run({"enable", "testkit.write"});
  EXPECT_EQ(on.exit_code, 0) << on.describe();
  EXPECT_THAT(on.out, ::testing::StartsWith("testkit.write: enabled, next run 20"));
  EXPECT_TRUE(eventually([&] { return slots("testkit.write").size() > fired_before; }, 4s))
      << "enabled again, it fires\n"
      << daemon.log();
  EXPECT_EQ(schedule_json(cli(), "testkit.write")["enabled"], true);
  EXPECT_EQ(cli().run({"disable", "testkit.nope"}).exit_code, 7);

  auto stopped = daemon.stop(SIGTERM, 15s);
  ASSERT_TRUE(stopped.has_value()) << daemon.log();
  EXPECT_EQ(stopped->describe(), "exit code 0") << daemon.log();
  EXPECT_EQ(cli().json({"status", "--json"})["hosts"], json::array()) << "it signed off";
}

}  // namespace
}  // namespace jobhost
