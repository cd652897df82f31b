// What goes wrong between a host and a fabric's API server: each failure makes the sync
// errored (retried with backoff by the host), leaves the mirror exactly as the last good sync
// left it, says what to fix, and shows in hedgehog.status.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

#include "hedgehog_fixture.h"
#include "support/test_tls.h"

namespace jobhost::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

const std::string kObjects = "SELECT COUNT(*) FROM hedgehog_objects WHERE fabric = 'lab'";

class HedgehogFailureTest : public HedgehogPluginTest {
 protected:
  // A fabric of 48 objects, synced once.
  FakeKubernetes& synced_fabric(const std::string& settings = "") {
    FakeKubernetesOptions o;
    o.objects = 48;
    auto& fake = add_fabric("lab", o);
    open({}, settings);
    EXPECT_EQ(sync("lab").status, jobs::JobStatus::completed);
    return fake;
  }
};

TEST_P(HedgehogFailureTest, RefusedTokenErrorsTheRunWhichIsRetriedAndShownInStatus) {
  auto& fake = synced_fabric();
  fake.set_token("rotated-elsewhere");
  auto outcome = sync("lab");
  EXPECT_EQ(outcome.status, jobs::JobStatus::errored);
  EXPECT_EQ(outcome.error,
            "fabric 'lab': the Kubernetes API refused the token (401 Unauthorized): check "
            "fabrics[].token (a service account token of this cluster)");
  EXPECT_TRUE(outcome.retry_at.has_value()) << "errored syncs are retried with backoff";
  auto s = status("lab");
  EXPECT_EQ(s["status"], "error");
  EXPECT_THAT(s["error"].get<std::string>(), HasSubstr("refused the token"));
  EXPECT_THAT(s["error"].get<std::string>(), HasSubstr("retrying at"));
  EXPECT_EQ(s["objects"], 48) << "the mirror stays as the last good sync left it";
  EXPECT_EQ(count(kObjects), 48);
}

TEST_P(HedgehogFailureTest, ForbiddenListSaysWhichResourceToGrant) {
  auto& fake = synced_fabric();
  fake.fail_next(KubeFailure::forbidden, 1, "/vpcpeerings");
  auto outcome = sync("lab");
  EXPECT_EQ(outcome.status, jobs::JobStatus::errored);
  EXPECT_THAT(outcome.error, HasSubstr("not allowed to list vpcpeerings.vpc.githedgehog.com "
                                       "(403 Forbidden"));
  EXPECT_THAT(outcome.error, HasSubstr("grant the token's service account get and list"));
}

TEST_P(HedgehogFailureTest, ServerErrorMidSyncRollsBackEverything) {
  auto& fake = synced_fabric("page_size: 2");
  fake.mutate(4, 4, 4);
  const auto before = text("SELECT last_sync FROM hedgehog_fabrics WHERE name = 'lab'");
  fake.fail_after(10, KubeFailure::internal_error);  // some pages served, then a 500
  auto outcome = sync("lab");
  EXPECT_EQ(outcome.status, jobs::JobStatus::errored);
  EXPECT_THAT(outcome.error, HasSubstr("answered 500 InternalError"));
  EXPECT_EQ(count(kObjects), 48);
  EXPECT_EQ(text("SELECT last_sync FROM hedgehog_fabrics WHERE name = 'lab'"), before);
  // The retry holds the fabric's slot: no second sync of it meanwhile.
  EXPECT_TRUE(outcome.retry_at.has_value());
  EXPECT_THROW(sync("lab"), jobs::SingletonConflict);
}

TEST_P(HedgehogFailureTest, UnavailableServerIsAnErrorNotAnEmptyFabric) {
  auto& fake = synced_fabric();
  fake.fail_next(KubeFailure::service_unavailable, 1, "/switches");
  auto outcome = sync("lab");
  EXPECT_EQ(outcome.status, jobs::JobStatus::errored);
  EXPECT_THAT(outcome.error, HasSubstr("answered 503 ServiceUnavailable"));
  EXPECT_EQ(count(kObjects + " AND kind = 'switches'"), 4);
}

TEST_P(HedgehogFailureTest, HangingServerTimesOutWithinTheRequestTimeout) {
  auto& fake = synced_fabric("timeout_s: 1");
  fake.fail_next(KubeFailure::hang, 1, "/connections");
  const auto started = std::chrono::steady_clock::now();
  auto outcome = sync("lab");
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(outcome.status, jobs::JobStatus::errored);
  EXPECT_THAT(outcome.error, HasSubstr("/connections"));
  EXPECT_THAT(outcome.error, HasSubstr("raise timeout_s"));
  EXPECT_LT(took, std::chrono::seconds(20)) << "the hang is 60 s; the timeout must end it";
  EXPECT_EQ(count(kObjects), 48);
}

TEST_P(HedgehogFailureTest, TlsIsVerifiedAgainstTheFabricsCaFile) {
  FakeKubernetesOptions o;
  o.objects = 12;
  o.tls = shared_test_certificates().server_tls();
  add_fabric("lab", o);
  const auto ca = shared_test_certificates().ca_cert_file.string();
  open({{"lab", "ca_file: \"" + ca + "\""}});
  auto trusted = sync("lab");
  ASSERT_EQ(trusted.status, jobs::JobStatus::completed) << trusted.error;
  EXPECT_EQ(result(trusted)["objects"], 12);

  // A CA that did not sign the server's certificate: refused, and the error says where to look.
  const auto other = make_test_certificates(dir().path());
  open({{"lab", "ca_file: \"" + other.ca_cert_file.string() + "\""}});
  auto refused = sync("lab");
  EXPECT_EQ(refused.status, jobs::JobStatus::errored);
  EXPECT_THAT(refused.error, HasSubstr("check fabrics[].ca_file"));

  // Without a CA file the system's CAs do not know the test CA either (the connection test
  // is not held back by the errored sync's pending retry).
  open();
  auto system_cas = run("hedgehog.test_connection", {{"fabric", "lab"}});
  EXPECT_EQ(system_cas.status, jobs::JobStatus::failed);
  EXPECT_THAT(system_cas.error, HasSubstr("check fabrics[].ca_file"));
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(HedgehogFailureTest);

}  // namespace
}  // namespace jobhost::testing
