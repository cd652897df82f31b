// `jobhost enqueue` + `jobhost work`: jobs put in the queue by one process are run by another,
// and `work` without --drain stops cleanly on SIGTERM and SIGINT after its running job.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>

#include <nlohmann/json.hpp>

#include "cli/cli_harness.h"

namespace jobhost {
namespace {

using testing::Cli;
using testing::describe;
using ::testing::HasSubstr;
using testing::RunResult;
using ::testing::StartsWith;
using namespace std::chrono_literals;

class QueueTest : public ::testing::Test {
 protected:
  QueueTest() : cli_(testing::sqlite_setup("queue")) {}

  int64_t enqueue(const std::vector<std::string>& args) {
    std::vector<std::string> all = {"enqueue"};
    all.insert(all.end(), args.begin(), args.end());
    all.push_back("--json");
    auto out = cli_.json(all);
    EXPECT_EQ(out.value("status", ""), "pending") << out;
    EXPECT_EQ(out.value("type", ""), args.at(0)) << out;
    return out.value("id", int64_t{-1});
  }

  std::string status_of(int64_t id) {
    return cli_.json({"job", std::to_string(id), "--json"}).value("status", "?");
  }

  // Starts `work` (1 worker) with a 300 ms job running and a second job waiting behind it,
  // sends `sig`, and checks it ends with `exit_code` once the running job has completed.
  void stop_running_worker(int sig, int exit_code, const std::string& signal_name) {
    const int64_t sleeper =
        enqueue({"testkit.sleep", "--param", "ms=300", "--param", "honour_cancel=false"});
    const int64_t waiting = enqueue({"testkit.noop"});
    auto worker = cli_.spawn({"--log-level", "info", "work", "--workers", "1", "--json"});
    ASSERT_TRUE(cli_.wait_for_status(sleeper, "running"))
        << "the worker never claimed the job; stderr:\n"
        << worker.err();
    const auto signalled = std::chrono::steady_clock::now();
    worker.kill(sig);
    auto status = worker.wait(15s);
    ASSERT_TRUE(status.has_value()) << "`work` ignored " << signal_name << "; stderr:\n"
                                    << worker.err();
    const auto took = std::chrono::steady_clock::now() - signalled;
    EXPECT_EQ(status->signal, 0) << status->describe() << "\n" << worker.err();
    EXPECT_EQ(status->exit_code, exit_code) << worker.err();
    // It waits for the job (at most ~300 ms more); generous for a loaded machine. That the job
    // was not cut short by its 1 s timeout is checked by its status below.
    EXPECT_LT(took, 5s);
    EXPECT_THAT(worker.err(), HasSubstr("received " + signal_name +
                                        ": finishing running jobs, claiming no more"));

    auto totals = nlohmann::json::parse(worker.out(), nullptr, false);
    ASSERT_FALSE(totals.is_discarded()) << worker.out();
    EXPECT_EQ(totals["completed"], 1) << totals;
    EXPECT_EQ(totals["errored"], 0) << totals;
    EXPECT_EQ(totals["interrupted"], true) << totals;

    auto job = cli_.json({"job", std::to_string(sleeper), "--json"});
    EXPECT_EQ(job["status"], "completed") << "the running job finishes, it is not cancelled";
    EXPECT_TRUE(job["error"].is_null()) << job;
    EXPECT_EQ(status_of(waiting), "pending") << "nothing new is claimed after the signal";
  }

  Cli cli_;
};

TEST_F(QueueTest, EnqueuedJobsAreRunByWorkDrainAndListed) {
  const int64_t write = enqueue({"testkit.write", "--param", "rows=2"});
  const std::vector<std::string> noop_args = {"enqueue", "testkit.noop"};
  auto noop_run = cli_.run(noop_args);
  ASSERT_EQ(noop_run.exit_code, 0) << describe(noop_args, noop_run);
  const int64_t noop = testing::job_id_in(noop_run.out);
  EXPECT_EQ(noop_run.out, "enqueued job " + std::to_string(noop) + " (testkit.noop)\n");
  const int64_t thrower = enqueue({"testkit.throw"});

  auto pending = cli_.json({"jobs", "--status", "pending", "--json"});
  ASSERT_EQ(pending.size(), 3u) << pending;
  for (const auto& j : pending) EXPECT_EQ(j["origin"], "enqueue") << j;

  // One of the three errors, so `work` reports it with exit code 1.
  auto totals = cli_.json({"work", "--drain", "--json"}, 1);
  EXPECT_EQ(totals["completed"], 2) << totals;
  EXPECT_EQ(totals["errored"], 1) << totals;
  EXPECT_EQ(totals["failed"], 0) << totals;
  EXPECT_EQ(totals["interrupted"], false) << totals;

  auto completed = cli_.json({"jobs", "--status", "completed", "--json"});
  ASSERT_EQ(completed.size(), 2u) << completed;
  EXPECT_EQ(completed[0]["id"], noop) << "newest first";
  EXPECT_EQ(completed[1]["id"], write);
  for (const auto& j : completed) {
    EXPECT_EQ(j["status"], "completed");
    EXPECT_EQ(j["attempt"], 1);
    EXPECT_EQ(j["host"].get<std::string>().rfind("test-host/", 0), 0u) << j["host"];
  }
  EXPECT_EQ(completed[1]["job_data"]["result"], nlohmann::json({{"written", 2}}));
  EXPECT_EQ(cli_.json({"jobs", "--status", "pending", "--json"}), nlohmann::json::array());
  auto errored = cli_.json({"jobs", "--status", "errored", "--type", "testkit.throw", "--json"});
  ASSERT_EQ(errored.size(), 1u) << errored;
  EXPECT_EQ(errored[0]["id"], thrower);
  EXPECT_EQ(errored[0]["error"], "plain failure");
  EXPECT_EQ(cli_.json({"jobs", "--limit", "1", "--json"}).size(), 1u);

  auto events = cli_.json({"events", "--job", std::to_string(write), "--json"});
  ASSERT_EQ(events.size(), 2u) << events;
  EXPECT_EQ(events[0]["message"], "wrote rows");
  EXPECT_EQ(events[0]["data"], nlohmann::json({{"rows", 2}}));
  EXPECT_EQ(events[1]["name"], "testkit.write");
  EXPECT_EQ(events[1]["job_id"], write);
  EXPECT_EQ(events[1]["level"], "info");
  EXPECT_THAT(events[1]["message"].get<std::string>(), StartsWith("completed in "));
  EXPECT_EQ(events[1]["result"], nlohmann::json({{"written", 2}}));

  // The text forms name the jobs too.
  auto table = cli_.run({"jobs"});
  EXPECT_EQ(table.exit_code, 0);
  EXPECT_THAT(table.out, StartsWith("ID  TYPE "));
  EXPECT_THAT(table.out, HasSubstr("plain failure"));
  auto shown = cli_.run({"job", std::to_string(write)});
  EXPECT_EQ(shown.exit_code, 0);
  EXPECT_THAT(shown.out, HasSubstr("  status     completed\n"));
}

TEST_F(QueueTest, MissingJobIsExitSeven) {
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"job", "999999"}, {"job", "999999", "--json"}}) {
    auto r = cli_.run(args);
    EXPECT_EQ(r.exit_code, 7) << describe(args, r);
    EXPECT_THAT(r.err, HasSubstr("error: no job 999999 (see `jobhost jobs`)\n"));
    EXPECT_EQ(r.out, "");
  }
}

TEST_F(QueueTest, BadListOptionsAreUsageErrors) {
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"jobs", "--status", "done"},
                                             {"jobs", "--limit", "0"},
                                             {"events", "--since", "yesterday-ish"},
                                             {"job", "abc"},
                                             {"enqueue", "testkit.noop", "--at", "soon"}}) {
    auto r = cli_.run(args);
    EXPECT_EQ(r.exit_code, 2) << describe(args, r);
  }
}

TEST_F(QueueTest, WorkFinishesTheRunningJobAndExitsZeroOnSigterm) {
  stop_running_worker(SIGTERM, 0, "SIGTERM");
}

TEST_F(QueueTest, WorkFinishesTheRunningJobAndExits130OnSigint) {
  stop_running_worker(SIGINT, 130, "SIGINT");
}

TEST_F(QueueTest, IdleWorkStopsOnSigterm) {
  auto worker = cli_.spawn({"--log-level", "info", "work"});
  ASSERT_TRUE(worker.wait_for_output("4 workers on sqlite:", 15s)) << worker.err();
  worker.kill(SIGTERM);
  auto status = worker.wait(10s);
  ASSERT_TRUE(status.has_value()) << worker.err();
  EXPECT_TRUE(status->success()) << status->describe() << "\n" << worker.err();
  EXPECT_THAT(worker.out(), StartsWith("0 completed, 0 failed, 0 errored in "));
}

}  // namespace
}  // namespace jobhost
