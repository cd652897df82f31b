// Group commit: runs of fast job types share one transaction, each inside its own savepoint.
// A failing run in the middle of a batch must lose only its own writes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "jobs/new_job.h"
#include "jobs/runner.h"
#include "support/host_fixture.h"
#include "support/sql_probe.h"

namespace jobhost {
namespace {

class GroupCommitTest : public testing::StoreTest {};

TEST_P(GroupCommitTest, FailingRunInABatchLosesOnlyItsOwnWrites) {
  testing::HostSetup setup;
  setup.store = target();
  setup.plugin_files = {testing::test_plugin("testkit")};
  auto host = testing::open_test_host(setup);

  // Teach the runner that these types are fast, so the batch below shares a transaction (on
  // a loaded machine that may take more runs; the assertions below hold either way).
  for (const std::string type : {"testkit.write", "testkit.write_then_throw", "testkit.noop"}) {
    std::vector<std::pair<std::string, std::string>> params;
    if (type != "testkit.noop") params.push_back({"rows", "1"});
    for (int i = 0; i < 30 && (i < 3 || !host->durations().is_fast(type)); ++i)
      host->run_now(type, params);
  }
  const int64_t rows_before = testing::scalar(host->session(), "SELECT COUNT(*) FROM testkit_rows");

  auto make = [&](const std::string& type, int rows) {
    nlohmann::json params = nlohmann::json::object();
    if (type != "testkit.noop") params["rows"] = rows;
    return jobs::make_new_job(host->job_type(type), params, "test", 0);
  };
  std::vector<jobs::NewJob> batch = {make("testkit.write", 2), make("testkit.write_then_throw", 3),
                                     make("testkit.noop", 0), make("testkit.write", 4),
                                     make("testkit.write_then_throw", 1)};
  auto ids = host->jobs().enqueue_many(batch, now_micros());
  auto session = host->database().open();
  jobs::JobStore store(*session);
  auto claimed = store.claim(host->instance(), 10, now_micros(), 60'000'000);
  ASSERT_EQ(claimed.size(), 5u);
  jobs::Runner runner(host->plugins(), *session, host->runner_options(), host->durations());
  // A run that happens to be slow (a loaded machine) ends the batch early; the rest run in
  // the next one. What must hold is the same either way.
  std::vector<jobs::RunOutcome> outcomes;
  while (outcomes.size() < claimed.size()) {
    std::vector<jobs::ClaimedJob> rest(claimed.begin() + static_cast<long>(outcomes.size()),
                                       claimed.end());
    auto more = runner.run(rest);
    ASSERT_FALSE(more.empty());
    outcomes.insert(outcomes.end(), more.begin(), more.end());
  }
  ASSERT_EQ(outcomes.size(), 5u);

  const jobs::JobStatus expected[] = {jobs::JobStatus::completed, jobs::JobStatus::errored,
                                      jobs::JobStatus::completed, jobs::JobStatus::completed,
                                      jobs::JobStatus::errored};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(outcomes[i].status, expected[i]) << "job " << i << ": " << outcomes[i].error;
    auto j = host->jobs().get(ids[i]);
    ASSERT_TRUE(j);
    EXPECT_EQ(j->status, expected[i]) << "stored status of job " << i;
  }
  auto rows_of = [&](int64_t id) {
    return testing::scalar(
        host->session(), "SELECT COUNT(*) FROM testkit_rows WHERE job_id = " + std::to_string(id));
  };
  EXPECT_EQ(rows_of(ids[0]), 2);
  EXPECT_EQ(rows_of(ids[1]), 0);
  EXPECT_EQ(rows_of(ids[3]), 4);
  EXPECT_EQ(rows_of(ids[4]), 0);
  EXPECT_EQ(testing::scalar(host->session(), "SELECT COUNT(*) FROM testkit_rows"), rows_before + 6);
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(GroupCommitTest);

}  // namespace
}  // namespace jobhost
