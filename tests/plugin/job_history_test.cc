// latest_jobs (ABI 1.2), on both stores: per key of a job type, the run that started last, as the
// host recorded it; what a plugin's status report needs for "syncing" or "last sync errored",
// since an errored run's own writes are rolled back.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/host_fixture.h"

namespace jobhost {
namespace {

using json = nlohmann::json;

class JobHistoryTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    testing::HostSetup s;
    s.store = target();
    s.plugin_files = {testing::test_plugin("testkit")};
    host_ = testing::open_test_host(s);
  }

  jobs::RunOutcome run(const std::string& type,
                       const std::vector<std::pair<std::string, std::string>>& params = {}) {
    return host_->run_now(type, params);
  }

  json latest(const std::string& type) {
    auto outcome = run("testkit.latest", {{"type", type}});
    EXPECT_EQ(outcome.status, jobs::JobStatus::completed) << outcome.error;
    return json::parse(outcome.result.value_or("{}"))["jobs"];
  }

  std::unique_ptr<Host> host_;
};

TEST_P(JobHistoryTest, EachKeyShowsTheRunThatStartedLast) {
  const int64_t a = run("testkit.single", {{"key", "a"}}).id;
  run("testkit.single", {{"key", "b"}});
  const int64_t b2 = run("testkit.single", {{"key", "b"}}).id;
  host_->enqueue("testkit.single", {{"key", "c"}});  // queued, never started: nothing to say yet

  auto jobs = latest("testkit.single");
  ASSERT_EQ(jobs.size(), 2u) << jobs;
  EXPECT_EQ(jobs[0]["key"], "a");
  EXPECT_EQ(jobs[0]["job_id"], a);
  EXPECT_EQ(jobs[0]["status"], "completed");
  EXPECT_EQ(jobs[0]["error"], "");
  EXPECT_TRUE(jobs[0]["finished"].get<bool>());
  EXPECT_EQ(jobs[1]["key"], "b");
  EXPECT_EQ(jobs[1]["job_id"], b2);
  EXPECT_EQ(jobs[1]["attempt"], 1);
}

TEST_P(JobHistoryTest, AnErroredRunIsReportedWithItsErrorAndItsRetry) {
  run("testkit.flaky", {{"fail_times", "5"}});  // errors; 2 attempts left
  auto flaky = latest("testkit.flaky");
  ASSERT_EQ(flaky.size(), 1u) << flaky;
  EXPECT_EQ(flaky[0]["key"], "");
  EXPECT_EQ(flaky[0]["status"], "scheduled");
  EXPECT_EQ(flaky[0]["error"], "flaky failure on attempt 1");
  EXPECT_TRUE(flaky[0]["retry"].get<bool>());

  run("testkit.throw");  // errors for good (one attempt)
  auto thrown = latest("testkit.throw");
  ASSERT_EQ(thrown.size(), 1u) << thrown;
  EXPECT_EQ(thrown[0]["status"], "errored");
  EXPECT_EQ(thrown[0]["error"], "plain failure");
  EXPECT_FALSE(thrown[0]["retry"].get<bool>());
}

TEST_P(JobHistoryTest, AnotherPluginsJobTypeIsRefused) {
  auto outcome = run("testkit.latest", {{"type", "other.job"}});
  EXPECT_EQ(outcome.status, jobs::JobStatus::errored);
  EXPECT_EQ(outcome.error, "latest_jobs: 'other.job' is not a job type of plugin testkit");
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(JobHistoryTest);

}  // namespace
}  // namespace jobhost
