// meraki.sync against what the Dashboard API really does: Link pages, the per-organization
// rate limit and 429 storms, redirects to a shard, refused keys, failures in the middle of a
// sync, and two triggers at once. On both stores.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <barrier>
#include <functional>
#include <future>

#include "jobs/job_store.h"
#include "meraki_fixture.h"
#include "store/database.h"

namespace jobhost::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;
using jobs::JobStatus;

class MerakiApiTest : public MerakiPluginTest {
 protected:
  FakeMeraki& fake_of(size_t networks, size_t devices, FakeMerakiOptions o = {}) {
    o.networks = networks;
    o.devices = devices;
    return start_fake(o);
  }
};

TEST_P(MerakiApiTest, FollowsLinkPagesOfEveryEndpointWithTheFewestCalls) {
  // 5,200 devices: 2 pages of devices (5,000 a page) and 6 of statuses (1,000 a page).
  fake_of(30, 5200);
  open({"scheduled_sync_mode: auto"});
  auto out = run("meraki.sync");
  ASSERT_EQ(out.status, JobStatus::completed) << out.error;
  const json r = result(out);
  EXPECT_EQ(devices(), 5200);
  EXPECT_EQ(count("SELECT COUNT(*) FROM meraki_devices WHERE status IS NULL"), 0)
      << "every device got its status from one of the status pages";
  EXPECT_EQ(fake().pages("devices"), 2u);
  EXPECT_EQ(fake().pages("statuses"), 6u);
  EXPECT_EQ(fake().pages("networks"), 1u);
  EXPECT_EQ(r["pages"], 10);
  EXPECT_EQ(r["api_calls"], 10) << "no call beyond the pages";
  EXPECT_EQ(fake().requests(), 10u);
}

TEST_P(MerakiApiTest, StormOf429sIsWaitedOutWithoutLosingAPage) {
  fake_of(10, 2500).fail_next(MerakiFailure::too_many_requests, 3, "/devices/statuses");
  open({"scheduled_sync_mode: auto"});
  auto out = run("meraki.sync");
  ASSERT_EQ(out.status, JobStatus::completed) << out.error;
  const json r = result(out);
  EXPECT_EQ(r["calls_429"], 3);
  EXPECT_EQ(r["api_calls"], 1 + 1 + 1 + 3 + 3) << "pages plus the three 429s, nothing more";
  EXPECT_EQ(count("SELECT COUNT(*) FROM meraki_devices WHERE status IS NOT NULL"), 2500);
}

TEST_P(MerakiApiTest, ThePerOrganizationBucketPacesASyncThatWouldOverrunIt) {
  // The fake enforces 10/s with a burst of 3; the plugin is told 50/s: the server's 429s and
  // their Retry-After take over, and the sync completes with every page.
  FakeMerakiOptions o;
  o.burst = 3;
  fake_of(5, 1200, o);
  open({"scheduled_sync_mode: auto", "rate_limit_per_s: 50", "rate_limit_burst: 20",
        "max_in_flight: 4"});
  auto out = run("meraki.sync");
  ASSERT_EQ(out.status, JobStatus::completed) << out.error;
  EXPECT_GT(result(out)["calls_429"].get<int64_t>(), 0);
  EXPECT_EQ(devices(), 1200);
  EXPECT_EQ(count("SELECT COUNT(*) FROM meraki_devices WHERE status IS NULL"), 0);
}

TEST_P(MerakiApiTest, EndlessRateLimitingErrorsAndNeverLooksLikeAnEmptyDashboard) {
  fake_of(4, 40);
  open({"scheduled_sync_mode: auto", "retry_429: 2"});
  ASSERT_EQ(run("meraki.sync").status, JobStatus::completed);
  fake().fail_next(MerakiFailure::too_many_requests, 50, "/devices");
  auto out = run("meraki.sync");
  EXPECT_EQ(out.status, JobStatus::errored);
  EXPECT_THAT(out.error, HasSubstr("still rate limited after 2 answers 429 waited out"));
  EXPECT_TRUE(out.retry_at.has_value()) << "retried later by the host";
  EXPECT_EQ(devices(), 40) << "nothing deleted: a 429 is not an empty list";
}

TEST_P(MerakiApiTest, RedirectToAShardReSendsTheKeyWithinTheDomain) {
  FakeMerakiOptions o;
  o.shard = true;
  fake_of(3, 20, o);
  open({"scheduled_sync_mode: auto"});
  auto out = run("meraki.sync");
  ASSERT_EQ(out.status, JobStatus::completed) << out.error;
  EXPECT_EQ(devices(), 20);
  EXPECT_GE(fake().redirects(), 3u);
  EXPECT_GE(fake().shard_requests(), 3u);
  EXPECT_EQ(fake().unauthorized(), 0u) << "the shard got the key each time";
  EXPECT_EQ(result(out)["redirects"].get<size_t>(), fake().redirects());
}

TEST_P(MerakiApiTest, RedirectOutsideMerakisDomainsKeepsTheKey) {
  FakeMerakiOptions o;
  o.shard = true;
  o.shard_host = "localhost";  // another host than the configured 127.0.0.1
  fake_of(3, 20, o);
  open({"scheduled_sync_mode: auto"});
  auto out = run("meraki.sync");
  EXPECT_EQ(out.status, JobStatus::failed);
  EXPECT_THAT(out.error, HasSubstr("outside Meraki's domains"));
  EXPECT_THAT(out.error, HasSubstr("not sending the API key there"));
  EXPECT_EQ(fake().shard_requests(), 0u);
  EXPECT_EQ(devices(), 0);
}

TEST_P(MerakiApiTest, RefusedKeyFailsSayingWhatToCheckAndLegacyHeaderWorks) {
  fake_of(2, 10);
  open({"scheduled_sync_mode: auto", "auth_header: legacy"});
  ASSERT_EQ(run("meraki.sync").status, JobStatus::completed);
  ASSERT_TRUE(fake().last_request().has_value());
  EXPECT_EQ(fake().last_request()->header("X-Cisco-Meraki-API-Key"), "fake-meraki-key");
  EXPECT_FALSE(fake().last_request()->has_header("Authorization"));

  fake().set_api_key("rotated");
  fake().mutate(0, 0, 3);
  auto out = run("meraki.sync");
  EXPECT_EQ(out.status, JobStatus::failed);
  EXPECT_EQ(out.error,
            "the Meraki API refused the API key (401: Invalid API key): check api_key (a key of a "
            "dashboard user with API access)");
  EXPECT_EQ(devices(), 10);
}

TEST_P(MerakiApiTest, UnknownConfiguredOrganizationIsNamedWithTheVisibleOnes) {
  fake_of(1, 1);
  open({"organizations: [\"123\"]"});
  auto out = sync("auto");
  EXPECT_EQ(out.status, JobStatus::failed);
  EXPECT_THAT(out.error, HasSubstr("organization 123 is not visible to this API key; it sees: " +
                                   fake().organization_ids().front() + " (Org 1)"));
  auto test = run("meraki.test_connection");
  EXPECT_EQ(test.status, JobStatus::failed);
  EXPECT_EQ(result(test)["configured_but_not_visible"], json::array({"123"}));
}

TEST_P(MerakiApiTest, ServerErrorInTheMiddleOfPagingChangesNothing) {
  fake_of(10, 5200);
  open({"scheduled_sync_mode: auto"});
  ASSERT_EQ(run("meraki.sync").status, JobStatus::completed);
  fake().mutate(10, 10, 10);
  // Pages of statuses after the third fail: fetched pages never reach the store alone.
  fake().fail_after(6, MerakiFailure::internal_error, 5);
  auto out = run("meraki.sync");
  EXPECT_EQ(out.status, JobStatus::errored);
  EXPECT_THAT(out.error, HasSubstr("answered 500: Internal server error"));
  EXPECT_EQ(devices(), 5200) << "the last good sync's inventory, whole";
  EXPECT_TRUE(out.retry_at.has_value()) << "the host retries it later";
}

TEST_P(MerakiApiTest, DatabaseFailureWhileApplyingRollsBackEveryWrite) {
  fake_of(3, 12);
  open({"scheduled_sync_mode: auto"});
  // The last device's insert fails inside the store, after organizations and sites were
  // written in the same run.
  const auto org = fake().organization_ids().front();
  const std::string victim = fake().devices(org).back()["serial"];
  if (GetParam() == StoreKind::sqlite) {
    host().session().exec_script(
        "CREATE TRIGGER refuse_device BEFORE INSERT ON meraki_devices WHEN NEW.serial = '" +
        victim + "' BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END");
  } else {
    host().session().exec_script(
        "CREATE FUNCTION refuse_device() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF "
        "NEW.serial = '" +
        victim +
        "' THEN RAISE EXCEPTION 'refused by test trigger'; END IF; RETURN NEW; END $$;"
        "CREATE TRIGGER refuse_device BEFORE INSERT ON meraki_devices FOR EACH ROW EXECUTE "
        "FUNCTION refuse_device()");
  }
  auto out = run("meraki.sync");
  EXPECT_EQ(out.status, JobStatus::errored);
  EXPECT_THAT(out.error, HasSubstr("refused by test trigger"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM meraki_organizations"), 0);
  EXPECT_EQ(sites(), 0);
  EXPECT_EQ(devices(), 0);
}

TEST_P(MerakiApiTest, TwoTriggersAtOnceRunOnce) {
  FakeMerakiOptions o;
  o.latency = std::chrono::milliseconds(300);
  fake_of(3, 30, o);
  open({"scheduled_sync_mode: auto"});
  // Two hosts on the store trigger at the same instant: the store lets one job in.
  auto other = Host::open(config({"scheduled_sync_mode: auto"}));
  std::barrier start(2);
  auto trigger = [&](Host& h) -> int64_t {
    start.arrive_and_wait();
    try {
      return h.enqueue("meraki.sync", {});
    } catch (const jobs::SingletonConflict&) {
      return 0;
    }
  };
  auto a = std::async(std::launch::async, trigger, std::ref(host()));
  auto b = std::async(std::launch::async, trigger, std::ref(*other));
  const int64_t got_a = a.get(), got_b = b.get();
  EXPECT_TRUE((got_a == 0) != (got_b == 0))
      << "exactly one trigger enqueued: " << got_a << ", " << got_b;
  const int64_t first = got_a ? got_a : got_b;
  EXPECT_EQ(count("SELECT COUNT(*) FROM jh_jobs WHERE type = 'meraki.sync'"), 1);
  EXPECT_THROW(host().enqueue("meraki.sync", {}), jobs::SingletonConflict);
  try {
    host().enqueue("meraki.sync", {{"mode", "dry_run"}});
    FAIL() << "a second sync was let in";
  } catch (const jobs::SingletonConflict& e) {
    EXPECT_THAT(e.what(), HasSubstr(std::to_string(first)));
  }
  // A run-now beside it is refused the same way: one sync at a time, whoever triggers it.
  EXPECT_THROW(run("meraki.sync"), jobs::SingletonConflict);
  EXPECT_EQ(fake().requests(), 0u) << "the refused triggers called nothing";
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(MerakiApiTest);

}  // namespace
}  // namespace jobhost::testing
