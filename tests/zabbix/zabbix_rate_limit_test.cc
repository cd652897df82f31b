// A rate-limiting proxy in front of Zabbix answers 429 with Retry-After: the refresh waits
// and sends the request again (up to retry_429 times), and when the proxy keeps refusing,
// the run errors with a message that says what to change, never "hosts out of sync".
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "zabbix_fixture.h"

namespace jobhost::testing {
namespace {

using ::testing::HasSubstr;

class ZabbixRateLimitTest : public ZabbixPluginTest {
 protected:
  // The paged inventory (apiinfo.version and 8 host.get per refresh); a short Retry-After
  // keeps the waits fast.
  void SetUp() override {
    ZabbixPluginTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    FakeZabbixOptions o;
    o.retry_after = std::chrono::milliseconds(50);
    start_paged(o, "retry_429: 3");
  }
};

TEST_P(ZabbixRateLimitTest, A429WithinTheLimitIsWaitedOutAndTheRefreshCompletes) {
  zabbix().reset_counters();
  // The version and two batches, then three 429s in a row for the third batch.
  zabbix().fail_after(3, FailureKind::too_many_requests, 3);
  const auto started = std::chrono::steady_clock::now();
  auto r = run("zabbix.host_config_sync_refresh");
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(r.status, jobs::JobStatus::completed) << r.error;
  EXPECT_EQ(result(r)["total"], 40);
  EXPECT_EQ(result(r)["out_of_sync"], zabbix().drifted().size());
  EXPECT_EQ(result(r)["failed"], 0) << "a 429 is never an empty answer";
  EXPECT_EQ(count("last_sync_update IS NOT NULL"), 40) << "every host checked";
  EXPECT_EQ(zabbix().calls("host.get"), 8u);
  EXPECT_EQ(zabbix().requests(), zabbix().calls() + 3) << "the three 429s were sent again";
  EXPECT_GE(took, std::chrono::milliseconds(150)) << "each 429's Retry-After was waited out";
}

TEST_P(ZabbixRateLimitTest, MoreThanRetry429AnswersErrorTheRunWithWhatToDo) {
  zabbix().reset_counters();
  zabbix().fail_next(FailureKind::too_many_requests, 1000, "host.get");
  auto r = run("zabbix.host_config_sync_refresh");
  EXPECT_EQ(r.status, jobs::JobStatus::errored) << "as an outage (5xx): retried with backoff";
  EXPECT_TRUE(r.retry_at);
  EXPECT_EQ(r.error, "Zabbix at " + zabbix().url() +
                         " answered 429 Too Many Requests to host.get after 3 retries "
                         "(Retry-After honoured): a rate limit in front of Zabbix (a reverse "
                         "proxy) refuses this many requests; lower max_in_flight or how often "
                         "the refresh runs (host_config_sync_interval), raise the proxy's limit "
                         "for this client, or raise retry_429");
  EXPECT_EQ(zabbix().calls("host.get"), 0u);
  // The version, then the first host.get sent once and again after each of its three 429s:
  // the run stops at the fourth.
  EXPECT_EQ(zabbix().requests(), 5u);
  EXPECT_EQ(count("last_sync_update IS NOT NULL OR in_sync IS NOT NULL OR last_error IS NOT NULL"),
            0)
      << "an errored run leaves no stamp";
}

TEST_P(ZabbixRateLimitTest, Retry429ZeroGivesTheFirst429Back) {
  reopen("batch_size: 5\nmax_in_flight: 1\nretry_429: 0");
  zabbix().reset_counters();
  zabbix().fail_next(FailureKind::too_many_requests, 1, "host.get");
  auto r = run("zabbix.host_config_sync_refresh");
  EXPECT_EQ(r.status, jobs::JobStatus::errored);
  EXPECT_THAT(r.error, HasSubstr("answered 429 Too Many Requests to host.get after 0 retries"));
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(ZabbixRateLimitTest);

}  // namespace
}  // namespace jobhost::testing
