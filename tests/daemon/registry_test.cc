// The schedule registry in-process, on both stores, with synthetic clocks: every `now` is passed
// in, so ten missed intervals cost nothing. What the daemon and `jobhost tick` do is replayed
// step by step: reconcile the YAML with the store, list what is due, fire it.
//
//   - a restart after downtime runs each overdue schedule once, then returns to its grid;
//   - a changed interval replaces the schedule's row and continues from its last fired slot;
//   - several sessions firing the same slot at the same instant enqueue one job between them,
//     and the store itself refuses a second job for a fired slot.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <barrier>
#include <map>
#include <thread>

#include <nlohmann/json.hpp>

#include "config/loader.h"
#include "config/problem.h"
#include "daemon/daemon_harness.h"
#include "jobs/job_store.h"
#include "schedule/config_schedules.h"
#include "schedule/firing.h"
#include "support/sql_probe.h"

namespace jobhost {
namespace {

using schedule::FireResult;
using testing::kSecond;
using Kind = FireResult::Kind;

// Far from the wall clock and on no round second: the rhythm depends on nothing but the `now`
// given to each step (2030-03-17T17:46:40.123456Z).
constexpr Micros T0 = 1'900'000'000'123'456;

std::string at(Micros t) {
  return format_time(t);
}

class RegistryTest : public testing::StoreTest {
 protected:
  // (Re)opens the host with this `schedules:` section, as a daemon start or restart does.
  // `every_off`: also switch testkit.every's default schedule off in the YAML.
  void open(const std::string& schedules, bool every_off = true) {
    host_.reset();
    testing::HostSetup s;
    s.store = target();
    s.plugin_files = {testing::test_plugin("testkit")};
    host_ = Host::open(config::load_config_string(
        testing::host_yaml(s) + "schedules:\n" + schedules +
            (every_off ? std::string(testing::kEveryOff) : std::string()),
        "test.yaml"));
  }
  void close() { host_.reset(); }

  schedule::ReconcileReport reconcile(Micros now) {
    auto desired = schedule::desired_schedules(host_->config(), host_->plugins());
    EXPECT_TRUE(desired.problems.empty()) << config::format_problems(desired.problems);
    return schedule::reconcile_schedules(host_->session(), desired.schedules, now);
  }

  schedule::ScheduleRecord record(const std::string& type) {
    auto r = schedule::ScheduleStore(host_->session()).find(type, "");
    EXPECT_TRUE(r.has_value()) << "no schedule for " << type;
    return r.value_or(schedule::ScheduleRecord{});
  }

  FireResult fire(const std::string& type, Micros now) {
    return schedule::fire_schedule(host_->session(), host_->plugins(), record(type), now, true);
  }

  // What the daemon's timer and `jobhost tick` do at `now`: fire every schedule due, `rounds`
  // times over (another host, a tick started twice). Returns what each fire did, by job type.
  std::map<std::string, std::vector<Kind>> fire_due(Micros now, int rounds) {
    std::map<std::string, std::vector<Kind>> kinds;
    for (int i = 0; i < rounds; ++i)
      for (const auto& r : schedule::ScheduleStore(host_->session()).due(now))
        kinds[r.job_type].push_back(
            schedule::fire_schedule(host_->session(), host_->plugins(), r, now, true).kind);
    return kinds;
  }

  // The slots of the jobs a schedule enqueued, in order (a scheduled job's scheduled_at is its
  // slot).
  std::vector<std::string> slots(const std::string& type) {
    jobs::JobFilter f;
    f.type = type;
    f.limit = 1000;
    auto rows = host_->jobs().list(f);
    std::vector<std::pair<Micros, std::string>> sorted;
    for (const auto& j : rows) {
      EXPECT_EQ(j.origin, "schedule") << "job " << j.id;
      EXPECT_EQ(j.status, jobs::JobStatus::pending) << "job " << j.id;
      EXPECT_EQ(j.schedule_id.value_or(0), record(type).id) << "job " << j.id;
      sorted.emplace_back(j.scheduled_at, at(j.scheduled_at));
    }
    std::sort(sorted.begin(), sorted.end());
    std::vector<std::string> out;
    for (auto& s : sorted) out.push_back(s.second);
    return out;
  }

  std::unique_ptr<Host> host_;
};

const std::string kWriteEvery2sNoopEvery5s =
    "  testkit.write: { every: 2s, params: { rows: 1 } }\n"
    "  testkit.noop: { every: 5s }\n";

TEST_P(RegistryTest, RestartAfterDowntimeRunsEachOverdueScheduleOnceThenKeepsItsGrid) {
  open(kWriteEvery2sNoopEvery5s);
  auto first = reconcile(T0);
  EXPECT_EQ(first.created, 3);  // write, noop, and testkit.every (disabled)
  // A new schedule runs at once; then on its grid.
  auto w0 = fire("testkit.write", T0);
  ASSERT_EQ(w0.kind, Kind::enqueued) << w0.message;
  EXPECT_EQ(at(w0.slot), at(T0));
  EXPECT_EQ(at(w0.next_run_at), at(T0 + 2 * kSecond));
  ASSERT_EQ(fire("testkit.noop", T0).kind, Kind::enqueued);
  EXPECT_EQ(fire("testkit.write", T0 + 1 * kSecond).kind, Kind::not_due);
  ASSERT_EQ(fire("testkit.write", T0 + 2 * kSecond).kind, Kind::enqueued);

  // The host goes down for ten intervals of testkit.write (four of testkit.noop), and comes back
  // with the same configuration.
  close();
  const Micros back = T0 + 2 * kSecond + 10 * 2 * kSecond + kSecond / 2;  // T0 + 22.5 s
  open(kWriteEvery2sNoopEvery5s);
  auto again = reconcile(back);
  EXPECT_EQ(again.created + again.updated + again.removed, 0) << "nothing changed in the YAML";
  EXPECT_EQ(again.unchanged, 3);
  EXPECT_EQ(at(schedule::planned_next_run(record("testkit.write"), back)), at(back))
      << "overdue: due now";

  // Everything due is fired three times over, as by the daemon, a tick and another host.
  auto kinds = fire_due(back, 3);
  EXPECT_EQ(kinds["testkit.write"], std::vector<Kind>{Kind::enqueued}) << "one run, not a burst";
  EXPECT_EQ(kinds["testkit.noop"], std::vector<Kind>{Kind::enqueued}) << "one run, not a burst";
  EXPECT_EQ(kinds.count("testkit.every"), 0u) << "disabled";

  // The overdue run stands for the last slot of the grid before now; the next one follows it.
  EXPECT_EQ(slots("testkit.write"),
            (std::vector<std::string>{at(T0), at(T0 + 2 * kSecond), at(T0 + 22 * kSecond)}));
  EXPECT_EQ(slots("testkit.noop"), (std::vector<std::string>{at(T0), at(T0 + 20 * kSecond)}));
  auto w = record("testkit.write");
  EXPECT_EQ(at(w.last_scheduled_at.value_or(0)), at(T0 + 22 * kSecond));
  EXPECT_EQ(at(w.last_fired_at.value_or(0)), at(back));
  EXPECT_EQ(at(w.next_run_at.value_or(0)), at(T0 + 24 * kSecond));
  auto n = record("testkit.noop");
  EXPECT_EQ(at(n.last_scheduled_at.value_or(0)), at(T0 + 20 * kSecond));
  EXPECT_EQ(at(n.next_run_at.value_or(0)), at(T0 + 25 * kSecond));

  // Back on the original grid: T0 + k * interval.
  auto early = fire("testkit.write", T0 + 24 * kSecond - 1);
  EXPECT_EQ(early.kind, Kind::not_due);
  EXPECT_EQ(at(early.next_run_at), at(T0 + 24 * kSecond));
  auto w24 = fire("testkit.write", T0 + 24 * kSecond);
  ASSERT_EQ(w24.kind, Kind::enqueued);
  EXPECT_EQ(at(w24.slot), at(T0 + 24 * kSecond));
  EXPECT_EQ(at(w24.next_run_at), at(T0 + 26 * kSecond));
  auto n25 = fire("testkit.noop", T0 + 25 * kSecond + 300000);  // a little late: same slot
  ASSERT_EQ(n25.kind, Kind::enqueued);
  EXPECT_EQ(at(n25.slot), at(T0 + 25 * kSecond));
  EXPECT_EQ(at(n25.next_run_at), at(T0 + 30 * kSecond));
  EXPECT_EQ(testing::scalar(host_->session(), "SELECT COUNT(*) FROM jh_jobs"), 7);
}

TEST_P(RegistryTest, ChangedIntervalReplacesTheRowAndContinuesFromTheLastFiredSlot) {
  open("  testkit.write: { every: 2s, params: { rows: 1 } }\n");
  reconcile(T0);
  const int64_t id = record("testkit.write").id;
  ASSERT_EQ(fire("testkit.write", T0).kind, Kind::enqueued);
  ASSERT_EQ(fire("testkit.write", T0 + 2 * kSecond).kind, Kind::enqueued);

  // The YAML now says every 5s (a reload at T0 + 3 s).
  open("  testkit.write: { every: 5s, params: { rows: 1 } }\n");
  auto report = reconcile(T0 + 3 * kSecond);
  EXPECT_EQ(report.updated, 1);
  EXPECT_EQ(report.created, 0);
  EXPECT_EQ(report.removed, 0);
  EXPECT_EQ(testing::scalar(host_->session(),
                            "SELECT COUNT(*) FROM jh_schedules WHERE job_type = 'testkit.write'"),
            1)
      << "a changed interval replaces the schedule, never adds a second chain";
  auto r = record("testkit.write");
  EXPECT_EQ(r.id, id) << "the same row";
  EXPECT_EQ(r.spec, "every 5s");
  EXPECT_EQ(at(r.last_scheduled_at.value_or(0)), at(T0 + 2 * kSecond)) << "the rhythm's anchor";
  EXPECT_EQ(at(r.next_run_at.value_or(0)), at(T0 + 7 * kSecond)) << "last slot + new interval";

  EXPECT_EQ(fire("testkit.write", T0 + 4 * kSecond).kind, Kind::not_due)
      << "the old rhythm's slot does not fire any more";
  auto f7 = fire("testkit.write", T0 + 7 * kSecond);
  ASSERT_EQ(f7.kind, Kind::enqueued);
  EXPECT_EQ(at(f7.next_run_at), at(T0 + 12 * kSecond));

  // Shortened to every 1s after a long quiet time: one run now, then every second.
  open("  testkit.write: { every: 1s, params: { rows: 1 } }\n");
  const Micros later = T0 + 30 * kSecond + kSecond / 2;
  EXPECT_EQ(reconcile(later).updated, 1);
  EXPECT_EQ(at(record("testkit.write").next_run_at.value_or(0)), at(later));
  auto kinds = fire_due(later, 3);
  EXPECT_EQ(kinds["testkit.write"], std::vector<Kind>{Kind::enqueued});
  EXPECT_EQ(at(record("testkit.write").next_run_at.value_or(0)), at(T0 + 31 * kSecond));

  EXPECT_EQ(slots("testkit.write"),
            (std::vector<std::string>{at(T0), at(T0 + 2 * kSecond), at(T0 + 7 * kSecond),
                                      at(T0 + 30 * kSecond)}));
  EXPECT_EQ(testing::scalar(host_->session(),
                            "SELECT COUNT(*) FROM jh_schedules WHERE job_type = 'testkit.write'"),
            1);
}

TEST_P(RegistryTest, DisabledScheduleStaysDisabledAcrossReconcileAndDoesNotFire) {
  const std::string yaml = "  testkit.write: { every: 2s, params: { rows: 1 } }\n";
  open(yaml);
  reconcile(T0);
  ASSERT_EQ(fire("testkit.write", T0).kind, Kind::enqueued);
  ASSERT_TRUE(schedule::ScheduleStore(host_->session())
                  .set_enabled("testkit.write", "", false, T0 + kSecond));
  // A stale copy of the record (taken while enabled, as a daemon's timer holds it) cannot fire.
  auto stale = record("testkit.write");
  stale.enabled = true;
  auto r =
      schedule::fire_schedule(host_->session(), host_->plugins(), stale, T0 + 2 * kSecond, true);
  EXPECT_EQ(r.kind, Kind::lost) << "the store's row is disabled";

  // A restart with the same YAML (which does not say `enabled:`) keeps `jobhost disable`.
  close();
  open(yaml);
  EXPECT_EQ(reconcile(T0 + 10 * kSecond).unchanged, 2);
  EXPECT_FALSE(record("testkit.write").enabled);
  EXPECT_TRUE(fire_due(T0 + 10 * kSecond, 1).empty());
  EXPECT_EQ(slots("testkit.write"), std::vector<std::string>{at(T0)});

  // Enabled again: one overdue run, then the grid of the last slot.
  ASSERT_TRUE(schedule::ScheduleStore(host_->session())
                  .set_enabled("testkit.write", "", true, T0 + 11 * kSecond));
  auto f = fire("testkit.write", T0 + 11 * kSecond);
  ASSERT_EQ(f.kind, Kind::enqueued);
  EXPECT_EQ(at(f.slot), at(T0 + 10 * kSecond));
  EXPECT_EQ(at(f.next_run_at), at(T0 + 12 * kSecond));
}

// A plugin may set a job type's own schedule (key "") at run time, e.g. from a setting: it
// replaces the type's compiled-in default for good, while a YAML entry still overrides it.
TEST_P(RegistryTest, PluginSetScheduleOfATypeBeatsItsDefaultButNotTheYaml) {
  open("", false);
  reconcile(T0);
  ASSERT_EQ(record("testkit.every").source, "default");
  auto set = host_->run_now("testkit.register",
                            {{"type", "testkit.every"}, {"key", ""}, {"when", "every 5s"}});
  ASSERT_EQ(set.status, jobs::JobStatus::completed) << set.error;
  EXPECT_EQ(record("testkit.every").source, "plugin");
  EXPECT_EQ(record("testkit.every").spec, "every 5s");

  close();  // a restart reconciles the YAML (no entry for testkit.every) again
  open("", false);
  reconcile(T0 + kSecond);
  EXPECT_EQ(record("testkit.every").source, "plugin") << "the default does not come back";
  EXPECT_EQ(record("testkit.every").spec, "every 5s");

  close();
  open("  testkit.every: { every: 7s }\n", false);
  reconcile(T0 + 2 * kSecond);
  EXPECT_EQ(record("testkit.every").source, "config") << "the YAML overrides the plugin";
  EXPECT_EQ(record("testkit.every").spec, "every 7s");

  // A keyed job type has no type-wide schedule: an empty key is refused, with the reason.
  auto keyed = host_->run_now("testkit.register", {{"type", "testkit.single"}, {"key", ""}});
  EXPECT_EQ(keyed.status, jobs::JobStatus::errored);
  EXPECT_THAT(keyed.error, ::testing::HasSubstr("is keyed by parameter 'key'"));
}

// A job type's minimum interval (ABI 1.3) holds whoever writes the schedule: the YAML is refused
// at its line, the plugin's own schedule_set gets the same reason, and an interval at the
// minimum is taken from both.
TEST_P(RegistryTest, MinimumIntervalOfAJobTypeRefusesFasterSchedulesFromYamlAndPlugin) {
  open("  testkit.throttled: { every: 30s }\n");
  auto desired = schedule::desired_schedules(host_->config(), host_->plugins());
  ASSERT_EQ(desired.problems.size(), 1u) << config::format_problems(desired.problems);
  EXPECT_EQ(config::format_problems(desired.problems),
            "test.yaml:" + std::to_string(desired.problems[0].line) + ":" +
                std::to_string(desired.problems[0].column) +
                ": schedules.testkit.throttled.every: 'every 30s' runs testkit.throttled more "
                "often than its minimum interval of 1m: give every 1m or more");
  EXPECT_GT(desired.problems[0].line, 0);
  for (const auto& d : desired.schedules) EXPECT_NE(d.job_type, "testkit.throttled");

  open("  testkit.throttled: { cron: \"*/2 * * * *\" }\n");
  reconcile(T0);
  EXPECT_EQ(record("testkit.throttled").spec, "cron */2 * * * *");

  auto fast = host_->run_now("testkit.register",
                             {{"type", "testkit.throttled"}, {"key", ""}, {"when", "every 10s"}});
  EXPECT_EQ(fast.status, jobs::JobStatus::errored);
  EXPECT_THAT(fast.error, ::testing::HasSubstr("'every 10s' runs testkit.throttled more often "
                                               "than its minimum interval of 1m"));
  EXPECT_EQ(record("testkit.throttled").spec, "cron */2 * * * *") << "left as it was";
  auto ok = host_->run_now("testkit.register",
                           {{"type", "testkit.throttled"}, {"key", ""}, {"when", "every 1m"}});
  EXPECT_EQ(ok.status, jobs::JobStatus::completed) << ok.error;
  // Taken, but the YAML configures this schedule, and an operator's entry wins.
  EXPECT_EQ(record("testkit.throttled").spec, "cron */2 * * * *");

  open("");  // without the entry, the plugin's own schedule at the minimum is stored
  ok = host_->run_now("testkit.register",
                      {{"type", "testkit.throttled"}, {"key", ""}, {"when", "every 1m"}});
  EXPECT_EQ(ok.status, jobs::JobStatus::completed) << ok.error;
  EXPECT_EQ(record("testkit.throttled").spec, "every 1m");
}

// Several hosts (here: sessions on threads) whose timers fire the same slot at the same instant
// with the same view of the schedule: one enqueues, the others lose the conditional update.
TEST_P(RegistryTest, SameSlotFiredByFourSessionsAtOnceEnqueuesOneJob) {
  open("  testkit.write: { every: 1s, params: { rows: 1 } }\n");
  reconcile(T0);
  constexpr int kSessions = 4, kRounds = 20;
  std::vector<std::unique_ptr<store::Session>> sessions;
  for (int i = 0; i < kSessions; ++i) sessions.push_back(host_->database().open());
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const auto rec = record("testkit.write");
    const Micros now = T0 + round * kSecond;
    std::vector<FireResult> results(kSessions);
    std::vector<std::string> errors(kSessions);
    std::barrier start(kSessions);
    std::vector<std::thread> threads;
    for (int i = 0; i < kSessions; ++i)
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        try {
          results[i] = schedule::fire_schedule(*sessions[i], host_->plugins(), rec, now, true);
        } catch (const std::exception& e) {
          errors[i] = e.what();
        }
      });
    for (auto& t : threads) t.join();
    int enqueued = 0, lost = 0;
    for (int i = 0; i < kSessions; ++i) {
      EXPECT_EQ(errors[i], "") << "session " << i;
      enqueued += results[i].kind == Kind::enqueued;
      lost += results[i].kind == Kind::lost;
    }
    EXPECT_EQ(enqueued, 1);
    EXPECT_EQ(lost, kSessions - 1);
  }
  auto fired = slots("testkit.write");
  ASSERT_EQ(fired.size(), static_cast<size_t>(kRounds));
  for (int round = 0; round < kRounds; ++round)
    EXPECT_EQ(fired[round], at(T0 + round * kSecond)) << "round " << round;
}

// The last line of defence: the store refuses a second job for a fired slot of a schedule.
TEST_P(RegistryTest, StoreRefusesASecondJobForTheSameScheduleSlot) {
  open("  testkit.write: { every: 1s, params: { rows: 1 } }\n");
  reconcile(T0);
  ASSERT_EQ(fire("testkit.write", T0).kind, Kind::enqueued);
  jobs::NewJob dup;
  dup.type = "testkit.write";
  dup.params = R"({"rows":1})";
  dup.origin = "schedule";
  dup.scheduled_at = T0;
  dup.schedule_id = record("testkit.write").id;
  try {
    host_->jobs().enqueue(dup, T0);
    ADD_FAILURE() << "a second job for slot " << at(T0) << " was accepted";
  } catch (const store::StoreError& e) {
    EXPECT_EQ(e.kind(), store::StoreError::Kind::unique_violation) << e.what();
  }
  dup.scheduled_at = T0 + kSecond;  // another slot is fine
  EXPECT_GT(host_->jobs().enqueue(dup, T0), 0);
  EXPECT_EQ(testing::scalar(host_->session(), "SELECT COUNT(*) FROM jh_jobs"), 2);
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(RegistryTest);

}  // namespace
}  // namespace jobhost
