// The three modes of meraki.sync against a fake dashboard, on both stores: auto applies the
// changes (deletions only in the synced organizations), review stages a change set that
// changes nothing until approved, dry_run reports the same diff and writes nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "meraki_fixture.h"

namespace jobhost::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;
using jobs::JobStatus;

class MerakiModesTest : public MerakiPluginTest {
 protected:
  // Two organizations of 4 networks and 30 devices each.
  void SetUp() override {
    MerakiPluginTest::SetUp();
    FakeMerakiOptions o;
    o.organizations = 2;
    o.networks = 4;
    o.devices = 30;
    start_fake(o);
  }
};

TEST_P(MerakiModesTest, AutoAppliesEveryObjectWithItsFieldsThenOnlyWhatChanged) {
  open();
  auto first = sync("auto");
  ASSERT_EQ(first.status, JobStatus::completed) << first.error;
  const json r = result(first);
  EXPECT_EQ(r["mode"], "auto");
  EXPECT_EQ(r["counts"]["organizations"]["create"], 2);
  EXPECT_EQ(r["counts"]["sites"]["create"], 8);
  EXPECT_EQ(r["counts"]["devices"]["create"], 60);
  EXPECT_EQ(r["changes"], 70);
  EXPECT_EQ(devices(), 60);
  EXPECT_EQ(sites(), 8);
  // One call per list (everything fits in one page): organizations, then 3 per organization.
  EXPECT_EQ(r["api_calls"], 7);
  EXPECT_EQ(r["calls_429"], 0);

  // A device as the dashboard has it, with its status from the statuses endpoint.
  const auto org = fake().organization_ids().front();
  const json device = fake().devices(org).front();
  const std::string serial = device["serial"];
  const std::string where = " FROM meraki_devices WHERE serial = '" + serial + "'";
  EXPECT_EQ(text("SELECT model" + where), device["model"].get<std::string>());
  EXPECT_EQ(text("SELECT mac" + where), device["mac"].get<std::string>());
  EXPECT_EQ(text("SELECT lan_ip" + where), device["lanIp"].get<std::string>());
  EXPECT_EQ(text("SELECT product_type" + where), device["productType"].get<std::string>());
  EXPECT_EQ(text("SELECT network_id" + where), device["networkId"].get<std::string>());
  EXPECT_EQ(text("SELECT organization_id" + where), org);
  EXPECT_EQ(json::parse(*text("SELECT tags" + where)), device["tags"]);
  EXPECT_EQ(text("SELECT status" + where), (*fake().status(serial))["status"].get<std::string>());
  const json network = fake().networks(org).front();
  EXPECT_EQ(
      text("SELECT name FROM meraki_sites WHERE id = '" + network["id"].get<std::string>() + "'"),
      network["name"].get<std::string>());

  // Nothing changed: nothing to do.
  auto again = sync("auto");
  ASSERT_EQ(again.status, JobStatus::completed) << again.error;
  EXPECT_EQ(result(again)["changes"], 0);
  EXPECT_EQ(result(again)["counts"]["devices"]["unchanged"], 60);

  // Changes between syncs: added, changed and deleted devices, each applied.
  const auto m = fake().mutate(3, 4, 2, org);
  auto third = sync("auto");
  ASSERT_EQ(third.status, JobStatus::completed) << third.error;
  const json c = result(third)["counts"]["devices"];
  EXPECT_EQ(c["create"], 3);
  EXPECT_EQ(c["update"], 4);
  EXPECT_EQ(c["delete"], 2);
  EXPECT_EQ(devices(), 61);
  for (const auto& gone : m.deleted)
    EXPECT_EQ(count("SELECT COUNT(*) FROM meraki_devices WHERE serial = '" + gone + "'"), 0);
  for (const auto& changed : m.changed) {
    const json now = *fake().device(changed);
    EXPECT_EQ(text("SELECT name FROM meraki_devices WHERE serial = '" + changed + "'"),
              now["name"].get<std::string>());
  }
}

TEST_P(MerakiModesTest, AutoDeletesOnlyInTheOrganizationsItSyncs) {
  open();
  ASSERT_EQ(sync("auto").status, JobStatus::completed);
  const auto orgs = fake().organization_ids();
  // Both organizations lose a device; only the first is synced from now on.
  const std::string lost_a = fake().devices(orgs[0]).front()["serial"];
  const std::string lost_b = fake().devices(orgs[1]).front()["serial"];
  fake().remove_device(lost_a);
  fake().remove_device(lost_b);
  open({"organizations: [\"" + orgs[0] + "\"]"});
  auto out = sync("auto");
  ASSERT_EQ(out.status, JobStatus::completed) << out.error;
  EXPECT_EQ(result(out)["organizations"], json::array({orgs[0]}));
  EXPECT_EQ(result(out)["counts"]["devices"]["delete"], 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM meraki_devices WHERE serial = '" + lost_a + "'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM meraki_devices WHERE serial = '" + lost_b + "'"), 1)
      << "an organization not synced keeps its inventory";
  EXPECT_EQ(count("SELECT COUNT(*) FROM meraki_organizations"), 2);
}

TEST_P(MerakiModesTest, ReviewStagesAChangeSetThatApprovalApplies) {
  open();
  auto staged = sync("review");
  ASSERT_EQ(staged.status, JobStatus::completed) << staged.error;
  const json r = result(staged);
  ASSERT_TRUE(r["change_set"].is_number()) << r;
  const std::string id = std::to_string(r["change_set"].get<int64_t>());
  EXPECT_EQ(devices(), 0) << "nothing changes before approval";
  EXPECT_EQ(sites(), 0);

  // The queue shows it, with a field-level diff per change.
  auto listed = run("meraki.changes");
  ASSERT_EQ(listed.status, JobStatus::completed) << listed.error;
  ASSERT_EQ(result(listed)["change_sets"].size(), 1u);
  EXPECT_EQ(result(listed)["change_sets"][0]["status"], "pending");
  EXPECT_EQ(result(listed)["change_sets"][0]["changes"], 70);
  auto shown = run("meraki.changes", {{"change_set", id}, {"limit", "500"}});
  ASSERT_EQ(shown.status, JobStatus::completed) << shown.error;
  const json list = result(shown)["list"];
  ASSERT_EQ(list.size(), 70u);
  const json& a_device = list.back();
  EXPECT_EQ(a_device["kind"], "device");
  EXPECT_EQ(a_device["action"], "create");
  EXPECT_TRUE(a_device["diff"]["model"]["new"].is_string()) << a_device;

  auto approved = run("meraki.approve", {{"change_set", id}});
  ASSERT_EQ(approved.status, JobStatus::completed) << approved.error;
  EXPECT_EQ(result(approved)["applied"], 70);
  EXPECT_EQ(devices(), 60);
  EXPECT_EQ(sites(), 8);

  // Decided once: a second approval is refused, saying why.
  auto twice = run("meraki.approve", {{"change_set", id}});
  EXPECT_EQ(twice.status, JobStatus::failed);
  EXPECT_THAT(twice.error, HasSubstr("change set " + id + " is approved"));

  // An update in review mode: the diff names the field, old and new.
  const auto org = fake().organization_ids().front();
  json device = fake().devices(org).front();
  device["name"] = "renamed-by-test";
  fake().put_device(device);
  auto update = sync("review");
  const std::string id2 = std::to_string(result(update)["change_set"].get<int64_t>());
  auto diff = result(run("meraki.changes", {{"change_set", id2}}))["list"];
  ASSERT_EQ(diff.size(), 1u) << diff;
  EXPECT_EQ(diff[0]["action"], "update");
  EXPECT_EQ(diff[0]["diff"]["name"]["new"], "renamed-by-test");
  EXPECT_TRUE(diff[0]["diff"]["name"]["old"].is_string());
  EXPECT_EQ(diff[0]["diff"].size(), 1u) << "only the field that changed";
}

TEST_P(MerakiModesTest, NewerSetSupersedesStaleSetIsRefusedRejectKeepsTheInventory) {
  open();
  const auto first = result(sync("review"))["change_set"].get<int64_t>();
  const auto second = result(sync("review"))["change_set"].get<int64_t>();
  EXPECT_EQ(result(run("meraki.changes", {{"change_set", std::to_string(first)}}))["status"],
            "superseded");
  auto old = run("meraki.approve", {{"change_set", std::to_string(first)}});
  EXPECT_EQ(old.status, JobStatus::failed);
  EXPECT_THAT(old.error,
              HasSubstr("is superseded (superseded by change set " + std::to_string(second) + ")"));

  // An auto sync changes the inventory under the pending set: approving it is refused.
  ASSERT_EQ(sync("auto").status, JobStatus::completed);
  auto stale = run("meraki.approve", {{"change_set", std::to_string(second)}});
  EXPECT_EQ(stale.status, JobStatus::failed);
  EXPECT_THAT(stale.error, HasSubstr("is stale: 70 objects changed in the inventory"));
  EXPECT_THAT(stale.error, HasSubstr("run meraki.sync again"));

  // Reject: the set is closed, the inventory untouched.
  fake().mutate(0, 0, 5);
  const auto third = result(sync("review"))["change_set"].get<int64_t>();
  auto rejected =
      run("meraki.reject", {{"change_set", std::to_string(third)}, {"reason", "audit"}});
  ASSERT_EQ(rejected.status, JobStatus::completed) << rejected.error;
  EXPECT_EQ(devices(), 60);
  const json set = result(run("meraki.changes", {{"change_set", std::to_string(third)}}));
  EXPECT_EQ(set["status"], "rejected");
  EXPECT_EQ(set["note"], "audit");
  auto after = run("meraki.approve", {{"change_set", std::to_string(third)}});
  EXPECT_EQ(after.status, JobStatus::failed);
  auto missing = run("meraki.approve", {{"change_set", "999"}});
  EXPECT_THAT(missing.error, HasSubstr("change set 999 does not exist"));
}

TEST_P(MerakiModesTest, DryRunReportsTheSameDiffAndChangesNothing) {
  open();
  ASSERT_EQ(sync("auto").status, JobStatus::completed);
  fake().mutate(2, 3, 1);
  auto dry = sync("dry_run");
  ASSERT_EQ(dry.status, JobStatus::completed) << dry.error;
  const json r = result(dry);
  EXPECT_EQ(r["mode"], "dry_run");
  EXPECT_EQ(r["counts"]["devices"]["create"], 2);
  EXPECT_EQ(r["counts"]["devices"]["delete"], 1);
  EXPECT_GE(r["counts"]["devices"]["update"].get<int64_t>(), 3);
  EXPECT_EQ(r["sample"].size(), r["changes"].get<size_t>());
  EXPECT_EQ(devices(), 60) << "a dry run writes nothing";
  EXPECT_EQ(change_sets(), 0);
  // The same diff, applied: what the dry run said.
  auto applied = sync("auto");
  EXPECT_EQ(result(applied)["counts"], r["counts"]);
}

TEST_P(MerakiModesTest, ScheduledModeIsTheDefaultAndAnUnknownModeIsRefused) {
  open({"scheduled_sync_mode: dry_run"});
  auto out = run("meraki.sync");
  ASSERT_EQ(out.status, JobStatus::completed) << out.error;
  EXPECT_EQ(result(out)["mode"], "dry_run");
  EXPECT_EQ(devices(), 0);
  auto bad = sync("yolo");
  EXPECT_EQ(bad.status, JobStatus::failed);
  EXPECT_EQ(bad.error, "parameter mode: mode 'yolo' is not one of auto, review, dry_run");
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(MerakiModesTest);

}  // namespace
}  // namespace jobhost::testing
