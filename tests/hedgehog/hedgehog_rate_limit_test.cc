// The Kubernetes API server under API Priority and Fairness answers 429 with Retry-After:
// the sync waits and sends the request again (up to retry_429 times); when the server keeps
// refusing, the sync errors (retried with backoff, like a 5xx) with a message that says what
// to change, and the mirror stays as the last good sync left it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "hedgehog_fixture.h"

namespace jobhost::testing {
namespace {

using ::testing::HasSubstr;

const std::string kObjects = "SELECT COUNT(*) FROM hedgehog_objects WHERE fabric = 'lab'";

class HedgehogRateLimitTest : public HedgehogPluginTest {
 protected:
  // A fabric of 48 objects with a short Retry-After (fast waits), synced once; returns how
  // many requests that sync took.
  std::size_t synced_fabric(const std::string& settings) {
    FakeKubernetesOptions o;
    o.objects = 48;
    o.retry_after = std::chrono::milliseconds(50);
    auto& fake = add_fabric("lab", o);
    open({}, settings);
    fake.reset_counters();
    EXPECT_EQ(sync("lab").status, jobs::JobStatus::completed);
    const std::size_t requests = fake.requests();
    fake.reset_counters();
    fake.mutate(2, 2, 2);  // so that the next sync has something to write
    return requests;
  }
};

TEST_P(HedgehogRateLimitTest, A429WithinTheLimitIsWaitedOutAndTheSyncCompletes) {
  const std::size_t plain = synced_fabric("retry_429: 3");
  auto& fake = this->fake("lab");
  fake.fail_next(KubeFailure::too_many_requests, 3, "/switches");
  auto outcome = sync("lab");
  ASSERT_EQ(outcome.status, jobs::JobStatus::completed) << outcome.error;
  EXPECT_EQ(result(outcome)["objects"], count(kObjects));
  EXPECT_EQ(fake.list_requests("switches"), 1u) << "one page, served once";
  EXPECT_EQ(fake.requests(), plain + 3) << "the three 429s were sent again";
  EXPECT_EQ(status("lab")["status"], "in_sync");
}

TEST_P(HedgehogRateLimitTest, MoreThanRetry429AnswersErrorTheSyncWithWhatToDo) {
  synced_fabric("retry_429: 2");
  auto& fake = this->fake("lab");
  fake.fail_next(KubeFailure::too_many_requests, 1000, "/vpcs");
  auto outcome = sync("lab");
  EXPECT_EQ(outcome.status, jobs::JobStatus::errored);
  EXPECT_EQ(outcome.error,
            "fabric 'lab': the Kubernetes API server answered 429 Too Many Requests to list "
            "vpcs.vpc.githedgehog.com after 2 retries (Retry-After honoured): API Priority and "
            "Fairness rejects this client's requests; lower max_in_flight or how often the "
            "fabric syncs (sync_interval), give the token's service account a FlowSchema with "
            "more concurrency, or raise retry_429");
  EXPECT_TRUE(outcome.retry_at.has_value()) << "retried with backoff, as a 5xx is";
  EXPECT_EQ(fake.list_requests("vpcs"), 0u);
  EXPECT_EQ(count(kObjects), 48) << "the mirror stays as the last good sync left it";
  EXPECT_EQ(status("lab")["status"], "error");
}

TEST_P(HedgehogRateLimitTest, ConnectionTestFailsWithTheSameAdvice) {
  synced_fabric("retry_429: 1");
  fake("lab").fail_next(KubeFailure::too_many_requests, 1000, "/version");
  auto outcome = run("hedgehog.test_connection", {{"fabric", "lab"}});
  EXPECT_EQ(outcome.status, jobs::JobStatus::failed);
  EXPECT_THAT(outcome.error,
              HasSubstr("answered 429 Too Many Requests to read /version after 1 retry "
                        "(Retry-After honoured)"));
  EXPECT_EQ(fake("lab").requests(), 2u) << "sent once, and once again after the first 429";
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(HedgehogRateLimitTest);

}  // namespace
}  // namespace jobhost::testing
