// The process's counters and histograms move with what really happens, on both stores: runs
// through run-now and through the worker pool, retries, rescues of other processes' jobs, and
// schedule fires with their lateness.
#include <gtest/gtest.h>

#include "config/loader.h"
#include "config/problem.h"
#include "daemon/host_registry.h"
#include "exec/lease_keeper.h"
#include "exec/worker_pool.h"
#include "jobs/new_job.h"
#include "jobs/params.h"
#include "metrics/metrics_fixture.h"
#include "schedule/config_schedules.h"
#include "schedule/firing.h"

namespace jobhost {
namespace {

constexpr Micros kSecond = 1'000'000;

class MetricsCountersTest : public testing::MetricsTest {
 protected:
  jobs::NewJob new_job(const std::string& type) {
    const auto& spec = *host().job_type(type);
    return jobs::make_new_job(spec, jobs::params_from_text(spec, {}), "manual", now_micros());
  }
};

TEST_P(MetricsCountersTest, RunsAreCountedByOutcomeWithTheirDurations) {
  auto before = scrape();
  host().run_now("testkit.noop", {});
  host().run_now("testkit.noop", {});
  host().run_now("testkit.throw", {});
  host().run_now("testkit.fail", {});
  auto after = scrape();
  const std::string runs = "jobhost_job_runs_total";
  EXPECT_EQ(delta(before, after, runs, {{"type", "testkit.noop"}, {"status", "completed"}}), 2);
  EXPECT_EQ(delta(before, after, runs, {{"type", "testkit.throw"}, {"status", "errored"}}), 1);
  EXPECT_EQ(delta(before, after, runs, {{"type", "testkit.fail"}, {"status", "failed"}}), 1);
  EXPECT_EQ(delta(before, after, runs, {{"type", "testkit.noop"}, {"status", "errored"}}), 0);
  const std::string durations = "jobhost_job_run_duration_seconds";
  EXPECT_EQ(delta(before, after, durations + "_count", {{"type", "testkit.noop"}}), 2);
  EXPECT_EQ(delta(before, after, durations + "_bucket", {{"type", "testkit.noop"}, {"le", "+Inf"}}),
            2);
  EXPECT_EQ(delta(before, after, durations + "_count", {{"type", "testkit.fail"}}), 1);
  EXPECT_GE(delta(before, after, durations + "_sum", {{"type", "testkit.noop"}}), 0);
}

TEST_P(MetricsCountersTest, LongRunsLandInTheirDurationBucket) {
  auto before = scrape();
  auto out = host().run_now("testkit.write_slow", {{"ms", "60"}});
  ASSERT_EQ(out.status, jobs::JobStatus::completed) << out.error;
  auto after = scrape();
  const std::string b = "jobhost_job_run_duration_seconds_bucket";
  const testing::LabelList type = {{"type", "testkit.write_slow"}};
  auto bucket = [&](const std::string& le) {
    auto labels = type;
    labels.emplace_back("le", le);
    return delta(before, after, b, labels);
  };
  EXPECT_EQ(bucket("0.05"), 0) << "a 60 ms run";
  EXPECT_EQ(bucket("+Inf"), 1);
  EXPECT_GE(delta(before, after, "jobhost_job_run_duration_seconds_sum", type), 0.06);
}

TEST_P(MetricsCountersTest, RetriesAreCountedWhenAnotherAttemptIsScheduled) {
  auto before = scrape();
  auto flaky = host().run_now("testkit.flaky", {{"fail_times", "5"}});  // 3 attempts: retried
  ASSERT_TRUE(flaky.retry_at.has_value());
  auto plain = host().run_now("testkit.throw", {});  // 1 attempt: not retried
  ASSERT_FALSE(plain.retry_at.has_value());
  auto after = scrape();
  EXPECT_EQ(delta(before, after, "jobhost_job_retries_total", {{"type", "testkit.flaky"}}), 1);
  EXPECT_EQ(delta(before, after, "jobhost_job_retries_total", {{"type", "testkit.throw"}}), 0);
  EXPECT_EQ(delta(before, after, "jobhost_job_runs_total",
                  {{"type", "testkit.flaky"}, {"status", "errored"}}),
            1);
}

TEST_P(MetricsCountersTest, JobsDrainedByTheWorkerPoolAreCounted) {
  for (int i = 0; i < 5; ++i) host().enqueue("testkit.noop", {});
  auto before = scrape();
  EXPECT_EQ(before.value("jobhost_queue_depth", {{"type", "testkit.noop"}}), 5);
  WorkerPool pool(host(), {.workers = 2, .drain = true});
  pool.run();
  auto after = scrape();
  EXPECT_EQ(delta(before, after, "jobhost_job_runs_total",
                  {{"type", "testkit.noop"}, {"status", "completed"}}),
            5);
  EXPECT_EQ(
      delta(before, after, "jobhost_job_run_duration_seconds_count", {{"type", "testkit.noop"}}),
      5);
  EXPECT_EQ(after.value("jobhost_queue_depth", {{"type", "testkit.noop"}}), 0);
}

TEST_P(MetricsCountersTest, RescuedJobsAreCountedByReasonAndRetried) {
  const Micros now = now_micros();
  // A `jobhost work` process that died: its lease ran out 9 s ago.
  host().jobs().start_now(new_job("testkit.write_slow"), "dead/1.x", now - 10 * kSecond, kSecond);
  // A daemon silent for a minute, its job's lease still running: rescued once declared lost.
  daemon::HostRecord gone;
  gone.instance = gone.name = "gone/2.y";
  gone.machine = "m";
  gone.version = "0";
  gone.role = "daemon";
  gone.started_at = gone.heartbeat_at = now - 60 * kSecond;
  daemon::register_host(host().session(), gone);
  host().jobs().start_now(new_job("testkit.write_slow"), gone.instance, now, 600 * kSecond);

  auto before = scrape();
  ASSERT_EQ(rescue_expired_jobs(host().session(), host().plugins(), now, 30 * kSecond, true), 2);
  auto after = scrape();
  EXPECT_EQ(delta(before, after, "jobhost_jobs_rescued_total", {{"reason", "lease"}}), 1);
  EXPECT_EQ(delta(before, after, "jobhost_jobs_rescued_total", {{"reason", "host_lost"}}), 1);
  EXPECT_EQ(delta(before, after, "jobhost_job_retries_total", {{"type", "testkit.write_slow"}}), 2)
      << "testkit.write_slow has 2 attempts: each rescued first attempt gets its second";
  EXPECT_EQ(after.value("jobhost_hosts", {{"state", "lost"}}), 1);
}

TEST_P(MetricsCountersTest, ScheduleFiresRecordHowLateTheyWere) {
  // A synthetic clock, far from the wall clock's.
  constexpr Micros T0 = 1'900'000'000'123'456;
  host_ = Host::open(config::load_config_string(
      testing::host_yaml(setup_) +
          "schedules:\n  testkit.write: { every: 60s, params: { rows: 1 } }\n"
          "  testkit.every: { enabled: false }\n",
      "test.yaml"));
  auto desired = schedule::desired_schedules(host().config(), host().plugins());
  ASSERT_TRUE(desired.problems.empty()) << config::format_problems(desired.problems);
  schedule::reconcile_schedules(host().session(), desired.schedules, T0);
  schedule::ScheduleStore schedules(host().session());
  auto fire = [&](Micros now) {
    auto record = schedules.find("testkit.write", "");
    EXPECT_TRUE(record.has_value());
    return schedule::fire_schedule(host().session(), host().plugins(), record.value(), now, true);
  };
  // A new interval schedule runs at once (its slot is the time it fires); the next slot is
  // T0 + 60 s, fired here 2 s late.
  ASSERT_EQ(fire(T0).kind, schedule::FireResult::Kind::enqueued);
  auto before = scrape();
  auto fired = fire(T0 + 62 * kSecond);
  ASSERT_EQ(fired.kind, schedule::FireResult::Kind::enqueued) << fired.message;
  ASSERT_EQ(fired.slot, T0 + 60 * kSecond);
  auto after = scrape();
  const std::string h = "jobhost_schedule_lateness_seconds";
  const testing::LabelList type = {{"type", "testkit.write"}};
  EXPECT_EQ(delta(before, after, h + "_count", type), 1);
  EXPECT_DOUBLE_EQ(delta(before, after, h + "_sum", type), 2.0);
  EXPECT_EQ(delta(before, after, h + "_bucket", {{"type", "testkit.write"}, {"le", "1"}}), 0);
  EXPECT_EQ(delta(before, after, h + "_bucket", {{"type", "testkit.write"}, {"le", "2.5"}}), 1);
  EXPECT_EQ(after.value("jobhost_schedules", {{"state", "enabled"}}), 1);
  EXPECT_EQ(after.value("jobhost_schedules", {{"state", "disabled"}}), 1);
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(MetricsCountersTest);

}  // namespace
}  // namespace jobhost
