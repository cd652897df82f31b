// zabbix.status as the host's API runs it: a read-only query (ABI 1.4) that summarises the sync
// state for a dashboard without recording a job and without asking Zabbix anything.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "jobs/query.h"
#include "support/sql_probe.h"
#include "zabbix_fixture.h"

namespace jobhost::testing {
namespace {

class ZabbixQueryTest : public ZabbixPluginTest {
 protected:
  jobs::QueryOutcome status(const nlohmann::json& params = nlohmann::json::object()) {
    return jobs::run_query(host().plugins(), host().session(), host().runner_options(),
                           "zabbix.status", params);
  }
  nlohmann::json status_result(const nlohmann::json& params = nlohmann::json::object()) {
    auto out = status(params);
    EXPECT_TRUE(out.ok) << out.error;
    return nlohmann::json::parse(out.result.value_or("null"));
  }
  int64_t jobs_and_events() {
    return scalar(host().session(), "SELECT COUNT(*) FROM jh_jobs") +
           scalar(host().session(), "SELECT COUNT(*) FROM jh_events");
  }
};

TEST_P(ZabbixQueryTest, StatusCountsTheDriftListsTheHostsAndNamesTheRefreshes) {
  FakeZabbixOptions o;
  o.hosts = 40;
  o.drift = 0.3;
  o.missing = 0.1;
  start(o);
  const auto* query = jobs::status_query_of(host().plugins().find_plugin("zabbix-host-sync")->spec);
  ASSERT_NE(query, nullptr);
  EXPECT_EQ(query->name, "zabbix.status");

  auto empty = status_result();
  EXPECT_EQ(empty["status"], "empty");
  EXPECT_EQ(empty["hosts"], 0);
  EXPECT_TRUE(empty["last_refresh"].is_null()) << empty;
  EXPECT_EQ(empty["refresh_schedule"]["when"], "every 1h") << empty;
  EXPECT_TRUE(empty["next_refresh"].is_string()) << empty;

  ASSERT_EQ(import_desired().status, jobs::JobStatus::completed);
  auto unchecked = status_result();
  EXPECT_EQ(unchecked["status"], "unchecked");
  EXPECT_EQ(unchecked["counts"]["unchecked"], 40) << "never checked";

  auto refreshed = run("zabbix.host_config_sync_refresh");
  ASSERT_EQ(refreshed.status, jobs::JobStatus::completed) << refreshed.error;
  const auto drifted = zabbix().drifted();
  const auto missing = zabbix().missing_hosts();
  ASSERT_GT(drifted.size(), 1u);
  ASSERT_FALSE(missing.empty());
  const size_t zabbix_calls = zabbix().calls();
  const int64_t recorded = jobs_and_events();

  auto s = status_result();
  EXPECT_EQ(s["status"], "out_of_sync");
  EXPECT_EQ(s["hosts"], 40);
  EXPECT_EQ(s["counts"]["out_of_sync"], drifted.size());
  EXPECT_EQ(s["counts"]["failed"], missing.size());
  EXPECT_EQ(s["counts"]["in_sync"], 40 - drifted.size() - missing.size());
  EXPECT_EQ(s["counts"]["unchecked"], 0);
  const auto& hosts = s["out_of_sync"]["hosts"];
  ASSERT_EQ(hosts.size(), drifted.size()) << s;
  EXPECT_EQ(s["out_of_sync"]["truncated"], false);
  for (size_t i = 0; i < drifted.size(); ++i) {
    EXPECT_EQ(hosts[i]["host"], drifted[i].host);
    ASSERT_EQ(hosts[i]["differences"].size(), 1u) << hosts[i];
    EXPECT_EQ(hosts[i]["differences"][0]["field"], drifted[i].field) << hosts[i];
  }
  ASSERT_EQ(s["failed"]["hosts"].size(), missing.size());
  EXPECT_THAT(s["failed"]["hosts"][0]["error"].get<std::string>(),
              ::testing::HasSubstr("not found in Zabbix"));
  EXPECT_EQ(s["last_refresh"]["status"], "completed") << s;
  EXPECT_EQ(s["last_refresh"]["job_id"], refreshed.id);
  EXPECT_TRUE(s["last_host_check"].is_string());
  EXPECT_TRUE(s["next_refresh"].is_string());

  // Capped lists say so.
  auto capped = status_result({{"limit", 1}});
  EXPECT_EQ(capped["out_of_sync"]["hosts"].size(), 1u);
  EXPECT_EQ(capped["out_of_sync"]["truncated"], true);
  EXPECT_EQ(capped["counts"]["out_of_sync"], drifted.size()) << "counts are never capped";

  EXPECT_EQ(zabbix().calls(), zabbix_calls) << "the query reads the table, never Zabbix";
  EXPECT_EQ(jobs_and_events(), recorded) << "no job, no event";
  EXPECT_FALSE(status({{"limit", -1}}).ok);
}

TEST_P(ZabbixQueryTest, AnErroredRefreshMakesTheStatusAnError) {
  FakeZabbixOptions o;
  o.hosts = 5;
  start(o);
  ASSERT_EQ(import_desired().status, jobs::JobStatus::completed);
  zabbix().fail_next(FailureKind::http_500, 100);
  auto refreshed = run("zabbix.host_config_sync_refresh");
  ASSERT_EQ(refreshed.status, jobs::JobStatus::errored);
  auto s = status_result();
  EXPECT_EQ(s["status"], "error") << s;
  EXPECT_EQ(s["last_refresh"]["error"], refreshed.error);
  EXPECT_TRUE(s["last_refresh"]["retry_at"].is_string()) << "the refresh is retried";
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(ZabbixQueryTest);

}  // namespace
}  // namespace jobhost::testing
