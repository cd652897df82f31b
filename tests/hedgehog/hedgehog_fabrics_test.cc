// The fabrics of the YAML and their schedules: one schedule per fabric with its own rhythm, a
// never-synced fabric syncs at once, a restart or reload never adds a chain, a fabric removed
// from the YAML loses its schedule but keeps its data until hedgehog.forget_fabric, and a bad
// `fabrics:` section is refused with the key to fix.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "config/loader.h"
#include "daemon/daemon_harness.h"
#include "hedgehog_fixture.h"
#include "schedule/firing.h"
#include "schedule/schedule_store.h"

namespace jobhost::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using json = nlohmann::json;

constexpr const char* kSync = "hedgehog.fabric_sync";

class HedgehogFabricsTest : public HedgehogPluginTest {
 protected:
  std::optional<schedule::ScheduleRecord> schedule_of(const std::string& fabric) {
    return schedule::ScheduleStore(host().session()).find(kSync, fabric);
  }
  std::vector<std::string> scheduled_fabrics() {
    std::vector<std::string> keys;
    for (const auto& r : schedule::ScheduleStore(host().session()).list())
      if (r.job_type == kSync) keys.push_back(r.key);
    std::sort(keys.begin(), keys.end());
    return keys;
  }
};

TEST_P(HedgehogFabricsTest, NeverSyncedFabricRunsAtOnceAndARestartKeepsItsRhythm) {
  add_fabric("lab");
  const Micros before = now_micros();
  open({{"lab", "sync_interval: 60"}});
  auto s = schedule_of("lab");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->spec, "every 1m");
  EXPECT_EQ(s->source, "plugin");
  ASSERT_TRUE(s->next_run_at.has_value());
  EXPECT_LE(*s->next_run_at, now_micros()) << "a fabric never synced is due at once";
  EXPECT_GE(*s->next_run_at, before);

  // The schedule fires (as the daemon would); then the host restarts twice.
  const Micros fired_at = now_micros();
  auto fired = schedule::fire_schedule(host().session(), host().plugins(), *s, fired_at, true);
  ASSERT_EQ(fired.kind, schedule::FireResult::Kind::enqueued) << fired.message;
  open({{"lab", "sync_interval: 60"}});
  open({{"lab", "sync_interval: 60"}});
  auto after = schedule_of("lab");
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->id, s->id) << "the same schedule, not a new chain";
  EXPECT_EQ(after->next_run_at.value_or(0), fired.slot + 60 * kSecond)
      << "a synced fabric runs next at its last slot + interval";
  EXPECT_THAT(scheduled_fabrics(), ElementsAre("lab"));
}

TEST_P(HedgehogFabricsTest, ReloadAddsChangesAndRemovesSchedulesButKeepsTheData) {
  FakeKubernetesOptions o;
  o.objects = 24;
  add_fabric("a", o);
  add_fabric("b", o);
  add_fabric("c", o);
  open({{"a", "sync_interval: 60"}, {"b", "sync_interval: 120"}, {"c", "absent"}});
  EXPECT_THAT(scheduled_fabrics(), ElementsAre("a", "b"));
  ASSERT_EQ(sync("b").status, jobs::JobStatus::completed);
  const auto a_id = schedule_of("a")->id;

  // b leaves the YAML, c joins, a gets another interval.
  auto report = host().reconfigure_plugins(
      config({{"a", "sync_interval: 30"}, {"b", "absent"}, {"c", "sync_interval: 90"}}));
  EXPECT_THAT(report, ElementsAre("plugin hedgehog-fabric-sync: new settings applied"));
  EXPECT_THAT(scheduled_fabrics(), ElementsAre("a", "c"));
  EXPECT_EQ(schedule_of("a")->id, a_id);
  EXPECT_EQ(schedule_of("a")->spec, "every 30s");
  EXPECT_EQ(count("SELECT COUNT(*) FROM hedgehog_objects WHERE fabric = 'b'"), 24)
      << "removing a fabric from the YAML keeps its data";
  auto b = status("b");
  EXPECT_EQ(b["configured"], false);
  EXPECT_THAT(b["note"].get<std::string>(), HasSubstr("hedgehog.forget_fabric"));
  EXPECT_TRUE(b["next_sync"].is_null());

  auto orphan = sync("b");
  EXPECT_EQ(orphan.status, jobs::JobStatus::failed);
  EXPECT_THAT(orphan.error, HasSubstr("fabric 'b' is not configured"));
  auto refused = run("hedgehog.forget_fabric", {{"fabric", "a"}});
  EXPECT_EQ(refused.status, jobs::JobStatus::failed);
  EXPECT_THAT(refused.error, HasSubstr("fabric 'a' is still configured"));
  auto forgotten = run("hedgehog.forget_fabric", {{"fabric", "b"}});
  ASSERT_EQ(forgotten.status, jobs::JobStatus::completed) << forgotten.error;
  EXPECT_EQ(result(forgotten)["objects_deleted"], 24);
  EXPECT_EQ(count("SELECT COUNT(*) FROM hedgehog_objects WHERE fabric = 'b'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM hedgehog_fabrics WHERE name = 'b'"), 0);

  // A fabric disabled, or with interval 0, keeps no schedule; a manual sync still works.
  host().reconfigure_plugins(
      config({{"a", "sync_enabled: false"}, {"b", "absent"}, {"c", "sync_interval: 0"}}));
  EXPECT_TRUE(scheduled_fabrics().empty());
  EXPECT_EQ(sync("a").status, jobs::JobStatus::completed);
}

TEST_P(HedgehogFabricsTest, FabricRemovedWhileTheHostWasDownLosesItsScheduleAtStart) {
  add_fabric("a");
  add_fabric("b");
  open();
  EXPECT_THAT(scheduled_fabrics(), ElementsAre("a", "b"));
  open({{"b", "absent"}});
  EXPECT_THAT(scheduled_fabrics(), ElementsAre("a"));
}

TEST_P(HedgehogFabricsTest, BadFabricsSectionIsRefusedNamingTheKey) {
  add_fabric("a");
  // Two fabrics of one name: the plugin refuses to start, naming the entry.
  HostSetup setup;
  setup.store = target();
  setup.plugin_files = {built_plugin("hedgehog-fabric-sync")};
  setup.plugins_yaml =
      "  hedgehog-fabric-sync:\n    fabrics:\n"
      "      - {name: x, url: \"http://127.0.0.1:1\"}\n"
      "      - {name: x, url: \"http://127.0.0.1:2\"}\n";
  auto refused = open_test_host(setup);
  ASSERT_EQ(refused->refusals().size(), 1u);
  EXPECT_THAT(refused->refusals()[0].reason,
              HasSubstr("plugins.hedgehog-fabric-sync.fabrics[1].name: fabric 'x' is "
                        "configured twice"));
  refused.reset();

  // Checked by the host's validator: a missing url, an interval below 0, with file:line.
  setup.plugins_yaml =
      "  hedgehog-fabric-sync:\n    fabrics:\n      - {name: y, sync_interval: -5}\n";
  refused = open_test_host(setup);
  ASSERT_EQ(refused->refusals().size(), 1u);
  EXPECT_THAT(refused->refusals()[0].reason, HasSubstr("fabrics[0].url"));
  EXPECT_THAT(refused->refusals()[0].reason, HasSubstr("fabrics[0].sync_interval"));
  refused.reset();

  // On reload, the running plugin keeps its fabrics.
  open();
  setup.plugins_yaml =
      "  hedgehog-fabric-sync:\n    fabrics:\n      - {name: a, url: \"ftp://nowhere\"}\n";
  auto report =
      host().reconfigure_plugins(config::load_config_string(host_yaml(setup), "jobhost.yaml"));
  ASSERT_EQ(report.size(), 1u);
  EXPECT_THAT(report[0], HasSubstr("refused its new settings"));
  EXPECT_THAT(report[0], HasSubstr("fabrics[0].url: 'ftp://nowhere' is not an http(s) URL"));
  EXPECT_THAT(scheduled_fabrics(), ElementsAre("a"));
}

// The real daemon: two fabrics of 1 s and 2 s, each synced on its own rhythm.
TEST_P(HedgehogFabricsTest, TwoFabricsWithDifferentIntervalsEachKeepTheirOwnRhythm) {
  FakeKubernetesOptions o;
  o.objects = 24;
  add_fabric("fast", o);
  add_fabric("slow", o);
  HostSetup setup;
  setup.store = target();
  setup.plugin_files = {built_plugin("hedgehog-fabric-sync")};
  setup.plugins_yaml = section({{"fast", "sync_interval: 1"}, {"slow", "sync_interval: 2"}});
  Cli cli(daemon_yaml(setup, ""));
  {
    Daemon daemon(cli);
    ASSERT_TRUE(daemon.wait_ready()) << daemon.log();
    std::this_thread::sleep_for(std::chrono::milliseconds(6500));
    auto stopped = daemon.stop(SIGTERM, std::chrono::seconds(15));
    ASSERT_TRUE(stopped.has_value()) << daemon.log();
  }
  StoreProbe probe(target());
  auto slots = [&](const std::string& fabric) {
    std::vector<Micros> out;
    for (const auto& j : probe.jobs(kSync))
      if (j.key == fabric && j.schedule_id) {
        EXPECT_EQ(j.status, jobs::JobStatus::completed) << j.error.value_or("");
        out.push_back(j.scheduled_at);
      }
    std::sort(out.begin(), out.end());
    return out;
  };
  const auto fast = slots("fast"), slow = slots("slow");
  ASSERT_GE(fast.size(), 5u);
  ASSERT_GE(slow.size(), 3u);
  for (size_t i = 1; i < fast.size(); ++i) EXPECT_EQ(fast[i] - fast[i - 1], kSecond);
  for (size_t i = 1; i < slow.size(); ++i) EXPECT_EQ(slow[i] - slow[i - 1], 2 * kSecond);
  EXPECT_EQ(probe.count("SELECT COUNT(*) FROM hedgehog_objects"), 48);
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(HedgehogFabricsTest);

}  // namespace
}  // namespace jobhost::testing
