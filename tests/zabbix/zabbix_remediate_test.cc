// Remediation: a dry run by default that changes nothing, applying only when allowed, each
// host's refusal counted on its own, and the result checked against Zabbix afterwards.
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "zabbix_fixture.h"

namespace jobhost::testing {
namespace {

using ::testing::HasSubstr;

class ZabbixRemediateTest : public ZabbixPluginTest {
 protected:
  void SetUp() override {
    ZabbixPluginTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    FakeZabbixOptions o;
    o.hosts = 30;
    o.drift = 0.3;
    o.missing = 0.1;
    start(o);
    ASSERT_EQ(import_desired().status, jobs::JobStatus::completed);
    ASSERT_EQ(run("zabbix.host_config_sync_refresh").status, jobs::JobStatus::completed);
  }
};

TEST_P(ZabbixRemediateTest, DryRunReportsAndChangesNothing) {
  const size_t hosts_before = zabbix().host_count();
  auto r = run("zabbix.remediate");
  ASSERT_EQ(r.status, jobs::JobStatus::completed) << r.error;
  const auto j = result(r);
  EXPECT_EQ(j["dry_run"], true);
  EXPECT_EQ(j["to_update"], zabbix().drifted().size());
  EXPECT_EQ(j["to_create"], zabbix().missing_hosts().size());
  ASSERT_FALSE(j["actions"].empty());
  const auto d = zabbix().drifted().front();
  bool listed = false;
  for (const auto& a : j["actions"])
    if (a["host"] == d.host) {
      listed = true;
      EXPECT_EQ(a["action"], "update");
      EXPECT_EQ(a["fields"], nlohmann::json::array({d.field}));
    }
  EXPECT_TRUE(listed) << d.host;
  EXPECT_EQ(zabbix().calls("host.update") + zabbix().calls("host.create"), 0u);
  EXPECT_EQ(zabbix().host_count(), hosts_before);
}

TEST_P(ZabbixRemediateTest, ApplyingNeedsTheSetting) {
  auto r = run("zabbix.remediate", {{"apply", "true"}});
  EXPECT_EQ(r.status, jobs::JobStatus::errored);
  EXPECT_THAT(r.error, HasSubstr("remediation.allow_apply: true"));
  EXPECT_EQ(zabbix().calls("host.update"), 0u);
}

TEST_P(ZabbixRemediateTest, ApplyMakesZabbixMatchAndStampsIt) {
  reopen("remediation:\n  allow_apply: true");
  auto r = run("zabbix.remediate", {{"apply", "true"}});
  ASSERT_EQ(r.status, jobs::JobStatus::completed) << r.error;
  const auto j = result(r);
  const size_t expected = zabbix().drifted().size() + zabbix().missing_hosts().size();
  EXPECT_EQ(j["applied"], expected);
  EXPECT_EQ(j["failed"], 0);
  EXPECT_EQ(j["verified_in_sync"], expected);
  EXPECT_EQ(zabbix().calls("host.update"), zabbix().drifted().size());
  EXPECT_EQ(zabbix().calls("host.create"), zabbix().missing_hosts().size());
  EXPECT_EQ(count("in_sync = 1"), 30);
  // Zabbix itself now matches: a full refresh finds nothing to report.
  auto check = result(run("zabbix.host_config_sync_refresh", {{"cutoff", "0"}}));
  EXPECT_EQ(check["in_sync"], 30);
  EXPECT_EQ(check["out_of_sync"], 0);
}

TEST_P(ZabbixRemediateTest, OneRefusedHostDoesNotStopTheOthers) {
  reopen("remediation:\n  allow_apply: true");
  // A desired config naming a template Zabbix does not have: its host.update is refused.
  auto desired = zabbix().desired_host_configs();
  const std::string victim = zabbix().drifted().front().host;
  for (auto& c : desired)
    if (c["host"] == victim) c["templates"] = nlohmann::json::array({"99999"});
  const auto file = dir().file("desired-bad-template.json");
  std::ofstream(file) << nlohmann::json{{"host_configs", desired}}.dump();
  ASSERT_EQ(run("zabbix.import_host_configs", {{"file", file.string()}}).status,
            jobs::JobStatus::completed);
  ASSERT_EQ(run("zabbix.host_config_sync_refresh").status, jobs::JobStatus::completed);

  auto r = run("zabbix.remediate", {{"apply", "true"}});
  ASSERT_EQ(r.status, jobs::JobStatus::completed) << r.error;
  const auto j = result(r);
  EXPECT_EQ(j["failed"], 1);
  ASSERT_EQ(j["failures"].size(), 1u);
  EXPECT_EQ(j["failures"][0]["host"], victim);
  EXPECT_THAT(j["failures"][0]["error"].get<std::string>(), HasSubstr("refused host.update"));
  EXPECT_EQ(count("in_sync = 0"), 1);
  EXPECT_EQ(column("in_sync", victim), "0");
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(ZabbixRemediateTest);

}  // namespace
}  // namespace jobhost::testing
