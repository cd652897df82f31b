// The atomic runner against both stores, through a real Host and the testkit plugin: every
// outcome of a run (completed, errored, failed, timed out) and what it leaves in the store.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "exec/worker_pool.h"
#include "jobs/new_job.h"
#include "jobs/params.h"
#include "support/host_fixture.h"
#include "support/http_test_server.h"
#include "support/sql_probe.h"

namespace jobhost {
namespace {

using ::testing::HasSubstr;
using testing::HostSetup;
using testing::scalar;

class RunnerTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    setup_.store = target();
    setup_.plugin_files = {testing::test_plugin("testkit"), testing::test_plugin("frozen_v1")};
  }
  Host& host() {
    if (!host_) host_ = testing::open_test_host(setup_);
    return *host_;
  }
  int64_t count(const std::string& sql) { return scalar(host().session(), sql); }
  jobs::JobRecord job(int64_t id) {
    auto j = host().jobs().get(id);
    EXPECT_TRUE(j.has_value()) << "job " << id;
    return j.value_or(jobs::JobRecord{});
  }
  std::vector<jobs::EventRecord> events_of(int64_t id) {
    jobs::EventFilter f;
    f.job_id = id;
    return host().jobs().events(f);
  }

  HostSetup setup_;
  std::unique_ptr<Host> host_;
};

// Hosts of one configuration share a host name, and in containers often a pid: each still gets
// an instance of its own, or one host's lease renewals would keep another's jobs alive.
TEST_P(RunnerTest, TwoHostsOfOneConfigurationAndPidHaveDistinctInstances) {
  auto twin = open_test_host(setup_);
  EXPECT_NE(twin->instance(), host().instance());
  EXPECT_EQ(twin->instance().rfind("test-host/" + std::to_string(::getpid()) + ".", 0), 0u)
      << twin->instance();
}

TEST_P(RunnerTest, CompletedRunCommitsWritesEventsAndResultTogether) {
  auto out = host().run_now("testkit.write", {{"rows", "4"}});
  ASSERT_EQ(out.status, jobs::JobStatus::completed) << out.error;
  EXPECT_EQ(nlohmann::json::parse(*out.result), nlohmann::json({{"written", 4}}));
  EXPECT_EQ(count("SELECT COUNT(*) FROM testkit_rows WHERE job_id = " + std::to_string(out.id)), 4);

  auto j = job(out.id);
  EXPECT_EQ(j.status, jobs::JobStatus::completed);
  EXPECT_EQ(j.host.rfind("test-host/", 0), 0u)
      << "instance: <host name>/<pid>.<random>, got " << j.host;
  EXPECT_EQ(j.attempt, 1);
  EXPECT_TRUE(j.started_at && j.finished_at);
  EXPECT_EQ(nlohmann::json::parse(*j.result)["written"], 4);
  EXPECT_FALSE(j.error.has_value());

  auto events = events_of(out.id);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].message, "wrote rows");
  EXPECT_EQ(nlohmann::json::parse(*events[0].data)["rows"], 4);
  EXPECT_THAT(events[1].message, HasSubstr("completed in"));
  EXPECT_EQ(events[1].name, "testkit.write");
  EXPECT_EQ(nlohmann::json::parse(*events[1].result)["written"], 4);
}

TEST_P(RunnerTest, RunThatWritesThenThrowsLeavesNoRowsAndKeepsTheError) {
  auto out = host().run_now("testkit.write_then_throw", {{"rows", "5"}});
  EXPECT_EQ(out.status, jobs::JobStatus::errored);
  EXPECT_EQ(out.error, "boom after writing 5 rows");
  EXPECT_EQ(count("SELECT COUNT(*) FROM testkit_rows"), 0) << "the run's writes must roll back";

  auto j = job(out.id);
  EXPECT_EQ(j.status, jobs::JobStatus::errored);
  EXPECT_EQ(j.error.value_or(""), "boom after writing 5 rows");
  EXPECT_TRUE(j.finished_at.has_value());

  auto events = events_of(out.id);
  ASSERT_EQ(events.size(), 1u) << "the plugin's own event rolls back with its writes";
  EXPECT_EQ(events[0].level, "error");
  EXPECT_EQ(events[0].exception.value_or(""), "boom after writing 5 rows");
}

TEST_P(RunnerTest, ThrowingRunIsErroredWithItsMessage) {
  auto out = host().run_now("testkit.throw", {});
  EXPECT_EQ(out.status, jobs::JobStatus::errored);
  EXPECT_EQ(out.error, "plain failure");
  EXPECT_EQ(job(out.id).error.value_or(""), "plain failure");
}

TEST_P(RunnerTest, ReportedFailureIsFailedAndKeepsWritesAndJobData) {
  auto out = host().run_now("testkit.fail", {});
  EXPECT_EQ(out.status, jobs::JobStatus::failed);
  EXPECT_EQ(count("SELECT COUNT(*) FROM testkit_rows"), 1);
  auto j = job(out.id);
  EXPECT_EQ(j.status, jobs::JobStatus::failed);
  auto data = j.to_json()["job_data"];
  EXPECT_EQ(data["status"], "failed");
  EXPECT_EQ(data["result"]["reason"], "3 of 7 hosts out of sync");
  EXPECT_EQ(data["data"]["checked"], 7);
  EXPECT_EQ(data["pre_data"]["before"], 1);
  EXPECT_EQ(data["post_data"]["after"], 2);
  EXPECT_EQ(data["signal_id"], "sig-42");
  auto events = events_of(out.id);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().level, "warn");
  EXPECT_EQ(events.back().signal_id.value_or(""), "sig-42");
}

TEST_P(RunnerTest, RunPastItsTimeoutIsCancelledAndErrored) {
  auto started = now_micros();
  auto out = host().run_now("testkit.sleep", {{"ms", "10000"}});
  EXPECT_EQ(out.status, jobs::JobStatus::errored);
  EXPECT_EQ(out.error,
            "timed out after 1 s (job type testkit.sleep's own timeout): the run's events show "
            "what it waited for; check the health of that system and of the network to it");
  EXPECT_LT(now_micros() - started, 5'000'000) << "the run must stop near its deadline";
}

TEST_P(RunnerTest, SqlValuesKeepTheirTypesInBothDialects) {
  auto out = host().run_now("testkit.types", {});
  ASSERT_EQ(out.status, jobs::JobStatus::completed) << out.error;
  auto r = nlohmann::json::parse(*out.result);
  EXPECT_EQ(r["i"], 42);
  EXPECT_DOUBLE_EQ(r["r"].get<double>(), 2.5);
  EXPECT_EQ(r["t"], "007") << "text that looks numeric stays text";
  EXPECT_EQ(r["z_is_null"], true);
  EXPECT_EQ(r["n"], 1) << "COUNT(*) reads as an integer";
  EXPECT_EQ(r["column_4"], "n");
}

TEST_P(RunnerTest, InvalidJsonOutputIsAnError) {
  auto out = host().run_now("testkit.bad_output", {});
  EXPECT_EQ(out.status, jobs::JobStatus::errored);
  EXPECT_THAT(out.error, HasSubstr("result is not valid JSON"));
}

TEST_P(RunnerTest, DatabaseErrorIsAnErrorWithTheDatabasesMessage) {
  auto out = host().run_now("testkit.bad_sql", {});
  EXPECT_EQ(out.status, jobs::JobStatus::errored);
  EXPECT_THAT(out.error, HasSubstr("no_such_table"));
}

TEST_P(RunnerTest, ProgressIsKeptWithTheJob) {
  auto out = host().run_now("testkit.progress", {});
  auto j = job(out.id);
  EXPECT_EQ(j.progress_done.value_or(-1), 5);
  EXPECT_EQ(j.progress_total.value_or(-1), 10);
  EXPECT_EQ(j.progress_message.value_or(""), "halfway");
}

TEST_P(RunnerTest, SettingsComeFromThePluginsSectionWithDefaults) {
  setup_.plugins_yaml = "  testkit:\n    label: hello\n    token: s3cret\n";
  auto out = host().run_now("testkit.settings", {});
  ASSERT_EQ(out.status, jobs::JobStatus::completed) << out.error;
  auto r = nlohmann::json::parse(*out.result);
  EXPECT_EQ(r["label"], "hello");
  EXPECT_EQ(r["limit"], 5);
  EXPECT_EQ(r["all"]["token"], "s3cret") << "the plugin itself gets its secrets";
}

TEST_P(RunnerTest, ParametersAreCheckedAgainstTheJobTypesSchema) {
  try {
    host().run_now("testkit.write", {{"rows", "many"}, {"colour", "red"}});
    FAIL() << "expected ParamError";
  } catch (const jobs::ParamError& e) {
    EXPECT_THAT(e.what(), HasSubstr("job type testkit.write"));
    EXPECT_THAT(e.what(), HasSubstr("parameter 'rows' must be an integer, got 'many'"));
    EXPECT_THAT(e.what(), HasSubstr("unknown parameter 'colour' (it takes: rows)"));
  }
  EXPECT_THROW(host().run_now("testkit.single", {}), jobs::ParamError);
  EXPECT_EQ(count("SELECT COUNT(*) FROM jh_jobs"), 0) << "a refused job is never written";
}

TEST_P(RunnerTest, UnknownJobTypeNamesTheLoadedOnes) {
  try {
    host().run_now("nope.never", {});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("no loaded plugin provides job type 'nope.never'"));
    EXPECT_THAT(e.what(), HasSubstr("testkit.noop"));
  }
}

TEST_P(RunnerTest, SingletonHoldsOneLiveJobPerKey) {
  const int64_t first = host().enqueue("testkit.single", {{"key", "a"}});
  try {
    host().enqueue("testkit.single", {{"key", "a"}});
    FAIL() << "a second live job for key a must be refused";
  } catch (const jobs::SingletonConflict& e) {
    EXPECT_EQ(e.holder(), first);
    EXPECT_THAT(e.what(), HasSubstr("job " + std::to_string(first) + " (pending) holds its slot"));
  }
  EXPECT_NO_THROW(host().enqueue("testkit.single", {{"key", "b"}})) << "another key is free";
  EXPECT_THROW(host().run_now("testkit.single", {{"key", "a"}}), jobs::SingletonConflict);

  WorkerPool pool(host(), {.workers = 2, .drain = true});
  auto stats = pool.run();
  EXPECT_EQ(stats.completed, 2u);
  EXPECT_NO_THROW(host().enqueue("testkit.single", {{"key", "a"}})) << "the slot is free again";
}

TEST_P(RunnerTest, SeveralWorkersClaimEachJobOnce) {
  const auto& type = *host().job_type("testkit.once");
  std::vector<jobs::NewJob> batch;
  for (int i = 0; i < 600; ++i)
    batch.push_back(jobs::make_new_job(type, nlohmann::json::object(), "test", 0));
  host().jobs().enqueue_many(batch, now_micros());

  WorkerPool pool(host(), {.workers = 4, .drain = true});
  auto stats = pool.run();
  EXPECT_EQ(stats.completed, 600u);
  EXPECT_EQ(stats.errored, 0u) << "a job run twice would violate testkit_runs' primary key";
  EXPECT_EQ(count("SELECT COUNT(*) FROM testkit_runs"), 600);
  EXPECT_EQ(count("SELECT COUNT(*) FROM jh_jobs WHERE status = 'completed' AND attempt = 1"), 600);
}

TEST_P(RunnerTest, EventLogOffWritesNoEvents) {
  setup_.event_log = false;
  auto out = host().run_now("testkit.write", {});
  EXPECT_EQ(out.status, jobs::JobStatus::completed);
  EXPECT_EQ(count("SELECT COUNT(*) FROM jh_events"), 0);
}

TEST_P(RunnerTest, PluginBuiltAgainstTheFrozenV1HeaderRuns) {
  auto out = host().run_now("frozen.count", {});
  ASSERT_EQ(out.status, jobs::JobStatus::completed) << out.error;
  EXPECT_EQ(nlohmann::json::parse(*out.result)["count"], 1);
  out = host().run_now("frozen.count", {});
  EXPECT_EQ(nlohmann::json::parse(*out.result)["count"], 2);
}

TEST_P(RunnerTest, HttpGoesThroughTheHostsClient) {
  testing::HttpTestServer server([](const testing::TestRequest& req) {
    testing::TestResponse r;
    r.body = R"({"seen":")" + req.header("x-testkit") + R"("})";
    r.headers.push_back({"Content-Type", "application/json"});
    return r;
  });
  auto out = host().run_now("testkit.http", {{"url", server.base_url() + "/ping"}});
  ASSERT_EQ(out.status, jobs::JobStatus::completed) << out.error;
  auto r = nlohmann::json::parse(*out.result);
  EXPECT_EQ(r["status"], 200);
  EXPECT_EQ(r["body"], R"({"seen":"1"})");
  EXPECT_EQ(r["content_type"], "application/json");
}

TEST_P(RunnerTest, HttpTransportFailureIsAnError) {
  auto out = host().run_now("testkit.http", {{"url", "http://127.0.0.1:1/nothing-listens"}});
  EXPECT_EQ(out.status, jobs::JobStatus::errored);
  EXPECT_THAT(out.error, HasSubstr("GET http://127.0.0.1:1/nothing-listens"));
}

TEST_P(RunnerTest, PluginRegistersReplacesAndRemovesAPerKeySchedule) {
  auto out = host().run_now("testkit.register", {{"key", "fab-1"}, {"when", "every 2s"}});
  ASSERT_EQ(out.status, jobs::JobStatus::completed) << out.error;
  EXPECT_EQ(count("SELECT COUNT(*) FROM jh_schedules WHERE job_type = 'testkit.single' AND "
                  "schedule_key = 'fab-1' AND source = 'plugin' AND spec = 'every 2s'"),
            1);
  out = host().run_now("testkit.register", {{"key", "fab-1"}, {"when", "every 300s"}});
  ASSERT_EQ(out.status, jobs::JobStatus::completed) << out.error;
  EXPECT_EQ(count("SELECT COUNT(*) FROM jh_schedules"), 1) << "replaced, never a second chain";
  EXPECT_EQ(count("SELECT COUNT(*) FROM jh_schedules WHERE spec = 'every 5m'"), 1);
  out = host().run_now("testkit.register", {{"key", "fab-1"}, {"when", "every 3x"}});
  EXPECT_EQ(out.status, jobs::JobStatus::errored);
  EXPECT_THAT(out.error, HasSubstr("schedule_set testkit.single key fab-1: every"));
  out = host().run_now("testkit.register", {{"key", "fab-1"}, {"remove", "true"}});
  EXPECT_EQ(nlohmann::json::parse(out.result.value_or("{}"))["removed"], true);
  EXPECT_EQ(count("SELECT COUNT(*) FROM jh_schedules"), 0);
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(RunnerTest);

}  // namespace
}  // namespace jobhost
