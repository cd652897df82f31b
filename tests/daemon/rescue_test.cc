// kill -9 of the host during a run, then another host: the job is rescued once its lease
// expires ("host lost"), retried per its policy, never duplicated, and the killed run's writes
// are absent while the retry's are present. On both stores.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <signal.h>

#include <thread>

#include <nlohmann/json.hpp>

#include "daemon/daemon_harness.h"

namespace jobhost {
namespace {

using testing::Cli;
using testing::eventually;
using ::testing::HasSubstr;
using testing::kSecond;
using ::testing::StartsWith;
using namespace std::chrono_literals;

class RescueTest : public testing::StoreTest {};

TEST_P(RescueTest, KilledHostsJobIsRescuedRetriedOnceAndItsWritesAreGone) {
  testing::HostSetup setup;
  setup.store = target();
  setup.plugin_files = {testing::test_plugin("testkit")};
  setup.workers = 1;
  Cli cli(testing::daemon_yaml(setup, "jobs:\n  lease_s: 2\n"));
  // rows 3, then 1.5 s of sleep: long enough to be killed in, short enough to retry quickly.
  auto enq = cli.json(
      {"enqueue", "testkit.write_slow", "--param", "rows=3", "--param", "ms=1500", "--json"});
  const int64_t id = enq.value("id", int64_t{-1});
  ASSERT_GT(id, 0) << enq;
  testing::StoreProbe probe(target());
  const std::string rows_of_job =
      "SELECT COUNT(*) FROM testkit_rows WHERE job_id = " + std::to_string(id);

  auto victim = cli.spawn({"work"});
  // Its instance: "test-host/<pid>.<random>".
  const std::string victim_prefix = testing::instance_prefix(victim.pid());
  ASSERT_TRUE(eventually(
      [&] {
        auto j = probe.job(id);
        return j && j->status == jobs::JobStatus::running;
      },
      10s))
      << victim.err();
  std::this_thread::sleep_for(400ms);  // it wrote its rows and sleeps, in its transaction
  victim.kill(SIGKILL);
  auto killed = victim.wait(10s);
  ASSERT_TRUE(killed.has_value());
  EXPECT_EQ(killed->signal, SIGKILL);

  auto orphan = probe.job(id);
  ASSERT_TRUE(orphan.has_value());
  EXPECT_EQ(orphan->status, jobs::JobStatus::running) << "nobody knows yet";
  EXPECT_EQ(orphan->host.rfind(victim_prefix, 0), 0u) << orphan->host;
  const std::string victim_host = orphan->host;
  EXPECT_EQ(orphan->attempt, 1);
  ASSERT_TRUE(orphan->lease_until.has_value() && orphan->started_at.has_value());
  EXPECT_LE(*orphan->lease_until - *orphan->started_at, 3 * kSecond)
      << "jobs.lease_s (2) holds from the claim on, before the first renewal";
  EXPECT_EQ(probe.count(rows_of_job), 0) << "the killed run's rows never committed";

  // Another worker: it rescues the job once its lease expired, and retries it.
  auto rescuer = cli.spawn({"work"});
  const std::string rescuer_prefix = testing::instance_prefix(rescuer.pid());
  ASSERT_TRUE(eventually(
      [&] {
        auto j = probe.job(id);
        return j && jobs::is_final(j->status);
      },
      20s))
      << rescuer.err();
  rescuer.kill(SIGTERM);
  auto ended = rescuer.wait(15s);
  ASSERT_TRUE(ended.has_value());
  EXPECT_EQ(ended->describe(), "exit code 0") << rescuer.err();

  auto j = probe.job(id);
  ASSERT_TRUE(j.has_value());
  EXPECT_EQ(j->status, jobs::JobStatus::completed) << j->error.value_or("");
  EXPECT_EQ(j->attempt, 2) << "the killed attempt and its retry";
  EXPECT_EQ(j->host.rfind(rescuer_prefix, 0), 0u) << j->host;
  EXPECT_EQ(probe.count(rows_of_job), 3) << "the retry's rows (the same keys: a leftover row of "
                                            "the killed run would have failed it)";
  EXPECT_EQ(probe.count("SELECT COUNT(*) FROM jh_jobs"), 1) << "no duplicate job";
  EXPECT_EQ(probe.count("SELECT COUNT(*) FROM testkit_rows"), 3);

  auto events = probe.events(id);
  ASSERT_EQ(events.size(), 2u);
  const auto& rescued = events[0];
  EXPECT_EQ(rescued.level, "error");
  EXPECT_THAT(rescued.message, StartsWith("rescued: host lost: " + victim_host +
                                          " stopped renewing the job's lease (it expired at " +
                                          format_time(*orphan->lease_until) +
                                          "); its changes were rolled back; next attempt at "));
  EXPECT_GE(rescued.created_at, *orphan->lease_until) << "not before the lease expired";
  auto data = nlohmann::json::parse(rescued.data.value_or("{}"));
  EXPECT_EQ(data["host"], victim_host);
  EXPECT_EQ(data["attempt"], 1);
  // The retry waited for its backoff (write_slow: retries(2, 1, 1) -> 1 s).
  ASSERT_TRUE(j->started_at.has_value());
  EXPECT_GE(*j->started_at, rescued.created_at + kSecond);
  EXPECT_THAT(events[1].message, StartsWith("completed in "));
  EXPECT_THAT(rescuer.err(), HasSubstr("job " + std::to_string(id) +
                                       " testkit.write_slow rescued: host lost: " + victim_host));
  EXPECT_EQ(testing::unique_violations(rescuer.err()), "");
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(RescueTest);

}  // namespace
}  // namespace jobhost
