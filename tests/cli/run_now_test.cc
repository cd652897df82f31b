// `jobhost run-now`: each outcome of a run becomes its exit code and its text, and what the run
// left behind can be read back with `job`, `jobs` and `events`. Bad input is a usage error
// that names the job type or the parameter, and records nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/cli_harness.h"
#include "store/database.h"
#include "support/sql_probe.h"

namespace jobhost {
namespace {

using testing::Cli;
using testing::describe;
using ::testing::HasSubstr;
using testing::RunResult;
using ::testing::StartsWith;

class RunNowTest : public ::testing::Test {
 protected:
  RunNowTest() : setup_(testing::sqlite_setup("run_now")), cli_(setup_) {}

  RunResult run(const std::vector<std::string>& args) { return cli_.run(args); }

  // Rows the testkit plugin has written, read straight from the SQLite file.
  int64_t testkit_rows() {
    store::DatabaseOptions o;
    o.sqlite_path = setup_.store.location;
    store::Database db(o);
    auto session = db.open();
    return testing::scalar(*session, "SELECT COUNT(*) FROM testkit_rows");
  }

  testing::HostSetup setup_;
  Cli cli_;
};

TEST_F(RunNowTest, CompletedRunExitsZeroAndPrintsItsOutcomeAsJson) {
  auto out = cli_.json({"run-now", "testkit.write", "--param", "rows=2", "--json"});
  ASSERT_TRUE(out.is_object()) << out;
  EXPECT_TRUE(out["id"].is_number_integer()) << out;
  EXPECT_GT(out["id"].get<int64_t>(), 0);
  EXPECT_EQ(out["type"], "testkit.write");
  EXPECT_EQ(out["status"], "completed");
  EXPECT_EQ(out["result"], nlohmann::json({{"written", 2}}));
  ASSERT_TRUE(out["duration_s"].is_number()) << out;
  EXPECT_GE(out["duration_s"].get<double>(), 0.0);
  EXPECT_LT(out["duration_s"].get<double>(), 30.0);
  EXPECT_TRUE(out["error"].is_null()) << out;
  EXPECT_EQ(testkit_rows(), 2);

  const std::vector<std::string> text_args = {"run-now", "testkit.noop"};
  auto text = run(text_args);
  EXPECT_EQ(text.exit_code, 0) << describe(text_args, text);
  EXPECT_THAT(text.out, StartsWith("job " + std::to_string(out["id"].get<int64_t>() + 1) +
                                   " testkit.noop: completed in "));
  EXPECT_THAT(text.out, HasSubstr("\nresult: {}\n"));
}

TEST_F(RunNowTest, ErroredRunExitsOnePrintsTheErrorAndKeepsItInTheJob) {
  const std::vector<std::string> args = {"run-now", "testkit.throw"};
  auto r = run(args);
  ASSERT_EQ(r.exit_code, 1) << describe(args, r);
  EXPECT_THAT(r.out, StartsWith("job "));
  EXPECT_THAT(r.out, HasSubstr(" testkit.throw: errored in "));
  EXPECT_THAT(r.err, HasSubstr("error: plain failure\n"));
  const int64_t id = testing::job_id_in(r.out);
  ASSERT_GT(id, 0) << r.out;

  auto job = cli_.json({"job", std::to_string(id), "--json"});
  ASSERT_TRUE(job.is_object()) << job;
  EXPECT_EQ(job["id"], id);
  EXPECT_EQ(job["type"], "testkit.throw");
  EXPECT_EQ(job["status"], "errored");
  EXPECT_EQ(job["error"], "plain failure");
  EXPECT_EQ(job["origin"], "run-now");
  EXPECT_EQ(job["host"].get<std::string>().rfind("test-host/", 0), 0u) << job["host"];
  EXPECT_FALSE(job["finished_at"].is_null()) << job;
  ASSERT_EQ(job["events"].size(), 1u) << job;
  EXPECT_EQ(job["events"][0]["level"], "error");
  EXPECT_EQ(job["events"][0]["exception"], "plain failure");
  EXPECT_EQ(job["events"][0]["job_id"], id);

  // The same as JSON: the error is part of the outcome, the exit code the same.
  auto out = cli_.json({"run-now", "testkit.throw", "--json"}, 1);
  EXPECT_EQ(out["status"], "errored");
  EXPECT_EQ(out["error"], "plain failure");
  EXPECT_TRUE(out["result"].is_null()) << out;
}

TEST_F(RunNowTest, FailedRunExitsThreeWithItsResult) {
  const std::vector<std::string> args = {"run-now", "testkit.fail"};
  auto r = run(args);
  ASSERT_EQ(r.exit_code, 3) << describe(args, r);
  EXPECT_THAT(r.out, HasSubstr(" testkit.fail: failed in "));
  EXPECT_THAT(r.out, HasSubstr("\nresult: {\"reason\":\"3 of 7 hosts out of sync\"}\n"));

  auto out = cli_.json({"run-now", "testkit.fail", "--json"}, 3);
  EXPECT_EQ(out["status"], "failed");
  EXPECT_EQ(out["result"], nlohmann::json({{"reason", "3 of 7 hosts out of sync"}}));

  auto job = cli_.json({"job", std::to_string(out["id"].get<int64_t>()), "--json"});
  EXPECT_EQ(job["status"], "failed");
  EXPECT_EQ(job["job_data"]["signal_id"], "sig-42");
  EXPECT_EQ(job["job_data"]["pre_data"], nlohmann::json({{"before", 1}}));
  EXPECT_EQ(job["job_data"]["post_data"], nlohmann::json({{"after", 2}}));
  // A reported failure keeps the run's writes: one row per run.
  EXPECT_EQ(testkit_rows(), 2);
}

TEST_F(RunNowTest, RunThatWritesThenThrowsIsErroredAndLeavesNoRows) {
  auto ok = cli_.json({"run-now", "testkit.write", "--param", "rows=2", "--json"});
  ASSERT_EQ(ok["status"], "completed") << ok;

  auto out = cli_.json({"run-now", "testkit.write_then_throw", "--param", "rows=4", "--json"}, 1);
  ASSERT_TRUE(out.is_object()) << out;
  const int64_t id = out["id"].get<int64_t>();
  EXPECT_EQ(out["status"], "errored");
  EXPECT_EQ(out["error"], "boom after writing 4 rows");

  auto list = cli_.json({"jobs", "--json"});
  ASSERT_TRUE(list.is_array()) << list;
  ASSERT_EQ(list.size(), 2u) << list;
  EXPECT_EQ(list[0]["id"], id) << "newest first";
  EXPECT_EQ(list[0]["status"], "errored");
  EXPECT_EQ(list[0]["error"], "boom after writing 4 rows");
  EXPECT_EQ(list[1]["status"], "completed");

  auto errored = cli_.json({"jobs", "--status", "errored", "--json"});
  ASSERT_EQ(errored.size(), 1u) << errored;
  EXPECT_EQ(errored[0]["id"], id);

  // The plugin's own event rolled back with its rows: only the error event is left.
  auto events = cli_.json({"events", "--job", std::to_string(id), "--json"});
  ASSERT_EQ(events.size(), 1u) << events;
  EXPECT_EQ(events[0]["level"], "error");
  EXPECT_EQ(events[0]["exception"], "boom after writing 4 rows");
  EXPECT_EQ(testkit_rows(), 2) << "only the completed run's rows";
}

TEST_F(RunNowTest, UnknownJobTypeIsAUsageError) {
  for (const char* command : {"run-now", "enqueue"}) {
    const std::vector<std::string> args = {command, "testkit.nope"};
    auto r = run(args);
    EXPECT_EQ(r.exit_code, 2) << describe(args, r);
    EXPECT_THAT(r.err, HasSubstr("error: no loaded plugin provides job type 'testkit.nope' "
                                 "(loaded: testkit.bad_output, "));
    EXPECT_EQ(r.out, "");
  }
  EXPECT_EQ(cli_.json({"jobs", "--json"}), nlohmann::json::array()) << "nothing recorded";
}

TEST_F(RunNowTest, BadParametersAreUsageErrorsNamingTheParameter) {
  struct Case {
    std::vector<std::string> args;
    std::string error_line;
  };
  const std::vector<Case> cases = {
      {{"run-now", "testkit.write", "--param", "rows=abc"},
       "error: job type testkit.write: parameter 'rows' must be an integer, got 'abc'\n"},
      {{"enqueue", "testkit.write", "--param", "rows=1.5"},
       "error: job type testkit.write: parameter 'rows' must be an integer, got '1.5'\n"},
      {{"run-now", "testkit.write", "--param", "rowz=3"},
       "error: job type testkit.write: unknown parameter 'rowz' (it takes: rows)\n"},
      {{"run-now", "testkit.write", "--param", "rows=1", "--param", "rows=2"},
       "error: job type testkit.write: parameter 'rows' is given twice\n"},
      {{"enqueue", "testkit.single"},
       "error: job type testkit.single: parameter 'key' is required (The object this job is "
       "about)\n"},
      {{"run-now", "testkit.sleep", "--param", "honour_cancel=maybe"},
       "error: job type testkit.sleep: parameter 'honour_cancel' must be true or false, got "
       "'maybe'\n"},
      {{"run-now", "testkit.write", "--param", "x"},
       "error: --param 'x' must look like name=value\n"},
      {{"enqueue", "testkit.write", "--param", "=3"},
       "error: --param '=3' must look like name=value\n"},
  };
  for (const auto& c : cases) {
    auto r = run(c.args);
    EXPECT_EQ(r.exit_code, 2) << describe(c.args, r);
    EXPECT_THAT(r.err, HasSubstr(c.error_line)) << describe(c.args, r);
  }
  EXPECT_EQ(cli_.json({"jobs", "--json"}), nlohmann::json::array()) << "nothing recorded";
}

}  // namespace
}  // namespace jobhost
