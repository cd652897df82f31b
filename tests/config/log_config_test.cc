// The `log:` section: per-plugin levels (`log.plugins`) and the target, read and checked like
// every other key, problems with their file:line:column and key path.

#include <string>

#include <gtest/gtest.h>

#include "config/fake_env.h"
#include "config/host_schema.h"
#include "config/loader.h"

namespace jobhost::config {
namespace {

using testing::fake_env;

std::string problems_of(const std::string& yaml, const LoadOptions& options = {}) {
  return format_problems(check_config_string(yaml, "jobhost.yaml", options));
}

TEST(LogConfig, PluginLevelsLoadWithWhereTheyAreSet) {
  const HostConfig config = load_config_string(
      "log:\n"
      "  level: info\n"
      "  plugins:\n"
      "    zabbix-host-sync: debug\n"
      "    meraki-sync: \"off\"\n",
      "jobhost.yaml");
  EXPECT_EQ(config.log.level, LogConfig::Level::info);
  ASSERT_EQ(config.log.plugins.size(), 2u);
  const LogConfig::PluginLevel& zabbix = config.log.plugins.at("zabbix-host-sync");
  EXPECT_EQ(zabbix.level, LogConfig::Level::debug);
  EXPECT_EQ(zabbix.line, 4);
  EXPECT_EQ(zabbix.column, 5);
  EXPECT_EQ(config.log.plugins.at("meraki-sync").level, LogConfig::Level::off);
}

TEST(LogConfig, FlowStyleAndEveryLevel) {
  for (const std::string_view level : find_host_key("log.plugins")->choices) {
    SCOPED_TRACE(std::string(level));
    const HostConfig config =
        load_config_string("log: {plugins: {p: " + std::string(level) + "}}", "t.yaml");
    EXPECT_EQ(to_string(config.log.plugins.at("p").level), level);
  }
}

TEST(LogConfig, NoPluginLevelsByDefault) {
  EXPECT_TRUE(default_host_config().log.plugins.empty());
  EXPECT_TRUE(load_config_string("log: {plugins: {}}\n", "t.yaml").log.plugins.empty());
  EXPECT_TRUE(load_config_string("log:\n  plugins:\n", "t.yaml").log.plugins.empty());
}

TEST(LogConfig, ABadPluginLevelNamesThePlaceTheKeyAndTheValidLevels) {
  EXPECT_EQ(problems_of("log:\n"
                        "  level: info\n"
                        "  plugins:\n"
                        "    zabbix-host-sync: verbose\n"),
            "jobhost.yaml:4:23: log.plugins.zabbix-host-sync: must be one of: trace, debug, info, "
            "warn, error, off");
  // Every bad entry at once, in flow style too.
  EXPECT_EQ(problems_of("log: {plugins: {a: debug, b: 3, c: [debug]}}\n"),
            "jobhost.yaml:1:30: log.plugins.b: must be one of: trace, debug, info, warn, error, "
            "off\n"
            "jobhost.yaml:1:36: log.plugins.c: must be one of: trace, debug, info, warn, error, "
            "off");
}

TEST(LogConfig, APluginWithoutALevelIsAProblemNotTheDefault) {
  EXPECT_EQ(problems_of("log:\n  plugins:\n    zabbix-host-sync:\n"),
            "jobhost.yaml:3:5: log.plugins.zabbix-host-sync: must be one of: trace, debug, info, "
            "warn, error, off");
}

TEST(LogConfig, PluginsMustBeAMapWithoutRepeats) {
  EXPECT_EQ(problems_of("log:\n  plugins: debug\n"),
            "jobhost.yaml:2:12: log.plugins: must be a map");
  EXPECT_EQ(problems_of("log:\n  plugins: [a, b]\n"),
            "jobhost.yaml:2:12: log.plugins: must be a map");
  const std::string repeated = problems_of("log:\n  plugins:\n    a: debug\n    a: info\n");
  EXPECT_NE(repeated.find("jobhost.yaml:4:5: log.plugins.a"), std::string::npos) << repeated;
}

TEST(LogConfig, LevelsMayComeFromTheEnvironment) {
  const HostConfig config = load_config_string("log: {plugins: {p: \"${P_LEVEL}\"}}\n", "t.yaml",
                                               {.env = fake_env({{"P_LEVEL", "trace"}})});
  EXPECT_EQ(config.log.plugins.at("p").level, LogConfig::Level::trace);
  // A missing variable is reported once, by the expansion, not again as a bad level.
  const std::string problems =
      problems_of("log: {plugins: {p: \"${P_LEVEL}\"}}\n", {.env = fake_env({})});
  EXPECT_NE(problems.find("log.plugins.p"), std::string::npos) << problems;
  EXPECT_EQ(problems.find('\n'), std::string::npos) << problems;
}

TEST(LogConfig, TargetIsAutoUnlessSet) {
  EXPECT_EQ(default_host_config().log.target, LogConfig::Target::auto_detect);
  EXPECT_EQ(load_config_string("log: {target: journald}\n", "t.yaml").log.target,
            LogConfig::Target::journald);
  EXPECT_EQ(load_config_string("log: {target: stderr}\n", "t.yaml").log.target,
            LogConfig::Target::stderr_stream);
  EXPECT_EQ(problems_of("log: {target: syslog}\n"),
            "jobhost.yaml:1:15: log.target: must be one of: auto, stderr, journald");
}

TEST(LogConfig, UnknownKeysInTheLogSectionStillSuggest) {
  EXPECT_EQ(problems_of("log: {plugin: {a: debug}}\n"),
            "jobhost.yaml:1:7: log.plugin: unknown key 'plugin' (did you mean 'plugins'?)");
}

}  // namespace
}  // namespace jobhost::config
