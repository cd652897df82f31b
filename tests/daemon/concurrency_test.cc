// Several processes firing the same schedules on one store, for about six seconds of `every 1s`
// schedules: a daemon and back-to-back ticks on one SQLite file; two daemons on one PostgreSQL
// database. Every fired slot has exactly one job, every job ran once (testkit.once records its
// job id under a primary key), and no process met a unique-index violation.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <signal.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "daemon/daemon_harness.h"
#include "support/pg_server.h"

namespace jobhost {
namespace {

using testing::Cli;
using testing::Daemon;
using testing::kSecond;
using namespace std::chrono_literals;
using nlohmann::json;

// testkit.every keeps its default (every 1s): three schedules.
const std::string kSchedules =
    "schedules:\n"
    "  testkit.once: { every: 1s }\n"
    "  testkit.write: { every: 1s, params: { rows: 2 } }\n";

// What every store shared by several firing processes must show once they stopped and the
// queue was drained.
void expect_one_job_per_slot(testing::StoreProbe& probe) {
  EXPECT_EQ(probe.slots_fired_twice(), 0) << "a slot with more than one job";
  std::map<std::string, std::vector<Micros>> slots;
  for (const auto& j : probe.jobs()) {
    SCOPED_TRACE("job " + std::to_string(j.id) + " " + j.type);
    EXPECT_EQ(j.status, jobs::JobStatus::completed) << j.error.value_or("");
    EXPECT_EQ(j.attempt, 1) << "claimed once";
    EXPECT_EQ(j.origin, "schedule");
    ASSERT_TRUE(j.schedule_id.has_value());
    slots[j.type].push_back(j.scheduled_at);
  }
  for (const std::string type : {"testkit.once", "testkit.write", "testkit.every"}) {
    SCOPED_TRACE(type);
    auto& s = slots[type];
    std::sort(s.begin(), s.end());
    EXPECT_GE(s.size(), 4u) << "about six seconds of `every 1s`";
    EXPECT_LE(s.size(), 10u);
    for (size_t i = 1; i < s.size(); ++i) {
      EXPECT_GT(s[i], s[i - 1]);
      EXPECT_EQ((s[i] - s[i - 1]) % kSecond, 0) << "off the grid: " << format_time(s[i]);
    }
    auto record = probe.schedule(type);
    ASSERT_TRUE(record.has_value());
    if (!s.empty()) {
      EXPECT_EQ(record->last_scheduled_at.value_or(0), s.back());
    }
  }
  const int64_t once_jobs = static_cast<int64_t>(slots["testkit.once"].size());
  EXPECT_EQ(probe.count("SELECT COUNT(*) FROM testkit_runs"), once_jobs);
  EXPECT_EQ(probe.count("SELECT COUNT(DISTINCT job_id) FROM testkit_runs"), once_jobs);
  EXPECT_EQ(probe.count("SELECT COUNT(*) FROM testkit_runs r JOIN jh_jobs j ON j.id = r.job_id "
                        "WHERE j.type = 'testkit.once'"),
            once_jobs);
  EXPECT_EQ(probe.count("SELECT COUNT(*) FROM testkit_rows"),
            2 * static_cast<int64_t>(slots["testkit.write"].size()));
  EXPECT_EQ(probe.count("SELECT COUNT(*) FROM jh_schedules"), 3);
}

// Ticks fire only what the daemon has not fired yet, and the daemon is on time to the
// millisecond: so for 2.5 s of the 7 the daemon is frozen (SIGSTOP), with its timers and its
// copy of the schedules going stale, while the ticks fire; when it thaws, every one of its timers
// is overdue and fires with an old view of the schedule, against the ticks' newer fires.
TEST(DaemonConcurrency, DaemonAndTicksOnOneSqliteFileRunEachSlotOnce) {
  auto setup = testing::sqlite_setup("daemon_and_ticks");
  setup.workers = 2;
  Cli cli(testing::daemon_yaml(setup, kSchedules));
  Daemon daemon(cli);
  ASSERT_TRUE(daemon.wait_ready()) << daemon.log();

  // Two loops of back-to-back ticks beside the daemon.
  const auto until = std::chrono::steady_clock::now() + 7s;
  std::mutex mutex;
  std::vector<testing::RunResult> ticks;
  std::atomic<bool> frozen{false};
  int fired_while_frozen = 0;
  auto loop = [&] {
    while (std::chrono::steady_clock::now() < until) {
      const bool during = frozen.load();
      auto r = cli.run({"tick", "--json"});
      std::lock_guard lock(mutex);
      if (during && frozen.load()) {
        auto j = json::parse(r.out, nullptr, false);
        if (j.is_object()) fired_while_frozen += j.value("fired", 0);
      }
      ticks.push_back(std::move(r));
    }
  };
  std::thread a(loop), b(loop);
  std::this_thread::sleep_for(1500ms);
  const bool suspended = testing::suspend_outside_write_lock(daemon.pid(), setup.store);
  frozen.store(suspended);
  std::this_thread::sleep_for(2500ms);
  frozen.store(false);
  testing::resume(daemon.pid());
  a.join();
  b.join();
  ASSERT_TRUE(suspended) << "could not freeze the daemon outside a write transaction";
  auto stopped = daemon.stop(SIGTERM, 15s);
  ASSERT_TRUE(stopped.has_value()) << daemon.log();
  EXPECT_EQ(stopped->describe(), "exit code 0") << daemon.log();
  // Slots fired just before the stop may still wait in the queue.
  auto drained = cli.run({"work", "--drain"});
  EXPECT_EQ(drained.exit_code, 0) << drained.describe();

  int fired_by_ticks = 0;
  ASSERT_GE(ticks.size(), 4u);
  for (const auto& t : ticks) {
    EXPECT_EQ(t.exit_code, 0) << t.describe();
    EXPECT_EQ(testing::unique_violations(t.err), "");
    auto j = json::parse(t.out, nullptr, false);
    if (j.is_object()) fired_by_ticks += j.value("fired", 0);
  }
  EXPECT_EQ(testing::unique_violations(daemon.log()), "");
  testing::StoreProbe probe(setup.store);
  expect_one_job_per_slot(probe);
  const int64_t total = probe.count("SELECT COUNT(*) FROM jh_jobs");
  // About two slots of each of the three schedules passed while the daemon was frozen.
  EXPECT_GE(fired_while_frozen, 3) << "the ticks fired nothing while the daemon was frozen";
  EXPECT_LT(fired_by_ticks, total) << "the daemon fired some slots itself";
  std::cout << "[          ] " << ticks.size() << " ticks fired " << fired_by_ticks << " of "
            << total << " slots (" << fired_while_frozen << " while the daemon was frozen)\n";
}

TEST(DaemonConcurrency, TwoDaemonsOnOnePostgresqlDatabaseRunEachSlotOnce) {
  JOBHOST_REQUIRE_POSTGRES();
  testing::HostSetup setup;
  setup.store = testing::make_store_target(testing::StoreKind::postgresql, "two_daemons");
  setup.plugin_files = {testing::test_plugin("testkit")};
  setup.workers = 2;
  Cli cli(testing::daemon_yaml(setup, kSchedules));
  // The first one creates the schema; the second starts while the first already fires.
  Daemon first(cli);
  ASSERT_TRUE(first.wait_ready()) << first.log();
  Daemon second(cli);
  ASSERT_TRUE(second.wait_ready()) << second.log();
  std::this_thread::sleep_for(6s);
  auto a = first.stop(SIGTERM, 15s);
  auto b = second.stop(SIGTERM, 15s);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->describe(), "exit code 0") << first.log();
  EXPECT_EQ(b->describe(), "exit code 0") << second.log();
  auto drained = cli.run({"work", "--drain"});
  EXPECT_EQ(drained.exit_code, 0) << drained.describe();

  EXPECT_EQ(testing::unique_violations(first.log()), "");
  EXPECT_EQ(testing::unique_violations(second.log()), "");
  testing::StoreProbe probe(setup.store);
  expect_one_job_per_slot(probe);
  // Both daemons ran jobs (both claim from the one queue).
  EXPECT_GE(probe.count("SELECT COUNT(DISTINCT host) FROM jh_jobs"), 2);
}

}  // namespace
}  // namespace jobhost
