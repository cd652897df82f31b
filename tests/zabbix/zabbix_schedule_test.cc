// The refresh's schedule through the real binary: the plugin's init sets it from
// host_config_sync_interval in every process, and a `schedules:` entry in the host's YAML wins
// over that from the very first command on a fresh store (no daemon has reconciled anything).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/cli_harness.h"
#include "fakes/zabbix/fake_zabbix.h"

namespace jobhost::testing {
namespace {

constexpr const char* kRefresh = "zabbix.host_config_sync_refresh";

// The refresh's own schedule as `jobhost schedules --json` lists it; null when there is none.
nlohmann::json refresh_schedule(const Cli& cli) {
  const auto all = cli.json({"schedules", "--json"});
  nlohmann::json found;
  if (all.is_array())
    for (const auto& s : all)
      if (s.value("job_type", "") == kRefresh && s.value("key", "") == "") found = s;
  return found;
}

class ZabbixScheduleTest : public ::testing::Test {
 protected:
  // A configuration on a fresh SQLite file with the plugin pointed at the fake (its
  // host_config_sync_interval left at 60 minutes) and `schedules` as its `schedules:` body.
  std::string yaml(const std::string& name, const std::string& schedules) const {
    HostSetup setup = sqlite_setup(name);
    setup.plugin_files = {built_plugin("zabbix-host-sync")};
    setup.plugins_yaml =
        "  zabbix-host-sync:\n    url: " + zabbix_.url() + "\n    token: fake-token\n";
    return host_yaml(setup) + (schedules.empty() ? "" : "schedules:\n" + schedules);
  }

  FakeZabbix zabbix_{FakeZabbixOptions{}};
};

TEST_F(ZabbixScheduleTest, YamlScheduleOfTheRefreshWinsFromTheFirstCommandOnAFreshStore) {
  Cli configured(yaml("zabbix-schedule-yaml", std::string("  ") + kRefresh + ": { every: 15s }\n"));
  const auto first = refresh_schedule(configured);
  EXPECT_EQ(first.value("schedule", ""), "every 15s") << first;
  EXPECT_EQ(first.value("source", ""), "config") << first;
  // Another process (its init calls the plugin's schedule_set again), then a tick, which
  // reconciles the YAML: still the one row, on the operator's rhythm.
  auto tick = configured.run({"tick"});
  ASSERT_EQ(tick.exit_code, 0) << describe({"tick"}, tick);
  const auto later = refresh_schedule(configured);
  EXPECT_EQ(later.value("schedule", ""), "every 15s") << later;
  EXPECT_EQ(later.value("id", 0), first.value("id", -1)) << "the same schedule, never a second";

  // Without the entry the plugin's interval applies: what the YAML changes above.
  Cli plain(yaml("zabbix-schedule-plugin", ""));
  const auto own = refresh_schedule(plain);
  EXPECT_EQ(own.value("schedule", ""), "every 1h") << own;
  EXPECT_EQ(own.value("source", ""), "plugin") << own;
}

}  // namespace
}  // namespace jobhost::testing
