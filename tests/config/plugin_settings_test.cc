// A plugin's section checked against its settings schema: typed JSON out, defaults applied, and
// problems at exact positions under `plugins.<name>.`; secrets never shown.

#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "config/fake_env.h"
#include "config/loader.h"
#include "config/plugin_settings.h"

namespace jobhost::config {
namespace {

using nlohmann::json;
using testing::fake_env;

std::vector<SettingSpec> meraki_specs() {
  return {
      {.path = "api_url", .type = SettingType::string, .default_value = "https://api.meraki.com"},
      {.path = "api_key", .type = SettingType::string, .required = true, .secret = true},
      {.path = "sync_interval_minutes",
       .type = SettingType::integer,
       .default_value = "60",
       .min = 5,
       .max = 1440},
      {.path = "verify_tls", .type = SettingType::boolean, .default_value = "true"},
      {.path = "timeout_s", .type = SettingType::number, .default_value = "30", .min = 0.5},
      {.path = "mode",
       .type = SettingType::string,
       .default_value = "full",
       .choices = {"full", "incremental"}},
      {.path = "tags", .type = SettingType::list, .default_value = "[]"},
      {.path = "networks[].name", .type = SettingType::string, .required = true},
      {.path = "networks[].sync_interval",
       .type = SettingType::integer,
       .default_value = "15",
       .min = 1},
      {.path = "networks[].token", .type = SettingType::string, .secret = true},
      {.path = "retry.max_attempts",
       .type = SettingType::integer,
       .default_value = "3",
       .min = 1,
       .max = 10},
      {.path = "extra", .type = SettingType::object},
  };
}

// The `plugins.<name>` section of `yaml`, as the loader hands it over.
PluginSection section_of(const std::string& yaml, const std::string& name,
                         std::map<std::string, std::string> env = {}) {
  const HostConfig config = load_config_string(yaml, "jobhost.yaml", {.env = fake_env(env)});
  return config.plugins.at(name);
}

TEST(PluginSettings, ValidSectionGivesTypedJsonWithDefaults) {
  const PluginSection section = section_of(
      "plugins:\n"
      "  meraki:\n"
      "    api_key: ${MERAKI_KEY}\n"
      "    sync_interval_minutes: \"30\"\n"
      "    networks:\n"
      "      - name: hq\n"
      "      - name: branch\n"
      "        sync_interval: 5\n"
      "        token: t0k\n"
      "    tags: [a, 2, true, \"3\"]\n"
      "    extra: { x: 1, y: [a], z: ~ }\n"
      "    timeout_s: 2.5\n",
      "meraki", {{"MERAKI_KEY", "k3y"}});
  const ValidatedSettings result = validate_plugin_settings(section, "meraki", meraki_specs());
  EXPECT_EQ(format_problems(result.problems), "");
  EXPECT_TRUE(result.ok());
  const json expected = {
      {"api_url", "https://api.meraki.com"},
      {"api_key", "k3y"},
      {"sync_interval_minutes", 30},
      {"verify_tls", true},
      {"timeout_s", 2.5},
      {"mode", "full"},
      {"tags", {"a", 2, true, "3"}},
      {"networks",
       {{{"name", "hq"}, {"sync_interval", 15}},
        {{"name", "branch"}, {"sync_interval", 5}, {"token", "t0k"}}}},
      {"retry", {{"max_attempts", 3}}},
      {"extra", {{"x", 1}, {"y", {"a"}}, {"z", nullptr}}},
  };
  EXPECT_EQ(result.settings, expected) << result.settings.dump(2);
  EXPECT_TRUE(result.settings["sync_interval_minutes"].is_number_integer());
  EXPECT_TRUE(result.settings["timeout_s"].is_number_float());
}

TEST(PluginSettings, EveryProblemWithItsPositionAndPath) {
  const PluginSection section = section_of(
      "plugins:\n"
      "  meraki:\n"
      "    api_url: [x]\n"
      "    sync_interval_minutes: 2\n"
      "    verify_tls: maybe\n"
      "    timeout_s: fast\n"
      "    mode: partial\n"
      "    verfy_tls: true\n"
      "    networks:\n"
      "      - sync_interval: 0\n"
      "      - name: b\n"
      "        colour: red\n"
      "    retry:\n"
      "      max_attempts: 11\n"
      "    tags: [a, { b: 1 }, ~]\n"
      "    extra: [1]\n",
      "meraki");
  const ValidatedSettings result = validate_plugin_settings(section, "meraki", meraki_specs());
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(format_problems(result.problems),
            "jobhost.yaml:2:3: plugins.meraki.api_key: is required\n"
            "jobhost.yaml:3:14: plugins.meraki.api_url: must be a string\n"
            "jobhost.yaml:4:28: plugins.meraki.sync_interval_minutes: must be >= 5\n"
            "jobhost.yaml:5:17: plugins.meraki.verify_tls: must be true or false\n"
            "jobhost.yaml:6:16: plugins.meraki.timeout_s: must be a number\n"
            "jobhost.yaml:7:11: plugins.meraki.mode: must be one of: full, incremental\n"
            "jobhost.yaml:8:5: plugins.meraki.verfy_tls: unknown key 'verfy_tls' (did you mean "
            "'verify_tls'?)\n"
            "jobhost.yaml:10:9: plugins.meraki.networks[0].name: is required\n"
            "jobhost.yaml:10:24: plugins.meraki.networks[0].sync_interval: must be >= 1\n"
            "jobhost.yaml:12:9: plugins.meraki.networks[1].colour: unknown key 'colour'\n"
            "jobhost.yaml:14:21: plugins.meraki.retry.max_attempts: must be <= 10\n"
            "jobhost.yaml:15:15: plugins.meraki.tags[1]: must be a single value, not a list or "
            "map\n"
            "jobhost.yaml:15:25: plugins.meraki.tags[2]: must not be empty\n"
            "jobhost.yaml:16:12: plugins.meraki.extra: must be a map");
}

TEST(PluginSettings, WrongContainerShapes) {
  const PluginSection section = section_of(
      "plugins:\n"
      "  meraki:\n"
      "    api_key: k\n"
      "    networks: { name: x }\n"
      "    retry: 3\n"
      "    tags: a\n",
      "meraki");
  EXPECT_EQ(format_problems(validate_plugin_settings(section, "meraki", meraki_specs()).problems),
            "jobhost.yaml:4:15: plugins.meraki.networks: must be a list\n"
            "jobhost.yaml:5:12: plugins.meraki.retry: must be a map\n"
            "jobhost.yaml:6:11: plugins.meraki.tags: must be a list");
}

TEST(PluginSettings, EmptySectionReportsRequiredAtTheSection) {
  const PluginSection section = section_of("workers: 2\nplugins:\n  meraki:\n", "meraki");
  const ValidatedSettings result = validate_plugin_settings(section, "meraki", meraki_specs());
  EXPECT_EQ(format_problems(result.problems),
            "jobhost.yaml:3:3: plugins.meraki.api_key: is required");
  EXPECT_EQ(result.settings["sync_interval_minutes"], 60);
  EXPECT_EQ(result.settings["networks"], json::array());
  EXPECT_EQ(result.settings["retry"], (json{{"max_attempts", 3}}));
  EXPECT_FALSE(result.settings.contains("extra"));
}

TEST(PluginSettings, PluginWithoutASectionHasNoPosition) {
  const PluginSection none{.file = "jobhost.yaml"};
  EXPECT_EQ(format_problems(validate_plugin_settings(none, "meraki", meraki_specs()).problems),
            "jobhost.yaml: plugins.meraki.api_key: is required");
}

TEST(PluginSettings, RequiredContainersAndNestedRequiredSettings) {
  const std::vector<SettingSpec> specs = {
      {.path = "fabrics[]", .type = SettingType::list, .required = true},
      {.path = "fabrics[].name", .type = SettingType::string, .required = true},
      {.path = "auth.token", .type = SettingType::string, .required = true, .secret = true},
      {.path = "auth", .type = SettingType::object, .description = "How to log in"},
  };
  EXPECT_EQ(format_problems(validate_plugin_settings(
                                section_of("plugins:\n  hh:\n    x: 1\n", "hh"), "hh", specs)
                                .problems),
            "jobhost.yaml:2:3: plugins.hh.fabrics: is required\n"
            "jobhost.yaml:2:3: plugins.hh.auth.token: is required\n"
            "jobhost.yaml:3:5: plugins.hh.x: unknown key 'x'");
  // A present map is where its own missing settings are reported.
  EXPECT_EQ(format_problems(
                validate_plugin_settings(section_of("plugins:\n  hh:\n    fabrics: []\n    auth:\n"
                                                    "      tokn: t\n",
                                                    "hh"),
                                         "hh", specs)
                    .problems),
            "jobhost.yaml:4:5: plugins.hh.auth.token: is required\n"
            "jobhost.yaml:5:7: plugins.hh.auth.tokn: unknown key 'tokn' (did you mean 'token'?)");
}

TEST(PluginSettings, IntegersChoicesAndNumbers) {
  const std::vector<SettingSpec> specs = {
      {.path = "port", .type = SettingType::integer, .choices = {"80", "443"}},
      {.path = "ratio", .type = SettingType::number, .min = 0, .max = 1},
      {.path = "levels", .type = SettingType::list, .choices = {"low", "high"}},
  };
  const auto problems_of = [&](const std::string& body) {
    return format_problems(
        validate_plugin_settings(section_of("plugins:\n  p:\n" + body, "p"), "p", specs).problems);
  };
  EXPECT_EQ(problems_of("    port: 8080\n"),
            "jobhost.yaml:3:11: plugins.p.port: must be one of: 80, 443");
  EXPECT_EQ(problems_of("    port: http\n"),
            "jobhost.yaml:3:11: plugins.p.port: must be an integer");
  EXPECT_EQ(problems_of("    ratio: 1.5\n"), "jobhost.yaml:3:12: plugins.p.ratio: must be <= 1");
  EXPECT_EQ(problems_of("    ratio: -0.25\n"), "jobhost.yaml:3:12: plugins.p.ratio: must be >= 0");
  EXPECT_EQ(problems_of("    levels: [low, mid]\n"),
            "jobhost.yaml:3:19: plugins.p.levels[1]: must be one of: low, high");
  EXPECT_EQ(problems_of("    port: 443\n    ratio: 1\n    levels: [high]\n"), "");
}

TEST(PluginSettings, SecretsNeverAppearInProblems) {
  const std::vector<SettingSpec> specs = {
      {.path = "pin", .type = SettingType::integer, .secret = true},
      {.path = "mode", .type = SettingType::string, .choices = {"a", "b"}, .secret = true},
  };
  const PluginSection section = section_of(
      "plugins:\n  p:\n    pin: ${PIN}\n    mode: hunter2-mode\n", "p", {{"PIN", "hunter2"}});
  const std::string text = format_problems(validate_plugin_settings(section, "p", specs).problems);
  EXPECT_EQ(text,
            "jobhost.yaml:3:10: plugins.p.pin: must be an integer\n"
            "jobhost.yaml:4:11: plugins.p.mode: must be one of: a, b");
  EXPECT_EQ(text.find("hunter2"), std::string::npos);
}

TEST(PluginSettings, DisplayMasksSecretsEverywhere) {
  const PluginSection section = section_of(
      "plugins:\n"
      "  meraki:\n"
      "    api_key: k3y\n"
      "    networks:\n"
      "      - { name: hq, token: t0k }\n"
      "      - { name: lab }\n",
      "meraki");
  const std::vector<SettingSpec> specs = meraki_specs();
  const ValidatedSettings result = validate_plugin_settings(section, "meraki", specs);
  ASSERT_TRUE(result.ok()) << format_problems(result.problems);

  const json masked = mask_secrets(result.settings, specs);
  EXPECT_EQ(masked["api_key"], "***");
  EXPECT_EQ(masked["networks"][0]["token"], "***");
  EXPECT_EQ(masked["networks"][0]["name"], "hq");
  EXPECT_FALSE(masked["networks"][1].contains("token"));  // unset stays unset
  EXPECT_EQ(masked["api_url"], "https://api.meraki.com");
  EXPECT_EQ(result.settings["api_key"], "k3y");  // the original is untouched

  const std::string shown = render_settings_for_display(result.settings, specs);
  EXPECT_EQ(shown, masked.dump(2));
  EXPECT_EQ(shown.find("k3y"), std::string::npos);
  EXPECT_EQ(shown.find("t0k"), std::string::npos);
  EXPECT_NE(shown.find("\"api_key\": \"***\""), std::string::npos);
}

TEST(PluginSettings, DefaultsAreTypedLikeValues) {
  const std::vector<SettingSpec> specs = {
      {.path = "ports", .type = SettingType::list, .default_value = "[80, 443]"},
      {.path = "label", .type = SettingType::string, .default_value = "a: b"},
      {.path = "ratio", .type = SettingType::number, .default_value = "0.5"},
      {.path = "on", .type = SettingType::boolean, .default_value = "false"},
  };
  const ValidatedSettings result = validate_plugin_settings(PluginSection{}, "p", specs);
  EXPECT_EQ(result.settings,
            (json{{"ports", {80, 443}}, {"label", "a: b"}, {"ratio", 0.5}, {"on", false}}));
}

TEST(PluginSettings, InconsistentSpecsArePluginBugs) {
  const auto message_for = [](std::vector<SettingSpec> specs) -> std::string {
    try {
      validate_plugin_settings(PluginSection{}, "meraki", specs);
    } catch (const std::invalid_argument& error) {
      return error.what();
    }
    return "no exception";
  };
  EXPECT_EQ(message_for({{.path = "n", .type = SettingType::integer, .default_value = "abc"}}),
            "plugin 'meraki': setting 'n': the default must be an integer");
  EXPECT_EQ(
      message_for({{.path = "n", .type = SettingType::integer, .default_value = "0", .min = 1}}),
      "plugin 'meraki': setting 'n': the default must be >= 1");
  EXPECT_EQ(message_for({{.path = "a"}, {.path = "a"}}),
            "plugin 'meraki': setting 'a': declared twice, or both a value and a map");
  EXPECT_EQ(message_for({{.path = "a"}, {.path = "a.b"}}),
            "plugin 'meraki': setting 'a.b': 'a' is declared with another type");
  EXPECT_EQ(message_for({{.path = "a..b"}}),
            "plugin 'meraki': setting 'a..b': the path must be dot-separated names, each "
            "optionally ending in []");
  EXPECT_EQ(message_for({{.path = "x[]", .type = SettingType::string}}),
            "plugin 'meraki': setting 'x[]': a path ending in [] must have type list");
  EXPECT_EQ(message_for({{.path = "s", .type = SettingType::string, .min = 1}}),
            "plugin 'meraki': setting 's': min/max need type integer or number");
}

}  // namespace
}  // namespace jobhost::config
