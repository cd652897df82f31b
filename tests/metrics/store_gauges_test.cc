// The gauges read from the store at each scrape, on both stores: jobs by type and status, the
// due queue, this process's running jobs, hosts, and what happens when the store fails.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include <soci/soci.h>

#include "daemon/host_registry.h"
#include "jobs/new_job.h"
#include "jobs/params.h"
#include "metrics/metrics_fixture.h"
#include "metrics/store_gauges.h"

namespace jobhost {
namespace {

using testing::LabelList;

class MetricsGaugesTest : public testing::MetricsTest {
 protected:
  jobs::NewJob new_job(const std::string& type) {
    const auto& spec = *host().job_type(type);
    return jobs::make_new_job(spec, jobs::params_from_text(spec, {}), "manual", now_micros());
  }
};

TEST_P(MetricsGaugesTest, EveryFamilyIsDeclaredWithItsType) {
  auto m = scrape();
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"jobhost_up", "gauge"},
      {"jobhost_build_info", "gauge"},
      {"jobhost_store_up", "gauge"},
      {"jobhost_job_runs_total", "counter"},
      {"jobhost_job_run_duration_seconds", "histogram"},
      {"jobhost_job_retries_total", "counter"},
      {"jobhost_jobs_rescued_total", "counter"},
      {"jobhost_schedule_lateness_seconds", "histogram"},
      {"jobhost_remote_calls_total", "counter"},
      {"jobhost_remote_rate_limited_total", "counter"},
      {"jobhost_jobs", "gauge"},
      {"jobhost_queue_depth", "gauge"},
      {"jobhost_running_jobs", "gauge"},
      {"jobhost_hosts", "gauge"},
      {"jobhost_schedules", "gauge"},
  };
  for (const auto& [name, type] : expected) {
    ASSERT_TRUE(m.families.count(name)) << name;
    EXPECT_EQ(m.families[name].type, type) << name;
    EXPECT_FALSE(m.families[name].help.empty()) << name;
  }
  EXPECT_EQ(m.families.size(), expected.size()) << "a family without a test of its name";
  EXPECT_EQ(m.value("jobhost_up"), 1);
  EXPECT_EQ(m.value("jobhost_store_up"), 1);
  EXPECT_EQ(m.value("jobhost_build_info", {{"version", JOBHOST_VERSION}}), 1);
}

TEST_P(MetricsGaugesTest, QueueDepthCountsWaitingJobsThatAreDue) {
  for (int i = 0; i < 3; ++i) host().enqueue("testkit.noop", {});
  host().enqueue("testkit.write", {});
  // Due in an hour: in the store, not yet in the queue's depth.
  host().enqueue("testkit.noop", {}, "manual", now_micros() + 3'600'000'000LL);
  auto m = scrape();
  EXPECT_EQ(m.value("jobhost_queue_depth", {{"type", "testkit.noop"}}), 3);
  EXPECT_EQ(m.value("jobhost_queue_depth", {{"type", "testkit.write"}}), 1);
  EXPECT_TRUE(m.has("jobhost_queue_depth", {{"type", "testkit.throw"}}))
      << "a loaded type with nothing queued reads 0 rather than vanishing";
  EXPECT_EQ(m.value("jobhost_jobs", {{"type", "testkit.noop"}, {"status", "pending"}}), 3);
  EXPECT_EQ(m.value("jobhost_jobs", {{"type", "testkit.noop"}, {"status", "scheduled"}}), 1);
  EXPECT_TRUE(m.has("jobhost_jobs", {{"type", "testkit.throw"}, {"status", "failed"}}));
}

TEST_P(MetricsGaugesTest, JobsByStatusFollowTheRuns) {
  host().run_now("testkit.noop", {});
  host().run_now("testkit.noop", {});
  host().run_now("testkit.throw", {});
  host().run_now("testkit.fail", {});
  auto m = scrape();
  EXPECT_EQ(m.value("jobhost_jobs", {{"type", "testkit.noop"}, {"status", "completed"}}), 2);
  EXPECT_EQ(m.value("jobhost_jobs", {{"type", "testkit.throw"}, {"status", "errored"}}), 1);
  EXPECT_EQ(m.value("jobhost_jobs", {{"type", "testkit.fail"}, {"status", "failed"}}), 1);
  EXPECT_EQ(m.value("jobhost_queue_depth", {{"type", "testkit.noop"}}), 0);
}

TEST_P(MetricsGaugesTest, RunningJobsCountsOnlyThisProcesssJobs) {
  const Micros lease = 60'000'000;
  host().jobs().start_now(new_job("testkit.noop"), host().instance(), now_micros(), lease);
  host().jobs().start_now(new_job("testkit.noop"), "elsewhere/1.x", now_micros(), lease);
  auto m = scrape();
  EXPECT_EQ(m.value("jobhost_running_jobs"), 1);
  EXPECT_EQ(m.value("jobhost_jobs", {{"type", "testkit.noop"}, {"status", "running"}}), 2);
}

TEST_P(MetricsGaugesTest, HostsAreLiveOrLostAsJobhostStatusSaysAndOldOnesAreLeftOut) {
  const Micros now = now_micros(), second = 1'000'000;
  auto host_row = [&](const std::string& instance, Micros beat) {
    daemon::HostRecord h;
    h.instance = instance;
    h.name = instance;
    h.machine = "m";
    h.pid = 1;
    h.version = "0";
    h.role = "daemon";
    h.started_at = h.heartbeat_at = beat;
    daemon::register_host(host().session(), h);
  };
  host_row("live-a", now);
  host_row("live-b", now - 5 * second);
  host_row("silent", now - 40 * second);  // over host.lost_after_s (30) without a beat
  host_row("declared", now - 10 * second);
  host_row("stopped", now);
  host_row("ancient", now - 2 * 86'400 * second);
  host().session().sql() << "UPDATE jh_hosts SET lost_at = heartbeat_at WHERE instance = "
                            "'declared'";
  daemon::mark_stopped(host().session(), "stopped", now);
  auto m = scrape();
  EXPECT_EQ(m.value("jobhost_hosts", {{"state", "live"}}), 2);
  EXPECT_EQ(m.value("jobhost_hosts", {{"state", "lost"}}), 2);
}

TEST_P(MetricsGaugesTest, LabelValuesFromTheStoreAreEscaped) {
  // Job types come from plugins and are tame; the store's rows are what render trusts least.
  const std::string weird = "odd\"type\\with\nnewline";
  host().session().sql() << "INSERT INTO jh_jobs (type, status, created_at, scheduled_at) VALUES "
                            "(:t, 'pending', 1, 1)",
      soci::use(weird);
  auto m = scrape();  // also checks the whole exposition parses
  EXPECT_EQ(m.value("jobhost_jobs", {{"type", weird}, {"status", "pending"}}), 1);
  EXPECT_EQ(m.value("jobhost_queue_depth", {{"type", weird}}), 1);
}

TEST_P(MetricsGaugesTest, AFailingStoreLeavesItsGaugesOutAndKeepsTheRest) {
  // A database without the framework's tables: every gauge query fails.
  auto empty = target().open_database();
  auto session = empty->open();
  metrics::RenderContext ctx;
  ctx.job_types = {"testkit.noop"};
  auto m = testing::read_exposition(metrics::render(*session, ctx));
  EXPECT_TRUE(m.problems.empty()) << ::testing::PrintToString(m.problems);
  EXPECT_EQ(m.value("jobhost_store_up"), 0);
  EXPECT_TRUE(m.has("jobhost_store_up"));
  EXPECT_EQ(m.value("jobhost_up"), 1);
  EXPECT_TRUE(m.families.count("jobhost_job_runs_total"));
  EXPECT_FALSE(m.families.count("jobhost_jobs"));
  EXPECT_FALSE(m.families.count("jobhost_queue_depth"));
}

// The scrape reads every job once (no index covers type and status). Prints the time for the
// report; fails only when it is far beyond a scrape's budget.
TEST_P(MetricsGaugesTest, GaugesOf100000JobsReadWithinAScrapesBudget) {
  constexpr int kJobs = 100'000;
  const Micros now = now_micros();
  auto& sql = host().session().sql();
  const char* statuses =
      "CASE n % 10 WHEN 0 THEN 'errored' WHEN 1 THEN 'failed' WHEN 2 THEN "
      "'pending' ELSE 'completed' END";
  const std::string rows =
      GetParam() == testing::StoreKind::sqlite
          ? "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < " +
                std::to_string(kJobs) + ") "
          : "WITH s(n) AS (SELECT generate_series(1, " + std::to_string(kJobs) + ")) ";
  store::WriteTransaction tx(host().session());
  sql << rows +
             "INSERT INTO jh_jobs (type, status, created_at, scheduled_at, finished_at) "
             "SELECT 'bulk.t' || (n % 20), " +
             statuses + ", n, n, n FROM s";
  tx.commit();
  if (GetParam() == testing::StoreKind::postgresql) sql << "ANALYZE jh_jobs";

  metrics::RenderContext ctx = metrics::RenderContext::of(host());
  ctx.now = now;
  auto best = std::chrono::steady_clock::duration::max();
  metrics::StoreGauges g;
  for (int i = 0; i < 5; ++i) {
    const auto started = std::chrono::steady_clock::now();
    g = metrics::read_store_gauges(host().session(), ctx);
    best = std::min(best, std::chrono::steady_clock::now() - started);
  }
  const double ms = std::chrono::duration<double, std::milli>(best).count();
  std::printf("metrics: store gauges of %d jobs on %s read in %.1f ms (best of 5)\n", kJobs,
              target().name().c_str(), ms);
  std::int64_t total = 0;
  for (const auto& [key, n] : g.jobs) total += n;
  EXPECT_EQ(total, kJobs);
  EXPECT_EQ(g.queue_depth["bulk.t2"], kJobs / 20) << "n % 20 == 2: pending and due";
  EXPECT_LT(ms, 1000.0) << "far beyond a scrape's budget";
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(MetricsGaugesTest);

}  // namespace
}  // namespace jobhost
