// Changes over real HTTP: the bearer token (refused without, with a wrong one, and when none is
// configured), triggering jobs (params, force, conflicts, malformed bodies), enabling and
// re-timing schedules, and plugin settings validated with the YAML file's own messages, kept in
// the store across restarts and reset to the YAML's value.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "api/api_fixture.h"

namespace jobhost {
namespace {

using testing::ApiDaemon;
using testing::eventually;
using ::testing::HasSubstr;
using testing::kToken;
using namespace std::chrono_literals;

const std::string kHttp = std::string("  token: ") + kToken + "\n";
const std::string kSchedules =
    "schedules:\n  testkit.write: { every: 1h }\n" + std::string(testing::kEveryOff);

std::string test_name() {
  return ::testing::UnitTest::GetInstance()->current_test_info()->name();
}

TEST(ApiAuth, ChangesNeedTheBearerToken) {
  ApiDaemon api(test_name(), kHttp, kSchedules);
  api.start();
  const std::string body = R"({"type": "testkit.noop"})";
  auto none = api.send("POST", "/api/v1/jobs", body, "");
  EXPECT_EQ(none.status, 401) << none.text;
  EXPECT_EQ(none.raw.header("www-authenticate"), "Bearer realm=\"jobhost\"");
  EXPECT_THAT(none.body.value("error", ""), HasSubstr("Authorization: Bearer"));
  auto wrong = api.send("POST", "/api/v1/jobs", body, "guess");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_THAT(wrong.body.value("error", ""), HasSubstr("token is wrong"));
  EXPECT_EQ(api.send("POST", "/api/v1/jobs", body, std::string(kToken) + "x").status, 401);
  EXPECT_EQ(api.send("POST", "/api/v1/jobs", body).status, 201);
  // Reads stay open unless protect_reads.
  EXPECT_EQ(api.get("/api/v1/jobs").status, 200);
  // Nothing was enqueued by the refused calls.
  EXPECT_EQ(api.get("/api/v1/jobs?type=testkit.noop").body["jobs"].size(), 1u);
}

TEST(ApiAuth, WithoutATokenTheApiIsReadOnly) {
  ApiDaemon api(test_name(), "", kSchedules);
  api.start();
  auto r = api.send("POST", "/api/v1/jobs", R"({"type": "testkit.noop"})", "anything");
  EXPECT_EQ(r.status, 403) << r.text;
  EXPECT_THAT(r.body.value("error", ""), HasSubstr("set http.token"));
  EXPECT_EQ(api.get("/api/v1/status").status, 200);
}

TEST(ApiAuth, ProtectedReadsNeedTheTokenButHealthChecksDoNot) {
  ApiDaemon api(test_name(), kHttp + "  protect_reads: true\n", kSchedules);
  api.start();
  EXPECT_EQ(api.get("/api/v1/status").status, 401);
  EXPECT_EQ(api.get("/metrics").status, 401);
  EXPECT_EQ(api.get("/api/v1/status", kToken).status, 200);
  EXPECT_EQ(api.get("/healthz").status, 200);
  EXPECT_EQ(api.get("/readyz").status, 200);
}

class ApiChangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    api_ = std::make_unique<ApiDaemon>(test_name(), kHttp, kSchedules);
    api_->start();
  }
  ApiDaemon& api() { return *api_; }
  std::unique_ptr<ApiDaemon> api_;
};

TEST_F(ApiChangeTest, TriggerRunsTheJobWithItsParams) {
  auto r =
      api().send("POST", "/api/v1/jobs", R"({"type": "testkit.write", "params": {"rows": 7}})");
  ASSERT_EQ(r.status, 201) << r.text;
  EXPECT_EQ(r.raw.header("location"), "/api/v1/jobs/" + std::to_string(r.body["id"].get<int>()));
  const std::string path = r.body["url"];
  ASSERT_TRUE(eventually([&] { return api().get(path).body["status"] == "completed"; }, 20s))
      << api().get(path).text;
  EXPECT_EQ(api().get(path).body["params"]["rows"], 7);
}

TEST_F(ApiChangeTest, MalformedTriggersAre400WithAMessage) {
  struct Case {
    std::string body, message;
  };
  for (const auto& c : std::vector<Case>{
           {"", "needs a JSON object body"},
           {"{\"type\": ", "not valid JSON"},
           {"[1, 2]", "must be a JSON object, not array"},
           {R"({"params": {}})", "`type` is required"},
           {R"({"type": 5})", "`type` must be a string"},
           {R"({"type": "testkit.nope"})", "no loaded plugin provides job type 'testkit.nope'"},
           {R"({"type": "testkit.write", "params": [1]})", "`params` must be an object"},
           {R"({"type": "testkit.write", "params": {"bogus": 1}})", "bogus"},
           {R"({"type": "testkit.write", "force": "yes"})", "`force` must be true or false"},
           {R"({"type": "testkit.write", "colour": "red"})", "unknown member `colour`"},
       }) {
    auto r = api().send("POST", "/api/v1/jobs", c.body);
    EXPECT_EQ(r.status, 400) << c.body << " -> " << r.text;
    EXPECT_THAT(r.body.value("error", ""), HasSubstr(c.message)) << c.body;
  }
  // A body over the limit is refused before it is read whole.
  auto big = api().send("POST", "/api/v1/jobs", std::string(2 << 20, ' '));
  EXPECT_EQ(big.status, 413) << big.text.substr(0, 200);
  EXPECT_EQ(api().get("/healthz").status, 200) << "the daemon survived the bad requests";
  for (const auto& j : api().get("/api/v1/jobs").body["jobs"])
    EXPECT_NE(j["origin"], "api") << "a refused request enqueued " << j;
}

TEST_F(ApiChangeTest, DisabledScheduleNeedsForceAndSingletonConflictsAre409) {
  auto off = api().send("PATCH", "/api/v1/schedules/testkit.write", R"({"enabled": false})");
  ASSERT_EQ(off.status, 200) << off.text;
  EXPECT_EQ(off.body["enabled"], false);
  auto refused = api().send("POST", "/api/v1/jobs", R"({"type": "testkit.write"})");
  EXPECT_EQ(refused.status, 409) << refused.text;
  EXPECT_THAT(refused.body.value("error", ""), HasSubstr("is disabled"));
  EXPECT_EQ(
      api().send("POST", "/api/v1/jobs", R"({"type": "testkit.write", "force": true})").status,
      201);

  const std::string slow = R"({"type": "testkit.single", "key": "a", "params": {"ms": 4000}})";
  ASSERT_EQ(api().send("POST", "/api/v1/jobs", slow).status, 201);
  auto twice = api().send("POST", "/api/v1/jobs", slow);
  EXPECT_EQ(twice.status, 409) << twice.text;
}

TEST_F(ApiChangeTest, ScheduleTimingChangesPersistAndReset) {
  auto bad = api().send("PATCH", "/api/v1/schedules/testkit.write", R"({"every": "banana"})");
  EXPECT_EQ(bad.status, 400) << bad.text;
  ASSERT_FALSE(bad.body["problems"].empty()) << bad.text;
  EXPECT_EQ(bad.body["problems"][0]["path"], "schedules.testkit.write.every");
  EXPECT_EQ(api().send("PATCH", "/api/v1/schedules/testkit.write", R"({"every": 30})").status, 400);
  EXPECT_EQ(api().send("PATCH", "/api/v1/schedules/testkit.write", R"({"when": "soon"})").status,
            400);

  auto ok = api().send("PATCH", "/api/v1/schedules/testkit.write", R"({"every": "30s"})");
  ASSERT_EQ(ok.status, 200) << ok.text;
  EXPECT_EQ(ok.body["schedule"], "every 30s");
  EXPECT_EQ(testing::schedule_json(api().cli(), "testkit.write")["schedule"], "every 30s");

  // Kept in the store: a restart reads the YAML (every 1h) and lays the change over it.
  api().stop();
  api().start();
  EXPECT_EQ(api().get("/api/v1/schedules/testkit.write").body["schedule"], "every 30s");

  auto reset = api().send("DELETE", "/api/v1/schedules/testkit.write/timing", "");
  ASSERT_EQ(reset.status, 200) << reset.text;
  EXPECT_EQ(reset.body["schedule"], "every 1h");
  EXPECT_EQ(api().send("DELETE", "/api/v1/schedules/testkit.write/timing", "").status, 404);
  EXPECT_EQ(api().send("PATCH", "/api/v1/schedules/testkit.nope", R"({"every": "1m"})").status,
            404);
}

TEST_F(ApiChangeTest, PluginSettingsAreValidatedLikeTheYamlFile) {
  auto bad = api().send("PATCH", "/api/v1/plugins/testkit/settings", R"({"limit": 11})");
  ASSERT_EQ(bad.status, 400) << bad.text;
  const std::string message = bad.body.value("error", "");
  EXPECT_THAT(message, HasSubstr("plugins.testkit.limit: "));
  // The same words `jobhost config check` gives for the same value in the file.
  testing::HostSetup file = api().setup();
  file.plugins_yaml = "  testkit:\n    limit: 11\n";
  testing::Cli check(testing::host_yaml(file));
  auto checked = check.run({"config", "check", check.config_path()});
  EXPECT_NE(checked.exit_code, 0);
  EXPECT_THAT(checked.out + checked.err, HasSubstr(message));

  auto unknown = api().send("PATCH", "/api/v1/plugins/testkit/settings", R"({"limitt": 3})");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_THAT(unknown.body.value("error", ""), HasSubstr("no such setting"));
  EXPECT_EQ(api().send("PATCH", "/api/v1/plugins/nope/settings", R"({"a": 1})").status, 404);
  EXPECT_EQ(api().send("PATCH", "/api/v1/plugins/testkit/settings", "{}").status, 400);

  auto ok = api().send("PATCH", "/api/v1/plugins/testkit/settings", R"({"limit": 7})");
  ASSERT_EQ(ok.status, 200) << ok.text;
  EXPECT_EQ(ok.body["settings"]["limit"], 7);
  ASSERT_EQ(ok.body["overrides"].size(), 1u);
  EXPECT_EQ(ok.body["overrides"][0]["path"], "limit");
  // The plugin took them: a run sees the new value.
  auto run = api().send("POST", "/api/v1/jobs", R"({"type": "testkit.settings"})");
  ASSERT_EQ(run.status, 201);
  const std::string path = run.body["url"];
  ASSERT_TRUE(eventually([&] { return api().get(path).body["status"] == "completed"; }, 20s));
  EXPECT_EQ(api().get(path).body["job_data"]["result"]["limit"], 7) << api().get(path).text;

  // Kept across a restart, then reset to the YAML's value.
  api().stop();
  api().start();
  EXPECT_EQ(api().get("/api/v1/plugins/testkit/settings").body["settings"]["limit"], 7);
  auto reset = api().send("DELETE", "/api/v1/plugins/testkit/settings/limit", "");
  ASSERT_EQ(reset.status, 200) << reset.text;
  EXPECT_EQ(reset.body["settings"]["limit"], 5);
  EXPECT_TRUE(reset.body["overrides"].empty());
  EXPECT_EQ(api().send("DELETE", "/api/v1/plugins/testkit/settings/limit", "").status, 404);
}

TEST_F(ApiChangeTest, MetricsCountersMove) {
  auto before = api().get("/metrics");
  ASSERT_EQ(before.status, 200) << before.text;
  EXPECT_THAT(before.raw.header("content-type"), HasSubstr("text/plain; version=0.0.4"));
  EXPECT_THAT(before.text, HasSubstr("jobhost_up 1"));
  const std::string series = "jobhost_job_runs_total{type=\"testkit.noop\",status=\"completed\"}";
  EXPECT_EQ(before.text.find(series), std::string::npos) << "no run yet";
  for (int i = 0; i < 2; ++i)
    ASSERT_EQ(api().send("POST", "/api/v1/jobs", R"({"type": "testkit.noop"})").status, 201);
  ASSERT_TRUE(eventually(
      [&] { return api().get("/metrics").text.find(series + " 2") != std::string::npos; }, 20s))
      << api().get("/metrics").text;
  EXPECT_THAT(api().get("/metrics").text,
              HasSubstr("jobhost_jobs{type=\"testkit.noop\",status=\"completed\"} 2"));
}

}  // namespace
}  // namespace jobhost
