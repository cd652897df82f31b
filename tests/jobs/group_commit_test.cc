// Group commit: runs of fast job types share one transaction, each inside its own savepoint.
// A failing run in the middle of a batch must lose only its own writes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "jobs/new_job.h"
#include "jobs/runner.h"
#include "support/host_fixture.h"
#include "support/sql_probe.h"

namespace jobhost {
namespace {

class GroupCommitTest : public testing::StoreTest {
 protected:
  // A host with testkit whose runner has learnt that `types` are fast, so that a batch of them
  // shares a transaction (on a loaded machine that may take more runs; the tests' assertions
  // hold either way).
  std::unique_ptr<Host> open_host_knowing_fast(const std::vector<std::string>& types) {
    testing::HostSetup setup;
    setup.store = target();
    setup.plugin_files = {testing::test_plugin("testkit")};
    auto host = testing::open_test_host(setup);
    for (const auto& type : types) {
      std::vector<std::pair<std::string, std::string>> params;
      if (type != "testkit.noop") params.push_back({"rows", "1"});
      for (int i = 0; i < 30 && (i < 3 || !host->durations().is_fast(type)); ++i)
        host->run_now(type, params);
    }
    return host;
  }
};

TEST_P(GroupCommitTest, FailingRunInABatchLosesOnlyItsOwnWrites) {
  auto host = open_host_knowing_fast({"testkit.write", "testkit.write_then_throw", "testkit.noop"});
  const int64_t rows_before = testing::scalar(host->session(), "SELECT COUNT(*) FROM testkit_rows");

  auto make = [&](const std::string& type, int rows) {
    nlohmann::json params = nlohmann::json::object();
    if (type != "testkit.noop") params["rows"] = rows;
    return jobs::make_new_job(*host->job_type(type), params, "test", 0);
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

// A run whose outcome cannot be written at all (here: the store refuses its events) can take
// the whole batch transaction down with it (PostgreSQL aborts it). Then no run of that batch
// may be reported, or left stored, as completed: each is recorded errored on its own.
TEST_P(GroupCommitTest, RunWhoseOutcomeCannotBeWrittenFailsItsBatchOpenly) {
  auto host = open_host_knowing_fast({"testkit.write", "testkit.noop"});
  const int64_t rows_before = testing::scalar(host->session(), "SELECT COUNT(*) FROM testkit_rows");

  auto make = [&](const std::string& type, int rows) {
    nlohmann::json params = nlohmann::json::object();
    if (rows) params["rows"] = rows;
    return jobs::make_new_job(*host->job_type(type), params, "test", 0);
  };
  auto ids = host->jobs().enqueue_many(
      {make("testkit.write", 2), make("testkit.noop", 0), make("testkit.noop", 0)}, now_micros());
  const std::string refused = std::to_string(ids[1]);
  if (target().kind == testing::StoreKind::postgresql) {
    host->session().exec_script(
        "CREATE FUNCTION refuse_event() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'event refused by the test'; END $$; "
        "CREATE TRIGGER refuse_event BEFORE INSERT ON jh_events FOR EACH ROW WHEN (NEW.job_id = " +
        refused + ") EXECUTE FUNCTION refuse_event();");
  } else {
    host->session().exec_script(
        "CREATE TRIGGER refuse_event BEFORE INSERT ON jh_events WHEN NEW.job_id = " + refused +
        " BEGIN SELECT RAISE(ABORT, 'event refused by the test'); END;");
  }

  auto session = host->database().open();
  jobs::JobStore store(*session);
  auto claimed = store.claim(host->instance(), 10, now_micros(), 60'000'000);
  ASSERT_EQ(claimed.size(), 3u);
  jobs::Runner runner(host->plugins(), *session, host->runner_options(), host->durations());
  std::vector<jobs::RunOutcome> outcomes;
  bool shared_batch = false;  // the write and the refused run went into one run() call
  while (outcomes.size() < claimed.size()) {
    std::vector<jobs::ClaimedJob> rest(claimed.begin() + static_cast<long>(outcomes.size()),
                                       claimed.end());
    auto more = runner.run(rest);
    ASSERT_FALSE(more.empty());
    if (outcomes.empty() && more.size() >= 2) shared_batch = true;
    outcomes.insert(outcomes.end(), more.begin(), more.end());
  }

  for (size_t i = 0; i < 3; ++i) {
    auto j = host->jobs().get(ids[i]);
    ASSERT_TRUE(j);
    EXPECT_EQ(j->status, outcomes[i].status)
        << "job " << i << " reported " << jobs::status_name(outcomes[i].status) << " ("
        << outcomes[i].error << ") but stored " << jobs::status_name(j->status);
  }
  EXPECT_EQ(outcomes[1].status, jobs::JobStatus::errored);
  const int64_t written =
      testing::scalar(host->session(),
                      "SELECT COUNT(*) FROM testkit_rows WHERE job_id = " + std::to_string(ids[0]));
  EXPECT_EQ(written, outcomes[0].status == jobs::JobStatus::completed ? 2 : 0);
  if (shared_batch) {
    EXPECT_EQ(outcomes[0].status, jobs::JobStatus::errored);
    EXPECT_THAT(outcomes[0].error, ::testing::HasSubstr("rolled back"));
  }
  EXPECT_EQ(testing::scalar(host->session(), "SELECT COUNT(*) FROM testkit_rows"),
            rows_before + written);
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(GroupCommitTest);

}  // namespace
}  // namespace jobhost
