// GET routes over real HTTP against a running daemon: every read endpoint answers JSON of the
// documented shape, unknown names and ids are 404 with a message, bad query parameters 400.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api/api_fixture.h"

namespace jobhost {
namespace {

using testing::ApiDaemon;
using testing::eventually;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

class ApiReadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    api_ = std::make_unique<ApiDaemon>(
        ::testing::UnitTest::GetInstance()->current_test_info()->name(),
        std::string("  token: ") + testing::kToken + "\n",
        "schedules:\n  testkit.write: { every: 1h }\n" + std::string(testing::kEveryOff),
        "  testkit:\n    token: plugin-secret\n");
    api_->start();
  }
  ApiDaemon& api() { return *api_; }
  std::unique_ptr<ApiDaemon> api_;
};

TEST_F(ApiReadTest, StatusListsThisHostWithItsAddressAndTheSchedules) {
  auto r = api().get("/api/v1/status");
  ASSERT_EQ(r.status, 200) << r.text;
  EXPECT_EQ(r.raw.header("content-type"), "application/json");
  ASSERT_EQ(r.body["hosts"].size(), 1u) << r.text;
  EXPECT_EQ(r.body["hosts"][0]["state"], "live");
  EXPECT_EQ(r.body["hosts"][0]["api_url"], api().url());
  bool write = false;
  for (const auto& s : r.body["schedules"])
    if (s["job_type"] == "testkit.write") {
      write = true;
      EXPECT_EQ(s["schedule"], "every 1h") << s;
      EXPECT_TRUE(s["next_run_at"].is_string()) << s;
    }
  EXPECT_TRUE(write) << r.text;
  // The command and the API say the same (fire times aside: the schedule may fire meanwhile).
  auto cli = api().cli().json({"status", "--json"});
  ASSERT_EQ(cli["schedules"].size(), r.body["schedules"].size());
  for (size_t i = 0; i < cli["schedules"].size(); ++i)
    for (const char* field : {"id", "job_type", "schedule", "enabled", "source"})
      EXPECT_EQ(cli["schedules"][i][field], r.body["schedules"][i][field]) << field;
  EXPECT_EQ(cli["hosts"][0]["instance"], r.body["hosts"][0]["instance"]);
}

TEST_F(ApiReadTest, PluginsAndJobTypes) {
  auto plugins = api().get("/api/v1/plugins");
  ASSERT_EQ(plugins.status, 200) << plugins.text;
  ASSERT_EQ(plugins.body["plugins"].size(), 1u);
  EXPECT_EQ(plugins.body["plugins"][0]["name"], "testkit");
  EXPECT_EQ(api().get("/api/v1/plugins/testkit").body["name"], "testkit");
  auto missing = api().get("/api/v1/plugins/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_THAT(missing.body.value("error", ""), HasSubstr("loaded: testkit"));

  auto types = api().get("/api/v1/job-types");
  ASSERT_EQ(types.status, 200);
  bool found = false;
  for (const auto& t : types.body) found = found || t["name"] == "testkit.write";
  EXPECT_TRUE(found) << types.text;
  auto one = api().get("/api/v1/job-types/testkit.query");
  ASSERT_EQ(one.status, 200) << one.text;
  EXPECT_EQ(one.body["read_only"], true);
  EXPECT_EQ(one.body["plugin"], "testkit");
  EXPECT_EQ(api().get("/api/v1/job-types/testkit.nope").status, 404);
}

TEST_F(ApiReadTest, SchedulesOneAndAll) {
  auto all = api().get("/api/v1/schedules");
  ASSERT_EQ(all.status, 200);
  EXPECT_TRUE(all.body.is_array());
  auto one = api().get("/api/v1/schedules/testkit.write");
  ASSERT_EQ(one.status, 200) << one.text;
  EXPECT_EQ(one.body["schedule"], "every 1h");
  auto none = api().get("/api/v1/schedules/testkit.noop");
  EXPECT_EQ(none.status, 404);
  EXPECT_THAT(none.body.value("error", ""), HasSubstr("no schedule for testkit.noop"));
}

TEST_F(ApiReadTest, JobsPagesFiltersAndOneJobWithEvents) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    auto t = api().send("POST", "/api/v1/jobs", R"({"type": "testkit.noop"})");
    ASSERT_EQ(t.status, 201) << t.text;
    ids.push_back(t.body["id"].get<int64_t>());
  }
  ASSERT_TRUE(eventually(
      [&] {
        return api().get("/api/v1/jobs/" + std::to_string(ids.back())).body["status"] ==
               "completed";
      },
      20s));
  auto page = api().get("/api/v1/jobs?type=testkit.noop&limit=2");
  ASSERT_EQ(page.status, 200) << page.text;
  ASSERT_EQ(page.body["jobs"].size(), 2u);
  EXPECT_EQ(page.body["jobs"][0]["id"], ids[2]);  // newest first
  ASSERT_TRUE(page.body["next_before"].is_number()) << page.text;
  auto rest = api().get("/api/v1/jobs?type=testkit.noop&limit=2&before=" +
                        std::to_string(page.body["next_before"].get<int64_t>()));
  ASSERT_EQ(rest.body["jobs"].size(), 1u) << rest.text;
  EXPECT_EQ(rest.body["jobs"][0]["id"], ids[0]);
  EXPECT_TRUE(rest.body["next_before"].is_null());

  auto job = api().get("/api/v1/jobs/" + std::to_string(ids[0]));
  ASSERT_EQ(job.status, 200);
  EXPECT_EQ(job.body["origin"], "api");
  ASSERT_FALSE(job.body["events"].empty()) << job.text;
  auto events = api().get("/api/v1/events?job=" + std::to_string(ids[0]));
  ASSERT_EQ(events.status, 200);
  EXPECT_EQ(events.body.size(), job.body["events"].size());

  EXPECT_EQ(api().get("/api/v1/jobs/999999").status, 404);
  auto bad_id = api().get("/api/v1/jobs/abc");
  EXPECT_EQ(bad_id.status, 400);
  EXPECT_THAT(bad_id.body.value("error", ""), HasSubstr("not a job id"));
  auto bad_status = api().get("/api/v1/jobs?status=done");
  EXPECT_EQ(bad_status.status, 400);
  EXPECT_THAT(bad_status.body.value("error", ""), HasSubstr("is not one of"));
  EXPECT_EQ(api().get("/api/v1/jobs?limit=0").status, 400);
  EXPECT_EQ(api().get("/api/v1/jobs?limit=ten").status, 400);
  EXPECT_EQ(api().get("/api/v1/events?level=loud").status, 400);
  EXPECT_EQ(api().get("/api/v1/events?since=yesterdayish").status, 400);
}

TEST_F(ApiReadTest, SettingsMaskSecrets) {
  auto r = api().get("/api/v1/settings");
  ASSERT_EQ(r.status, 200) << r.text;
  EXPECT_EQ(r.body["http"]["token"], "***");
  EXPECT_EQ(r.body["plugins"]["testkit"]["token"], "***");
  EXPECT_EQ(r.body["plugins"]["testkit"]["limit"], 5);
  EXPECT_EQ(r.text.find("plugin-secret"), std::string::npos);
  EXPECT_EQ(r.text.find(testing::kToken), std::string::npos);
  auto plugin = api().get("/api/v1/plugins/testkit/settings");
  ASSERT_EQ(plugin.status, 200);
  EXPECT_EQ(plugin.body["settings"]["token"], "***");
  bool limit = false;
  for (const auto& s : plugin.body["schema"])
    if (s["path"] == "limit") {
      limit = true;
      EXPECT_EQ(s["min"], 1);
      EXPECT_EQ(s["max"], 10);
    }
  EXPECT_TRUE(limit) << plugin.text;
}

TEST_F(ApiReadTest, HealthReadinessDashboardAndUnknownRoutes) {
  EXPECT_EQ(api().get("/healthz").text, "ok\n");
  auto ready = api().get("/readyz");
  EXPECT_EQ(ready.status, 200) << ready.text;
  auto page = api().get("/");
  EXPECT_EQ(page.status, 200);
  EXPECT_THAT(page.raw.header("content-type"), HasSubstr("text/html"));
  EXPECT_THAT(page.text, HasSubstr("<html"));
  EXPECT_EQ(api().get("/static/app.js").status, 200);
  EXPECT_EQ(api().get("/static/nope.js").status, 404);
  auto unknown = api().get("/api/v2/everything");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_THAT(unknown.body.value("error", ""), HasSubstr("no such endpoint"));
  auto wrong = api().send("DELETE", "/api/v1/status", "");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.raw.header("allow"), "GET");
}

TEST_F(ApiReadTest, PluginStatusRunsItsQueryWithoutRecordingAJob) {
  const auto jobs_before = api().get("/api/v1/jobs?limit=1000").body["jobs"].size();
  auto r = api().get("/api/v1/plugins/testkit/status");
  ASSERT_EQ(r.status, 200) << r.text;
  EXPECT_EQ(r.body["plugin"], "testkit");
  EXPECT_EQ(r.body["query"], "testkit.status");
  EXPECT_EQ(r.body["result"]["label"], "tk");
  EXPECT_TRUE(r.body["result"]["rows"].is_number()) << r.text;
  EXPECT_EQ(api().get("/api/v1/jobs?limit=1000&type=testkit.status").body["jobs"].size(), 0u);
  EXPECT_LE(api().get("/api/v1/jobs?limit=1000").body["jobs"].size(), jobs_before + 1)
      << "at most the schedule's own fire meanwhile";
  EXPECT_EQ(api().get("/api/v1/plugins/nope/status").status, 404);
}

}  // namespace
}  // namespace jobhost
