// An operator's `schedules:` entry wins over the plugin's own schedule calls, on both stores.
// The selfsched test plugin sets the own schedules of selfsched.sync and selfsched.other
// unconditionally (in init and reconfigure, from its `every` setting) and at run time on demand,
// as zabbix-host-sync does; the YAML configures selfsched.sync only.
//
//   - from the first process on a fresh store, before any reconcile, the configured schedule is
//     the YAML's (so the reconcile has nothing to undo), the unconfigured one the plugin's;
//   - neither init, a reconfigure, a run's schedule_set nor its schedule_remove changes it, in
//     the same process or after a restart;
//   - once the YAML entry is gone, the plugin's next call makes it the plugin's again.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "config/loader.h"
#include "daemon/schedules_sync.h"
#include "schedule/schedule_store.h"
#include "support/host_fixture.h"

namespace jobhost {
namespace {

const std::string kSyncEvery15s = "  selfsched.sync: { every: 15s }\n";

class PluginPrecedenceTest : public testing::StoreTest {
 protected:
  // The host's configuration: `schedules` is the body of its `schedules:` section (none when
  // empty), `every` the plugin's setting.
  config::HostConfig config(const std::string& schedules, const std::string& every) {
    testing::HostSetup s;
    s.store = target();
    s.plugin_files = {testing::test_plugin("selfsched")};
    s.plugins_yaml = "  selfsched:\n    every: " + every + "\n";
    return config::load_config_string(
        testing::host_yaml(s) + (schedules.empty() ? "" : "schedules:\n" + schedules), "test.yaml");
  }
  // (Re)starts the host, as every CLI command and daemon start does: the plugin's init runs.
  void open(const std::string& schedules, const std::string& every) {
    host_.reset();
    host_ = Host::open(config(schedules, every));
    ASSERT_TRUE(host_->refusals().empty()) << host_->refusals().front().reason;
  }
  // What the daemon does after init, at start and at each reload.
  schedule::ReconcileReport reconcile(const config::HostConfig& c) {
    return daemon::sync_schedules(*host_, c);
  }
  std::optional<schedule::ScheduleRecord> find(const std::string& type) {
    return schedule::ScheduleStore(host_->session()).find(type, "");
  }
  schedule::ScheduleRecord record(const std::string& type) {
    auto r = find(type);
    EXPECT_TRUE(r.has_value()) << "no schedule for " << type;
    return r.value_or(schedule::ScheduleRecord{});
  }
  // selfsched.set: the plugin's schedule_set (or schedule_remove) in a run.
  jobs::RunOutcome set_in_run(const std::string& type, const std::string& when,
                              bool remove = false) {
    return host_->run_now("selfsched.set",
                          {{"type", type}, {"when", when}, {"remove", remove ? "true" : "false"}});
  }

  std::unique_ptr<Host> host_;
};

TEST_P(PluginPrecedenceTest, YamlEntryKeepsItsScheduleAgainstInitReconfigureAndRuns) {
  open(kSyncEvery15s, "every 1h");
  // Init ran, no reconcile yet: already the YAML's.
  const auto configured = record("selfsched.sync");
  EXPECT_EQ(configured.spec, "every 15s");
  EXPECT_EQ(configured.source, "config");
  EXPECT_EQ(record("selfsched.other").spec, "every 1h");
  EXPECT_EQ(record("selfsched.other").source, "plugin");
  const auto first = reconcile(host_->config());
  EXPECT_EQ(first.created + first.updated + first.removed, 0) << "nothing for it to undo";

  // At run time, in the same process.
  auto set = set_in_run("selfsched.sync", "every 2h");
  ASSERT_EQ(set.status, jobs::JobStatus::completed) << set.error;
  EXPECT_EQ(record("selfsched.sync").spec, "every 15s");
  EXPECT_EQ(record("selfsched.sync").source, "config");
  EXPECT_EQ(record("selfsched.sync").id, configured.id) << "the same row: no second chain";
  set = set_in_run("selfsched.other", "every 2h");
  ASSERT_EQ(set.status, jobs::JobStatus::completed) << set.error;
  EXPECT_EQ(record("selfsched.other").spec, "every 2h") << "not configured: the plugin's";

  // A reload with new plugin settings: its reconfigure calls again.
  const auto reloaded = config(kSyncEvery15s, "every 3h");
  host_->reconfigure_plugins(reloaded);
  EXPECT_EQ(record("selfsched.sync").spec, "every 15s");
  EXPECT_EQ(record("selfsched.other").spec, "every 3h");
  const auto after_reload = reconcile(reloaded);
  EXPECT_EQ(after_reload.created + after_reload.updated + after_reload.removed, 0);

  // A restart on the same store: init calls again before the reconcile.
  open(kSyncEvery15s, "every 5h");
  EXPECT_EQ(record("selfsched.sync").spec, "every 15s");
  EXPECT_EQ(record("selfsched.sync").id, configured.id);
  EXPECT_EQ(record("selfsched.other").spec, "every 5h");
  set = set_in_run("selfsched.sync", "every 2h");
  ASSERT_EQ(set.status, jobs::JobStatus::completed) << set.error;
  EXPECT_EQ(record("selfsched.sync").spec, "every 15s");
}

TEST_P(PluginPrecedenceTest, YamlEntryOverridesAStoredPluginScheduleAtInitAndKeepsItsFlag) {
  // The plugin's schedule was stored first (the YAML had no entry yet)...
  open("", "every 1h");
  EXPECT_EQ(record("selfsched.sync").source, "plugin");
  const auto id = record("selfsched.sync").id;
  // ...then the operator configures it, switched off: the next start's init already stores it.
  open("  selfsched.sync: { every: 15s, enabled: false }\n", "every 1h");
  EXPECT_EQ(record("selfsched.sync").spec, "every 15s");
  EXPECT_EQ(record("selfsched.sync").source, "config");
  EXPECT_FALSE(record("selfsched.sync").enabled);
  EXPECT_EQ(record("selfsched.sync").id, id) << "replaced in place";
  auto set = set_in_run("selfsched.sync", "every 2h");
  ASSERT_EQ(set.status, jobs::JobStatus::completed) << set.error;
  EXPECT_FALSE(record("selfsched.sync").enabled) << "the plugin does not switch it back on";
  EXPECT_EQ(record("selfsched.sync").spec, "every 15s");
}

TEST_P(PluginPrecedenceTest, RemoveOfAConfiguredScheduleLeavesIt) {
  // Init removes both own schedules ("none"): the configured one is created from the YAML all
  // the same, the other is not there.
  open(kSyncEvery15s, "none");
  EXPECT_EQ(record("selfsched.sync").spec, "every 15s");
  EXPECT_FALSE(find("selfsched.other").has_value());

  auto removed = set_in_run("selfsched.sync", "", /*remove=*/true);
  ASSERT_EQ(removed.status, jobs::JobStatus::completed) << removed.error;
  EXPECT_EQ(record("selfsched.sync").spec, "every 15s") << "the YAML reconcile owns it";
  EXPECT_EQ(record("selfsched.sync").source, "config");

  // Not configured: a remove removes.
  ASSERT_EQ(set_in_run("selfsched.other", "every 2h").status, jobs::JobStatus::completed);
  removed = set_in_run("selfsched.other", "", /*remove=*/true);
  ASSERT_EQ(removed.status, jobs::JobStatus::completed) << removed.error;
  EXPECT_FALSE(find("selfsched.other").has_value());
  const auto report = reconcile(host_->config());
  EXPECT_EQ(report.created + report.updated + report.removed, 0);
}

TEST_P(PluginPrecedenceTest, RemovingTheYamlEntryHandsTheScheduleBackToThePlugin) {
  open(kSyncEvery15s, "every 1h");
  reconcile(host_->config());
  ASSERT_EQ(record("selfsched.sync").source, "config");

  // A restart without the entry: init's call is the plugin's again, and the reconcile leaves a
  // plugin's schedule alone.
  open("", "every 1h");
  EXPECT_EQ(record("selfsched.sync").spec, "every 1h");
  EXPECT_EQ(record("selfsched.sync").source, "plugin");
  reconcile(host_->config());
  EXPECT_EQ(record("selfsched.sync").source, "plugin");

  // A daemon's reload that drops the entry (settings unchanged, so no reconfigure call): the
  // reconcile removes the YAML's schedule, and the plugin's next call sets its own.
  open(kSyncEvery15s, "every 1h");
  reconcile(host_->config());
  ASSERT_EQ(record("selfsched.sync").source, "config");
  const auto dropped = config("", "every 1h");
  host_->reconfigure_plugins(dropped);
  EXPECT_EQ(reconcile(dropped).removed, 1);
  auto set = set_in_run("selfsched.sync", "every 2h");
  ASSERT_EQ(set.status, jobs::JobStatus::completed) << set.error;
  EXPECT_EQ(record("selfsched.sync").spec, "every 2h");
  EXPECT_EQ(record("selfsched.sync").source, "plugin");
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(PluginPrecedenceTest);

}  // namespace
}  // namespace jobhost
