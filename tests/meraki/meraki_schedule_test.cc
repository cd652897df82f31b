// The seed's scheduling promises, now the host's: the interval from the settings (minimum 5
// minutes, refused below that in the plugin's YAML, on reload and in the host's `schedules:`
// section), the scheduled mode, `tick` as the single check that skips when not due, `trigger`
// as --force, and the last and next scheduled sync shown by meraki.status.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/cli_harness.h"
#include "config/problem.h"
#include "meraki_fixture.h"
#include "schedule/config_schedules.h"
#include "schedule/schedule_store.h"

namespace jobhost::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;
using jobs::JobStatus;

class MerakiScheduleTest : public MerakiPluginTest {
 protected:
  void SetUp() override {
    MerakiPluginTest::SetUp();
    FakeMerakiOptions o;
    o.networks = 2;
    o.devices = 6;
    start_fake(o);
  }
  std::optional<schedule::ScheduleRecord> own_schedule() {
    return schedule::ScheduleStore(host().session()).find("meraki.sync", "");
  }
};

TEST_P(MerakiScheduleTest, IntervalBelowFiveMinutesIsRefusedWhereverItIsSet) {
  // In the plugin's YAML: the plugin is refused, naming the key and the minimum.
  auto refused = open_maybe_refused({"enable_scheduled_sync: true", "sync_interval_minutes: 4"});
  ASSERT_EQ(refused->refusals().size(), 1u);
  EXPECT_THAT(refused->refusals()[0].reason,
              HasSubstr("plugins.meraki-sync.sync_interval_minutes: must be >= 5"));
  refused.reset();

  // On reload: refused, the running settings and schedule stay.
  open({"enable_scheduled_sync: true", "sync_interval_minutes: 10"});
  auto report = host().reconfigure_plugins(
      config({"enable_scheduled_sync: true", "sync_interval_minutes: 1"}));
  ASSERT_EQ(report.size(), 1u);
  EXPECT_THAT(report[0], HasSubstr("plugin meraki-sync keeps its previous settings"));
  EXPECT_THAT(report[0], HasSubstr("plugins.meraki-sync.sync_interval_minutes: must be >= 5"));
  ASSERT_TRUE(own_schedule().has_value());
  EXPECT_EQ(own_schedule()->spec, "every 10m");

  // In the host's `schedules:` section: the job type's minimum interval holds there too.
  auto host_yaml = config({}, "  meraki.sync: { every: 2m }\n");
  auto desired = schedule::desired_schedules(host_yaml, host().plugins());
  ASSERT_EQ(desired.problems.size(), 1u);
  EXPECT_THAT(config::format_problems(desired.problems),
              HasSubstr("schedules.meraki.sync.every: 'every 2m' runs meraki.sync more often "
                        "than its minimum interval of 5m: give every 5m or more"));
  desired = schedule::desired_schedules(config({}, "  meraki.sync: { cron: \"*/3 * * * *\" }\n"),
                                        host().plugins());
  ASSERT_EQ(desired.problems.size(), 1u);
  EXPECT_THAT(desired.problems[0].message, HasSubstr("as often as every 3m"));

  // And exactly five minutes is fine.
  open({"enable_scheduled_sync: true", "sync_interval_minutes: 5"});
  EXPECT_EQ(own_schedule()->spec, "every 5m");
}

TEST_P(MerakiScheduleTest, SettingsMakeTheScheduleAndReloadChangesOrRemovesIt) {
  open();
  EXPECT_FALSE(own_schedule().has_value()) << "scheduled sync is off by default";
  open({"enable_scheduled_sync: true", "sync_interval_minutes: 30"});
  const auto created = own_schedule();
  ASSERT_TRUE(created.has_value());
  EXPECT_EQ(created->spec, "every 30m");
  EXPECT_EQ(created->source, "plugin");
  open({"enable_scheduled_sync: true", "sync_interval_minutes: 30"});
  EXPECT_EQ(own_schedule()->id, created->id) << "a restart keeps the one schedule";

  auto report = host().reconfigure_plugins(
      config({"enable_scheduled_sync: true", "sync_interval_minutes: 45"}));
  ASSERT_EQ(report.size(), 1u) << "one line for the changed plugin";
  EXPECT_EQ(own_schedule()->spec, "every 45m");
  EXPECT_EQ(own_schedule()->id, created->id) << "replaced in place, never a second chain";
  host().reconfigure_plugins(config({"enable_scheduled_sync: false"}));
  EXPECT_FALSE(own_schedule().has_value());
}

// The real binary, as cron or a systemd timer would run it.
TEST_P(MerakiScheduleTest, TickRunsWhenDueSkipsWhenNotTriggerForcesStatusShowsLastAndNext) {
  HostSetup setup;
  setup.store = target();
  setup.plugin_files = {built_plugin("meraki-sync")};
  setup.plugins_yaml = section(
      {"enable_scheduled_sync: true", "sync_interval_minutes: 15", "scheduled_sync_mode: auto"});
  Cli cli(setup);
  auto tick = cli.run({"tick"});
  ASSERT_EQ(tick.exit_code, 0) << describe({"tick"}, tick);
  const size_t after_first = fake().requests();
  EXPECT_EQ(after_first, 4u) << "the never-run schedule was due: one sync";

  auto idle = cli.run({"tick"});
  ASSERT_EQ(idle.exit_code, 0) << describe({"tick"}, idle);
  EXPECT_EQ(fake().requests(), after_first) << "not due: nothing ran";

  auto forced = cli.json({"trigger", "meraki.sync", "--wait", "--json"});
  EXPECT_EQ(forced["status"], "completed") << forced;
  EXPECT_EQ(fake().requests(), 2 * after_first) << "trigger runs regardless of the rhythm";

  auto st = cli.json({"run-now", "meraki.status", "--json"});
  const json s = st["result"];
  EXPECT_EQ(s["enable_scheduled_sync"], true) << st;
  EXPECT_EQ(s["sync_interval_minutes"], 15);
  EXPECT_EQ(s["scheduled_sync_mode"], "auto");
  EXPECT_EQ(s["schedule"]["when"], "every 15m");
  ASSERT_TRUE(s["last_scheduled_sync"].is_string()) << s;
  ASSERT_TRUE(s["next_scheduled_sync"].is_string()) << s;
  EXPECT_GT(s["next_scheduled_sync"].get<std::string>(),
            s["last_scheduled_sync"].get<std::string>());
  EXPECT_EQ(s["last_sync"]["status"], "completed");
  ASSERT_EQ(s["organizations"].size(), 1u);
  EXPECT_EQ(s["organizations"][0]["devices"], 6);
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(MerakiScheduleTest);

}  // namespace
}  // namespace jobhost::testing
