// A reload's new plugin settings (Host::reconfigure_plugins, ABI 1.2): applied through the
// plugin's reconfigure callback, and refused without harm when the section is invalid, the
// plugin rejects it, or the plugin has no such callback. testkit keeps one schedule of
// testkit.single per key of its `keys` setting and reads them back with schedule_list.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "config/loader.h"
#include "support/host_fixture.h"
#include "support/temp_dir.h"

namespace jobhost {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using json = nlohmann::json;

class ReconfigureTest : public ::testing::Test {
 protected:
  ReconfigureTest() {
    setup_.store = {testing::StoreKind::sqlite, dir_.file("jobhost.db").string()};
    setup_.plugin_files = {testing::test_plugin("testkit"), testing::built_plugin("hello")};
  }

  config::HostConfig config_with(const std::string& testkit, const std::string& hello = "") {
    auto s = setup_;
    s.plugins_yaml = "  testkit: {" + testkit + "}\n";
    if (!hello.empty()) s.plugins_yaml += "  hello: {" + hello + "}\n";
    return config::load_config_string(testing::host_yaml(s), "jobhost.yaml");
  }

  void open(const std::string& testkit) {
    host_ = Host::open(config_with(testkit));
    ASSERT_TRUE(host_->refusals().empty()) << host_->refusals().front().reason;
  }

  json run(const std::string& type) {
    auto outcome = host_->run_now(type, {});
    EXPECT_EQ(outcome.status, jobs::JobStatus::completed) << outcome.error;
    return json::parse(outcome.result.value_or("{}"));
  }

  // The keys of testkit.single's schedules, as the plugin reads them (schedule_list).
  std::vector<std::string> scheduled_keys() {
    std::vector<std::string> keys;
    const json listed = run("testkit.schedules");
    for (const auto& s : listed["schedules"]) {
      EXPECT_EQ(s["source"], "plugin");
      EXPECT_TRUE(s["has_next"].get<bool>());
      keys.push_back(s["key"]);
    }
    return keys;
  }

  std::string label() { return run("testkit.settings")["label"]; }

  testing::TempDir dir_{"reconfigure"};
  testing::HostSetup setup_;
  std::unique_ptr<Host> host_;
};

TEST_F(ReconfigureTest, ChangedSectionReachesThePluginWhichRearrangesItsSchedules) {
  open("keys: [a, b], every: every 60s, label: old");
  EXPECT_THAT(scheduled_keys(), ElementsAre("a", "b"));
  EXPECT_EQ(run("testkit.schedules")["schedules"][0]["schedule"], "every 1m");

  auto report =
      host_->reconfigure_plugins(config_with("keys: [b, c], every: every 5m, label: new"));
  EXPECT_THAT(report, ElementsAre("plugin testkit: new settings applied"));
  EXPECT_THAT(scheduled_keys(), ElementsAre("b", "c"));
  EXPECT_EQ(run("testkit.schedules")["schedules"][0]["schedule"], "every 5m");
  EXPECT_EQ(label(), "new");
}

TEST_F(ReconfigureTest, UnchangedSectionIsNotReapplied) {
  open("keys: [a], label: same");
  EXPECT_TRUE(host_->reconfigure_plugins(config_with("keys: [a], label: same")).empty());
}

TEST_F(ReconfigureTest, InvalidSectionKeepsThePreviousSettingsAndSaysWhere) {
  open("keys: [a], label: old");
  auto report = host_->reconfigure_plugins(config_with("keys: [z], label: new, limit: 99"));
  ASSERT_EQ(report.size(), 1u);
  EXPECT_THAT(report[0], HasSubstr("plugin testkit keeps its previous settings"));
  EXPECT_THAT(report[0], HasSubstr("jobhost.yaml:"));
  EXPECT_THAT(report[0], HasSubstr("plugins.testkit.limit"));
  EXPECT_EQ(label(), "old");
  EXPECT_THAT(scheduled_keys(), ElementsAre("a"));
}

TEST_F(ReconfigureTest, SettingsThePluginRefusesAreRolledBack) {
  open("keys: [a], label: old");
  auto report = host_->reconfigure_plugins(config_with("keys: [b], every: refuse, label: new"));
  ASSERT_EQ(report.size(), 1u);
  EXPECT_EQ(report[0],
            "plugin testkit refused its new settings and keeps the previous ones: every: "
            "'refuse' is refused by testkit");
  EXPECT_EQ(label(), "old");
  EXPECT_THAT(scheduled_keys(), ElementsAre("a"));
  // A later good edit still goes through.
  EXPECT_THAT(host_->reconfigure_plugins(config_with("keys: [b], label: later")),
              ElementsAre("plugin testkit: new settings applied"));
  EXPECT_EQ(label(), "later");
}

TEST_F(ReconfigureTest, PluginWithoutReconfigureKeepsItsSettingsUntilARestart) {
  host_ = Host::open(config_with("label: x", "greeting: Hi"));
  auto report = host_->reconfigure_plugins(config_with("label: x", "greeting: Howdy"));
  ASSERT_EQ(report.size(), 1u);
  EXPECT_THAT(report[0], HasSubstr("plugin hello keeps its previous settings"));
  EXPECT_THAT(report[0], HasSubstr("restart jobhost to apply them"));
  auto outcome = host_->run_now("hello.greet", {{"who", "ops"}});
  EXPECT_EQ(outcome.result.value_or(""), R"({"message":"Hi, ops!","times":1})");
}

TEST_F(ReconfigureTest, ScheduleListRefusesAnotherPluginsJobType) {
  open("label: x");
  auto outcome = host_->run_now("testkit.schedules", {{"type", "hello.greet"}});
  EXPECT_EQ(outcome.status, jobs::JobStatus::errored);
  EXPECT_THAT(outcome.error,
              HasSubstr("schedule_list: 'hello.greet' is not a job type of plugin testkit"));
}

}  // namespace
}  // namespace jobhost
