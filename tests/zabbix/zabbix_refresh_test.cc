// The refresh: drift found field by field, missing hosts counted as failed with their
// reason, the cutoff respected, batching, and the 6.4 / 7.0 / 7.2 API differences.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/sql_probe.h"
#include "support/test_tls.h"
#include "zabbix_fixture.h"

namespace jobhost::testing {
namespace {

using ::testing::HasSubstr;

class ZabbixRefreshTest : public ZabbixPluginTest {};

TEST_P(ZabbixRefreshTest, FindsEachDriftedFieldAndCountsMissingHostsAsFailed) {
  FakeZabbixOptions o;
  o.hosts = 60;
  o.drift = 0.3;
  o.missing = 0.1;
  start(o, "batch_size: 7");
  auto imported = import_desired();
  ASSERT_EQ(imported.status, jobs::JobStatus::completed) << imported.error;
  ASSERT_EQ(result(imported)["inserted"], 60);

  auto refreshed = run("zabbix.host_config_sync_refresh");
  ASSERT_EQ(refreshed.status, jobs::JobStatus::completed) << refreshed.error;
  const auto r = result(refreshed);
  const auto drifted = zabbix().drifted();
  const auto missing = zabbix().missing_hosts();
  ASSERT_FALSE(drifted.empty());
  ASSERT_FALSE(missing.empty());
  EXPECT_EQ(r["total"], 60);
  EXPECT_EQ(r["failed"], missing.size());
  EXPECT_EQ(r["updated"], 60 - missing.size());
  EXPECT_EQ(r["out_of_sync"], drifted.size());
  EXPECT_EQ(r["in_sync"], 60 - missing.size() - drifted.size());
  EXPECT_EQ(r["cutoff_in_minutes"], 60);
  EXPECT_EQ(r["zabbix_version"], "7.0.0");
  // One version query, then one host.get per batch of 7: 60 hosts -> 9.
  EXPECT_EQ(zabbix().calls("apiinfo.version"), 1u);
  EXPECT_EQ(zabbix().calls("host.get"), 9u);

  for (const auto& d : drifted) {
    EXPECT_EQ(column("in_sync", d.host), "0") << d.host;
    const auto diff = nlohmann::json::parse(column("last_difference", d.host).value_or("null"));
    ASSERT_TRUE(diff.is_array()) << d.host;
    ASSERT_EQ(diff.size(), 1u) << d.host << " drifted in " << d.field << ": " << diff.dump();
    EXPECT_EQ(diff[0]["field"], d.field) << d.host;
    EXPECT_NE(diff[0]["expected"], diff[0]["actual"]);
    EXPECT_TRUE(column("hostid", d.host).has_value());
  }
  for (const auto& m : missing) {
    EXPECT_EQ(column("in_sync", m), "0");
    EXPECT_THAT(column("last_error", m).value_or(""), HasSubstr("not found in Zabbix"));
    EXPECT_FALSE(column("last_sync_update", m)) << "a failed check is not a check";
  }
  EXPECT_EQ(count("in_sync = 1 AND last_difference = '[]' AND last_sync_update IS NOT NULL"),
            static_cast<int64_t>(60 - missing.size() - drifted.size()));
  // Each drifted host has an event with what was expected and what Zabbix has.
  EXPECT_EQ(scalar(host().session(),
                   "SELECT COUNT(*) FROM jh_events WHERE message LIKE '%differs from its "
                   "HostConfig%' AND pre_data IS NOT NULL AND post_data IS NOT NULL"),
            static_cast<int64_t>(drifted.size()));

  // The state is readable through jobhost: `jobhost run-now zabbix.report --json`.
  auto report = run("zabbix.report", {{"state", "out_of_sync"}, {"limit", "1000"}});
  ASSERT_EQ(report.status, jobs::JobStatus::completed) << report.error;
  const auto rep = result(report);
  EXPECT_EQ(rep["counts"]["out_of_sync"], drifted.size());
  EXPECT_EQ(rep["counts"]["failed"], missing.size());
  EXPECT_EQ(rep["counts"]["in_sync"], 60 - missing.size() - drifted.size());
  ASSERT_EQ(rep["hosts"].size(), drifted.size());
  EXPECT_EQ(rep["hosts"][0]["differences"].size(), 1u);
  auto bad = run("zabbix.report", {{"state", "weird"}});
  EXPECT_EQ(bad.status, jobs::JobStatus::errored);
  EXPECT_THAT(bad.error, HasSubstr("state must be all, in_sync, out_of_sync, failed or unchecked"));
}

TEST_P(ZabbixRefreshTest, CutoffLeavesRecentlyCheckedHostsAlone) {
  FakeZabbixOptions o;
  o.hosts = 20;
  o.missing = 0.1;
  start(o);
  ASSERT_EQ(import_desired().status, jobs::JobStatus::completed);
  ASSERT_EQ(result(run("zabbix.host_config_sync_refresh"))["total"], 20);

  // Checked a moment ago: within the 60-minute cutoff, only the failed ones are due again.
  auto again = result(run("zabbix.host_config_sync_refresh"));
  EXPECT_EQ(again["total"], zabbix().missing_hosts().size());
  EXPECT_EQ(again["cutoff_in_minutes"], 60);

  // The parameter overrides the setting: 0 minutes makes every host due.
  auto all = result(run("zabbix.host_config_sync_refresh", {{"cutoff", "0"}}));
  EXPECT_EQ(all["total"], 20);
  EXPECT_EQ(all["cutoff_in_minutes"], 0);

  // So does the setting.
  reopen("cutoff_host_config_sync: 0");
  EXPECT_EQ(result(run("zabbix.host_config_sync_refresh"))["total"], 20);
}

TEST_P(ZabbixRefreshTest, NothingDueAsksZabbixNothing) {
  start({});
  auto r = run("zabbix.host_config_sync_refresh");
  ASSERT_EQ(r.status, jobs::JobStatus::completed) << r.error;
  EXPECT_EQ(result(r)["total"], 0);
  EXPECT_EQ(zabbix().requests(), 0u);
}

TEST_P(ZabbixRefreshTest, Zabbix64NamesTheProxyDifferently) {
  FakeZabbixOptions o;
  o.version = "6.4.12";
  o.hosts = 30;
  o.drift = 0.3;
  start(o);
  ASSERT_EQ(import_desired().status, jobs::JobStatus::completed);
  auto r = run("zabbix.host_config_sync_refresh");
  ASSERT_EQ(r.status, jobs::JobStatus::completed) << r.error;
  EXPECT_EQ(result(r)["out_of_sync"], zabbix().drifted().size());
  EXPECT_EQ(result(r)["failed"], 0);
  for (const auto& d : zabbix().drifted()) {
    const auto diff = nlohmann::json::parse(column("last_difference", d.host).value_or("[]"));
    ASSERT_EQ(diff.size(), 1u) << d.host << ": " << diff.dump();
    EXPECT_EQ(diff[0]["field"], d.field);
  }
}

TEST_P(ZabbixRefreshTest, Zabbix72GetsTheTokenAsBearerAndRefusesItInTheBody) {
  FakeZabbixOptions o;
  o.version = "7.2.3";
  o.hosts = 5;
  start(o);
  ASSERT_EQ(import_desired().status, jobs::JobStatus::completed);
  auto ok = run("zabbix.host_config_sync_refresh");
  ASSERT_EQ(ok.status, jobs::JobStatus::completed) << ok.error;
  ASSERT_TRUE(zabbix().last_request());
  EXPECT_EQ(zabbix().last_request()->header("authorization"), "Bearer fake-token");
  EXPECT_THAT(zabbix().last_request()->body, ::testing::Not(HasSubstr("\"auth\"")));

  reopen("auth_method: body\ncutoff_host_config_sync: 0");
  auto refused = run("zabbix.host_config_sync_refresh");
  EXPECT_EQ(refused.status, jobs::JobStatus::errored);
  EXPECT_THAT(refused.error, HasSubstr("unexpected parameter \"auth\""));
  EXPECT_THAT(refused.error, HasSubstr("set auth_method to auto or bearer"));
}

TEST_P(ZabbixRefreshTest, Zabbix70StillTakesTheTokenInTheBodyWhenAsked) {
  FakeZabbixOptions o;
  o.hosts = 3;
  start(o, "auth_method: body");
  ASSERT_EQ(import_desired().status, jobs::JobStatus::completed);
  auto r = run("zabbix.host_config_sync_refresh");
  ASSERT_EQ(r.status, jobs::JobStatus::completed) << r.error;
  EXPECT_THAT(zabbix().last_request()->body, HasSubstr("\"auth\":\"fake-token\""));
  EXPECT_FALSE(zabbix().last_request()->has_header("authorization"));
}

TEST_P(ZabbixRefreshTest, RequestsInFlightAreBounded) {
  FakeZabbixOptions o;
  o.hosts = 40;
  o.latency = std::chrono::milliseconds(50);
  o.threads = 4;
  start(o, "batch_size: 2\nmax_in_flight: 3");
  ASSERT_EQ(import_desired().status, jobs::JobStatus::completed);
  auto r = run("zabbix.host_config_sync_refresh");
  ASSERT_EQ(r.status, jobs::JobStatus::completed) << r.error;
  EXPECT_EQ(zabbix().calls("host.get"), 20u);
  EXPECT_LE(zabbix().max_in_flight(), 3u);
  EXPECT_GE(zabbix().max_in_flight(), 2u) << "batches go out concurrently";
}

TEST_P(ZabbixRefreshTest, TlsCertificateIsVerified) {
  const auto& certs = shared_test_certificates();
  FakeZabbixOptions o;
  o.hosts = 3;
  o.tls = ServerTls{};
  o.tls->cert_chain_file = certs.server_cert_file;
  o.tls->private_key_file = certs.server_key_file;
  start(o, "ca_file: " + certs.ca_cert_file.string());
  ASSERT_THAT(zabbix().url(), ::testing::StartsWith("https://"));
  ASSERT_EQ(import_desired().status, jobs::JobStatus::completed);
  auto ok = run("zabbix.host_config_sync_refresh");
  ASSERT_EQ(ok.status, jobs::JobStatus::completed) << ok.error;
  EXPECT_EQ(result(ok)["in_sync"], 3);

  // Without the CA the system trust store does not know the test CA: verification refuses.
  reopen("cutoff_host_config_sync: 0");
  auto refused = run("zabbix.host_config_sync_refresh");
  EXPECT_EQ(refused.status, jobs::JobStatus::errored);
  EXPECT_THAT(refused.error, HasSubstr("cannot reach Zabbix"));
  EXPECT_THAT(refused.error, ::testing::AnyOf(HasSubstr("certificate"), HasSubstr("SSL")));
}

TEST_P(ZabbixRefreshTest, RefreshIsScheduledFromTheIntervalSetting) {
  start({}, "host_config_sync_interval: 15");
  const std::string q =
      "SELECT spec FROM jh_schedules WHERE job_type = 'zabbix.host_config_sync_refresh'";
  EXPECT_EQ(text(host().session(), q), "every 15m");
  reopen("host_config_sync_interval: 120");
  EXPECT_EQ(text(host().session(), q), "every 2h");
  EXPECT_EQ(scalar(host().session(),
                   "SELECT COUNT(*) FROM jh_schedules WHERE job_type = "
                   "'zabbix.host_config_sync_refresh'"),
            1)
      << "a changed interval replaces the schedule";
  reopen("host_config_sync_interval: 0");
  EXPECT_FALSE(text(host().session(), q)) << "0 leaves the refresh unscheduled";
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(ZabbixRefreshTest);

}  // namespace
}  // namespace jobhost::testing
