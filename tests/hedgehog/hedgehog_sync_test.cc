// hedgehog.fabric_sync against a fake Kubernetes API: the first sync mirrors every kind, a
// later one applies exactly what changed in the cluster (and deletes what vanished), a kind
// without its CRD counts as zero and is noted, paging survives an expired continue token.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "hedgehog_fixture.h"

namespace jobhost::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

const std::string kObjects = "SELECT COUNT(*) FROM hedgehog_objects WHERE fabric = 'lab'";

class HedgehogSyncTest : public HedgehogPluginTest {};

TEST_P(HedgehogSyncTest, FirstSyncMirrorsEveryKindWithItsFields) {
  FakeKubernetesOptions o;
  o.objects = 120;  // 10 of each of the 12 kinds
  auto& fake = add_fabric("lab", o);
  open({}, "page_size: 4");
  auto outcome = sync("lab");
  ASSERT_EQ(outcome.status, jobs::JobStatus::completed) << outcome.error;
  auto r = result(outcome);
  EXPECT_EQ(r["objects"], 120);
  EXPECT_EQ(r["created"], 120);
  EXPECT_EQ(r["updated"], 0);
  EXPECT_EQ(r["deleted"], 0);
  EXPECT_EQ(r["pages"], 12 * 3);  // 10 objects, 4 a page
  EXPECT_EQ(r["kinds"]["vpcattachments"]["objects"], 10);
  EXPECT_EQ(r["cluster_version"], "v1.30.4+k3s1");
  EXPECT_EQ(count(kObjects), 120);

  // An object as stored: uid, resourceVersion, labels, spec, status and its Ready condition.
  const auto name = fake.names("connections").front();
  const auto served = fake.object("connections", name).value();
  const std::string row =
      " FROM hedgehog_objects WHERE fabric = 'lab' AND kind = 'connections' "
      "AND name = '" +
      name + "'";
  EXPECT_EQ(text("SELECT uid" + row), served["metadata"]["uid"].get<std::string>());
  EXPECT_EQ(text("SELECT resource_version" + row),
            served["metadata"]["resourceVersion"].get<std::string>());
  EXPECT_EQ(json::parse(text("SELECT spec" + row).value()), served["spec"]);
  EXPECT_EQ(json::parse(text("SELECT labels" + row).value()), served["metadata"]["labels"]);
  const auto ready = served["status"]["conditions"][0]["status"].get<std::string>();
  EXPECT_EQ(text("SELECT ready" + row), ready);
  // Kinds without a status keep none.
  EXPECT_EQ(count("SELECT COUNT(*) FROM hedgehog_objects WHERE kind = 'switchgroups' AND "
                  "status IS NOT NULL"),
            0);

  auto s = status("lab");
  EXPECT_EQ(s["status"], "in_sync");
  EXPECT_EQ(s["objects"], 120);
  EXPECT_EQ(s["counts"]["switches"], 10);
  EXPECT_TRUE(s["last_sync"].is_string());
  EXPECT_TRUE(s["next_sync"].is_string()) << s;
  EXPECT_EQ(s["schedule"], "every 5m");
}

TEST_P(HedgehogSyncTest, LaterSyncAppliesExactlyWhatChangedAndDeletesWhatVanished) {
  FakeKubernetesOptions o;
  o.objects = 240;
  auto& fake = add_fabric("lab", o);
  open();
  ASSERT_EQ(sync("lab").status, jobs::JobStatus::completed);
  const auto stamp_of = [&](const FakeKubernetes::Change& c) {
    return text("SELECT last_changed FROM hedgehog_objects WHERE kind = '" + c.plural +
                "' AND name = '" + c.name + "'");
  };

  auto m = fake.mutate(5, 7, 3);
  ASSERT_EQ(m.added.size(), 5u);
  ASSERT_EQ(m.changed.size(), 7u);
  ASSERT_EQ(m.deleted.size(), 3u);
  const auto untouched_stamp =
      text("SELECT MIN(last_changed) FROM hedgehog_objects WHERE fabric = 'lab'");
  auto outcome = sync("lab");
  ASSERT_EQ(outcome.status, jobs::JobStatus::completed) << outcome.error;
  auto r = result(outcome);
  EXPECT_EQ(r["created"], 5);
  EXPECT_EQ(r["updated"], 7);
  EXPECT_EQ(r["deleted"], 3);
  EXPECT_EQ(r["objects"], 242);
  EXPECT_EQ(r["unchanged"], 242 - 5 - 7);
  EXPECT_EQ(count(kObjects), 242);
  for (const auto& c : m.deleted)
    EXPECT_EQ(count(kObjects + " AND kind = '" + c.plural + "' AND name = '" + c.name + "'"), 0)
        << c.plural << "/" << c.name;
  for (const auto& c : m.changed) {
    const auto served = fake.object(c.plural, c.name).value();
    EXPECT_EQ(json::parse(text("SELECT spec FROM hedgehog_objects WHERE kind = '" + c.plural +
                               "' AND name = '" + c.name + "'")
                              .value()),
              served["spec"])
        << c.plural << "/" << c.name;
    EXPECT_NE(stamp_of(c), untouched_stamp);
  }
  for (const auto& c : m.added) EXPECT_TRUE(stamp_of(c).has_value()) << c.plural << "/" << c.name;
  EXPECT_EQ(text("SELECT MIN(last_changed) FROM hedgehog_objects WHERE fabric = 'lab'"),
            untouched_stamp);

  // The sync's event names what changed.
  const auto events = plugin_events(outcome.id);
  ASSERT_FALSE(events.empty());
  EXPECT_THAT(events.back().message, HasSubstr("5 created, 7 updated, 3 deleted"));
  EXPECT_THAT(events.back().data.value_or(""),
              HasSubstr(m.deleted[0].plural + "/" + m.deleted[0].name));

  // Nothing changed since: a re-sync writes no object.
  auto again = result(sync("lab"));
  EXPECT_EQ(again["created"], 0);
  EXPECT_EQ(again["updated"], 0);
  EXPECT_EQ(again["deleted"], 0);
  EXPECT_EQ(again["unchanged"], 242);
}

TEST_P(HedgehogSyncTest, KindWithoutItsCrdCountsAsZeroAndIsNoted) {
  FakeKubernetesOptions o;
  o.objects = 24;
  auto& fake = add_fabric("lab", o);
  open();
  ASSERT_EQ(sync("lab").status, jobs::JobStatus::completed);
  EXPECT_EQ(count(kObjects + " AND kind = 'externals'"), 2);

  fake.set_installed("externals", false);  // the CRD was uninstalled
  auto outcome = sync("lab");
  ASSERT_EQ(outcome.status, jobs::JobStatus::completed) << outcome.error;
  auto r = result(outcome);
  EXPECT_EQ(r["missing_kinds"], json::array({"externals"}));
  EXPECT_EQ(r["kinds"]["externals"]["objects"], 0);
  EXPECT_EQ(r["kinds"]["externals"]["deleted"], 2);
  EXPECT_EQ(count(kObjects + " AND kind = 'externals'"), 0);
  auto s = status("lab");
  EXPECT_EQ(s["status"], "in_sync");
  EXPECT_EQ(s["missing_kinds"], json::array({"externals"}));
  EXPECT_THAT(s["error"].get<std::string>(), HasSubstr("CRDs not installed"));
  const auto events = plugin_events(outcome.id);
  ASSERT_EQ(events.size(), 2u) << events.size();
  EXPECT_EQ(events[1].level, "warn");
  EXPECT_THAT(events[1].message, HasSubstr("externals"));
}

TEST_P(HedgehogSyncTest, ExpiredContinueTokenRestartsThatKindsListAndLosesNothing) {
  FakeKubernetesOptions o;
  o.objects = 120;
  o.latency = std::chrono::milliseconds(40);
  auto& fake = add_fabric("lab", o);
  open({}, "page_size: 6");
  // Once the first pages were handed out (with their tokens), every token so far expires: the
  // second pages of those kinds answer 410 Gone.
  std::atomic<bool> expired{false};
  std::thread expirer([&] {
    while (fake.requests() < 4) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    fake.expire_continue_tokens();
    expired = true;
  });
  auto outcome = sync("lab");
  expirer.join();
  ASSERT_TRUE(expired);
  ASSERT_EQ(outcome.status, jobs::JobStatus::completed) << outcome.error;
  auto r = result(outcome);
  EXPECT_GE(fake.gone_answers(), 1u);
  EXPECT_EQ(r["list_restarts"].get<size_t>(), fake.gone_answers());
  EXPECT_EQ(r["objects"], 120);
  EXPECT_EQ(count(kObjects), 120);
}

TEST_P(HedgehogSyncTest, TokensThatKeepExpiringErrorTheRunWithWhatToDo) {
  FakeKubernetesOptions o;
  o.objects = 24;
  o.continue_ttl = std::chrono::milliseconds(0);
  add_fabric("lab", o);
  open({}, "page_size: 1");
  auto outcome = sync("lab");
  EXPECT_EQ(outcome.status, jobs::JobStatus::errored);
  EXPECT_THAT(outcome.error, HasSubstr("expired 4 times (410 Gone)"));
  EXPECT_THAT(outcome.error, HasSubstr("raise page_size"));
  EXPECT_EQ(count(kObjects), 0);
}

TEST_P(HedgehogSyncTest, TestConnectionReportsWhatWorks) {
  FakeKubernetesOptions o;
  o.missing_kinds = {"externalpeerings"};
  add_fabric("lab", o);
  open();
  auto ok = run("hedgehog.test_connection", {{"fabric", "lab"}});
  ASSERT_EQ(ok.status, jobs::JobStatus::completed) << ok.error;
  auto r = result(ok);
  EXPECT_EQ(r["ok"], true);
  EXPECT_EQ(r["version"]["gitVersion"], "v1.30.4+k3s1");
  EXPECT_EQ(r["installed_kinds"].size(), 11u);
  EXPECT_EQ(r["missing_kinds"], json::array({"externalpeerings"}));

  fake("lab").set_token("rotated");
  auto refused = run("hedgehog.test_connection", {{"fabric", "lab"}});
  EXPECT_EQ(refused.status, jobs::JobStatus::failed);
  EXPECT_THAT(refused.error, HasSubstr("refused the token (401 Unauthorized)"));
  EXPECT_EQ(result(refused)["ok"], false);
}

TEST_P(HedgehogSyncTest, TwoTriggersOfOneFabricAtOnceRunOnce) {
  add_fabric("lab");
  add_fabric("lab2");
  open();
  host().enqueue("hedgehog.fabric_sync", {{"fabric", "lab"}});
  EXPECT_THROW(host().enqueue("hedgehog.fabric_sync", {{"fabric", "lab"}}),
               jobs::SingletonConflict);
  // Another fabric is another slot.
  EXPECT_NO_THROW(host().enqueue("hedgehog.fabric_sync", {{"fabric", "lab2"}}));
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(HedgehogSyncTest);

}  // namespace
}  // namespace jobhost::testing
