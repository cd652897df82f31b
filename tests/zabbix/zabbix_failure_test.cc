// A Zabbix that fails is an error of the run, never "all hosts out of sync": the run
// errors, its transaction rolls back and no host is stamped.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/sql_probe.h"
#include "zabbix_fixture.h"

namespace jobhost::testing {
namespace {

using ::testing::HasSubstr;

class ZabbixFailureTest : public ZabbixPluginTest {
 protected:
  // The paged inventory (8 host.get requests per refresh); a hang outlasts the 1 s timeout.
  void SetUp() override {
    ZabbixPluginTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    FakeZabbixOptions o;
    o.hang_for = std::chrono::milliseconds(5000);
    start_paged(o, "timeout_s: 1");
  }

  void expect_nothing_stamped(const jobs::RunOutcome& r) {
    EXPECT_EQ(r.status, jobs::JobStatus::errored);
    EXPECT_EQ(count("last_sync_update IS NOT NULL OR in_sync IS NOT NULL OR last_error IS NOT "
                    "NULL"),
              0)
        << "an errored run leaves no stamp";
    EXPECT_EQ(scalar(host().session(),
                     "SELECT COUNT(*) FROM jh_events WHERE message LIKE "
                     "'%differs from its HostConfig%'"),
              0)
        << "nor any host's event";
  }
};

TEST_P(ZabbixFailureTest, Http500MidRun) {
  zabbix().fail_after(4, FailureKind::http_500);  // version + 3 batches, then the outage
  auto r = run("zabbix.host_config_sync_refresh");
  expect_nothing_stamped(r);
  EXPECT_THAT(r.error, HasSubstr("answered HTTP 500 to host.get"));
  EXPECT_TRUE(r.retry_at) << "an outage is retried with backoff";
}

TEST_P(ZabbixFailureTest, ConnectionDroppedMidRun) {
  // Several in a row: libcurl resends a request once when a reused connection closes.
  zabbix().fail_after(3, FailureKind::close_connection, 5);
  auto r = run("zabbix.host_config_sync_refresh");
  expect_nothing_stamped(r);
  EXPECT_THAT(r.error, HasSubstr("cannot reach Zabbix at " + zabbix().url()));
}

TEST_P(ZabbixFailureTest, MalformedJsonMidRun) {
  zabbix().fail_after(2, FailureKind::malformed_json);
  auto r = run("zabbix.host_config_sync_refresh");
  expect_nothing_stamped(r);
  EXPECT_THAT(r.error, HasSubstr("answered host.get with malformed JSON"));
}

TEST_P(ZabbixFailureTest, RequestThatHangsTimesOut) {
  zabbix().fail_after(2, FailureKind::hang);
  auto r = run("zabbix.host_config_sync_refresh");
  expect_nothing_stamped(r);
  EXPECT_THAT(r.error, HasSubstr("cannot reach Zabbix"));
  EXPECT_THAT(r.error, ::testing::AnyOf(HasSubstr("imeout"), HasSubstr("timed out")));
}

TEST_P(ZabbixFailureTest, ZabbixDownFromTheStart) {
  zabbix().stop();
  auto r = run("zabbix.host_config_sync_refresh");
  expect_nothing_stamped(r);
  EXPECT_THAT(r.error, HasSubstr("check the `url` setting and the network"));
}

TEST_P(ZabbixFailureTest, WrongToken) {
  reopen("batch_size: 5", "not-the-token");
  auto r = run("zabbix.host_config_sync_refresh");
  expect_nothing_stamped(r);
  EXPECT_THAT(r.error, HasSubstr("Not authorized."));
  EXPECT_THAT(r.error, HasSubstr("check the `token` setting"));
}

TEST_P(ZabbixFailureTest, TokenExpiresMidRun) {
  zabbix().expire_token_after(3);
  auto r = run("zabbix.host_config_sync_refresh");
  expect_nothing_stamped(r);
  EXPECT_THAT(r.error, HasSubstr("API token expired."));
  EXPECT_THAT(r.error, HasSubstr("create a new one"));
}

TEST_P(ZabbixFailureTest, ApplicationErrorMidRun) {
  zabbix().fail_after(3, FailureKind::rpc_error);
  auto r = run("zabbix.host_config_sync_refresh");
  expect_nothing_stamped(r);
  EXPECT_THAT(r.error, HasSubstr("refused host.get"));
}

TEST_P(ZabbixFailureTest, UnsupportedVersionIsNamed) {
  zabbix().set_version("6.0.30");
  auto r = run("zabbix.host_config_sync_refresh");
  expect_nothing_stamped(r);
  EXPECT_THAT(r.error, HasSubstr("runs API 6.0.30; this plugin supports 6.4 and later"));
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(ZabbixFailureTest);

}  // namespace
}  // namespace jobhost::testing
