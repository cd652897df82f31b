// Read-only queries (ABI 1.4), on both stores, through a real Host and the testkit plugin: a
// query answers without a job row or events, its writes are refused by the host, its
// parameters are checked as a job's, and only read-only types may run as one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>

#include <nlohmann/json.hpp>

#include "jobs/params.h"
#include "jobs/query.h"
#include "support/host_fixture.h"
#include "support/http_test_server.h"
#include "support/sql_probe.h"

namespace jobhost {
namespace {

using ::testing::HasSubstr;
using testing::scalar;

class QueryTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    testing::HostSetup setup;
    setup.store = target();
    setup.plugin_files = {testing::test_plugin("testkit")};
    host_ = testing::open_test_host(setup);
  }

  jobs::QueryOutcome query(const std::string& type, const nlohmann::json& params) {
    return jobs::run_query(host_->plugins(), host_->session(), host_->runner_options(), type,
                           params);
  }
  int64_t count(const std::string& sql) { return scalar(host_->session(), sql); }
  // What a query must leave as it found: jobs, events, the plugin's rows, schedules.
  std::vector<int64_t> footprint() {
    return {count("SELECT COUNT(*) FROM jh_jobs"), count("SELECT COUNT(*) FROM jh_events"),
            count("SELECT COUNT(*) FROM testkit_rows"), count("SELECT COUNT(*) FROM jh_schedules")};
  }
  std::string refusal(const std::string& service) {
    return "job type testkit.query_write is read-only: " + service +
           " is refused in a query (it runs outside the job queue and must not change anything)";
  }

  std::unique_ptr<Host> host_;
};

TEST_P(QueryTest, AnswersWithItsResultAndLeavesNoJobRowAndNoEvents) {
  auto wrote = host_->run_now("testkit.write", {{"rows", "3"}});
  ASSERT_EQ(wrote.status, jobs::JobStatus::completed) << wrote.error;
  const auto before = footprint();

  auto out = query("testkit.query", {{"who", "ops"}, {"n", "5"}});  // text accepted, as for jobs
  ASSERT_TRUE(out.ok) << out.error;
  EXPECT_EQ(out.error, "");
  ASSERT_TRUE(out.result.has_value());
  const auto r = nlohmann::json::parse(*out.result);
  EXPECT_EQ(r["who"], "ops");
  EXPECT_EQ(r["n"], 5);
  EXPECT_EQ(r["key"], "ops") << "the key parameter makes the key, as for a job";
  EXPECT_EQ(r["rows"], 3) << "it reads the store";
  EXPECT_EQ(r["job_id"], 0) << "there is no job";
  EXPECT_EQ(r["label"], "tk") << "it reads the plugin's settings";
  // On PostgreSQL the server itself refuses writes in a query's transaction (SQLite: "").
  EXPECT_EQ(r["read_only_tx"],
            std::string(GetParam() == testing::StoreKind::postgresql ? "on" : ""));
  EXPECT_GE(out.duration, 0);

  EXPECT_EQ(footprint(), before) << "no job row, no event, nothing written";
  EXPECT_FALSE(host_->session().in_transaction()) << "its transaction is over";
  // Again and again, as a dashboard polls: still nothing recorded.
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(query("testkit.query", {{"who", "x"}}).ok);
  EXPECT_EQ(footprint(), before);
}

TEST_P(QueryTest, WritesAreRefusedWithTheTypeNamedAndNothingIsKept) {
  const auto before = footprint();
  const std::pair<const char*, const char*> cases[] = {{"sql", "sql_exec"},
                                                       {"sql_many", "sql_exec_many"},
                                                       {"event", "event_emit"},
                                                       {"schedule", "schedule_set"}};
  for (const auto& [what, service] : cases) {
    auto out = query("testkit.query_write", {{"what", what}});
    EXPECT_FALSE(out.ok) << what;
    EXPECT_EQ(out.error, refusal(service)) << what;
    EXPECT_FALSE(out.result.has_value()) << what << ": the run errored";
  }
  // A plugin that swallows the refusal still fails: the type broke its read-only promise.
  auto swallowed = query("testkit.query_write", {{"what", "sql"}, {"swallow", true}});
  EXPECT_FALSE(swallowed.ok);
  EXPECT_EQ(swallowed.error, refusal("sql_exec"));
  EXPECT_EQ(footprint(), before);
  EXPECT_FALSE(host_->session().in_transaction());
}

TEST_P(QueryTest, HttpGetIsAllowedAndOtherMethodsAreRefusedBeforeBeingSent) {
  std::atomic<int> posts{0}, gets{0};
  testing::HttpTestServer server([&](const testing::TestRequest& req) {
    (req.method == "POST" ? posts : gets)++;
    return testing::TestResponse::json("{}");
  });
  const std::string url = server.base_url() + "/thing";
  auto get = query("testkit.query_write", {{"what", "get"}, {"url", url}});
  EXPECT_TRUE(get.ok) << get.error;
  EXPECT_EQ(gets.load(), 1);
  auto post = query("testkit.query_write", {{"what", "post"}, {"url", url}});
  EXPECT_FALSE(post.ok);
  EXPECT_EQ(post.error, refusal("http_request POST " + url));
  EXPECT_EQ(posts.load(), 0) << "the request was never sent";
}

TEST_P(QueryTest, ParametersAreCheckedAsAJobsWithTheSameMessages) {
  const auto& type = *host_->job_type("testkit.query");
  auto message_of = [](auto&& fn) {
    try {
      fn();
    } catch (const jobs::ParamError& e) {
      return std::string(e.what());
    }
    return std::string("(no ParamError)");
  };
  const std::vector<nlohmann::json> bad = {nlohmann::json::object(),           // `who` missing
                                           {{"who", "x"}, {"colour", "red"}},  // unknown
                                           {{"who", "x"}, {"n", "many"}},      // not an integer
                                           nlohmann::json::array()};
  for (const auto& params : bad) {
    const std::string expected = message_of([&] { jobs::params_from_json(type, params); });
    ASSERT_NE(expected, "(no ParamError)") << params;
    EXPECT_EQ(message_of([&] { query("testkit.query", params); }), expected) << params;
  }
  EXPECT_THAT(message_of([&] { query("testkit.query", nlohmann::json::object()); }),
              HasSubstr("who"));
  EXPECT_THROW(query("testkit.query", nullptr), jobs::ParamError) << "null: no params at all";
}

TEST_P(QueryTest, ATypeThatIsNotReadOnlyIsRefusedAndDoesNotRun) {
  const auto before = footprint();
  try {
    query("testkit.write", {{"rows", 2}});
    FAIL() << "testkit.write is not read-only";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("job type testkit.write is not a read-only query"));
  }
  EXPECT_EQ(footprint(), before);
}

TEST_P(QueryTest, AnUnknownTypeIsRefusedNamingTheLoadedOnes) {
  try {
    query("testkit.nope", nlohmann::json::object());
    FAIL() << "no such type";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("no loaded plugin provides job type 'testkit.nope'"));
    EXPECT_THAT(e.what(), HasSubstr("testkit.query"));
  }
}

TEST_P(QueryTest, AReadOnlyTypeStillRunsAsAnOrdinaryJob) {
  auto out = host_->run_now("testkit.query", {{"who", "cli"}});
  ASSERT_EQ(out.status, jobs::JobStatus::completed) << out.error;
  const auto r = nlohmann::json::parse(out.result.value_or("{}"));
  EXPECT_EQ(r["job_id"], out.id);
  EXPECT_EQ(r["read_only_tx"],
            std::string(GetParam() == testing::StoreKind::postgresql ? "off" : ""));
  EXPECT_EQ(count("SELECT COUNT(*) FROM jh_jobs WHERE type = 'testkit.query'"), 1);
  // The refusals belong to the query path only: as a job, the same type may write.
  auto job = host_->run_now("testkit.query_write", {{"what", "sql"}});
  ASSERT_EQ(job.status, jobs::JobStatus::completed) << job.error;
  EXPECT_EQ(count("SELECT COUNT(*) FROM testkit_rows"), 1);
}

// A query reads in a read transaction: it neither waits for a writer (SQLite's write lock and
// the host's write gate) nor holds them up.
TEST_P(QueryTest, RunsWhileAnotherSessionHoldsAWriteTransaction) {
  auto reader = host_->database().open();
  auto writer = host_->database().open();
  writer->begin_write();
  auto answered = std::async(std::launch::async, [&] {
    return jobs::run_query(host_->plugins(), *reader, host_->runner_options(), "testkit.query",
                           {{"who", "w"}});
  });
  const bool in_time = answered.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
  writer->rollback();  // lets a blocked query finish, so the test ends either way
  ASSERT_TRUE(in_time) << "the query waited for the writer";
  auto out = answered.get();
  EXPECT_TRUE(out.ok) << out.error;
}

TEST_P(QueryTest, AnOpenTransactionOfTheCallerIsNotTakenOver) {
  host_->session().begin_write();
  EXPECT_THROW(query("testkit.query", {{"who", "x"}}), std::logic_error);
  EXPECT_TRUE(host_->session().in_transaction()) << "the caller's transaction is left alone";
  host_->session().rollback();
}

TEST_P(QueryTest, StatusQueryIsTheReadOnlyTypeNamedStatus) {
  auto spec = host_->plugins().find_plugin("testkit")->spec;
  const auto* status = jobs::status_query_of(spec);
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(status->name, "testkit.status");
  // A `.status` type that may write is no status query (the API would record a job a poll).
  for (auto& t : spec.job_types)
    if (t.name == "testkit.status") t.read_only = false;
  EXPECT_EQ(jobs::status_query_of(spec), nullptr);
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(QueryTest);

}  // namespace
}  // namespace jobhost
