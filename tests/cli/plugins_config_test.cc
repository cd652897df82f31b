// `jobhost plugins` (what is loaded, what was refused and why) and `jobhost config check` (every
// problem of a file at once, with file:line:column and the key path).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "cli/cli_harness.h"

namespace jobhost {
namespace {

using testing::Cli;
using testing::describe;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::test_plugin;

const nlohmann::json* find_by_name(const nlohmann::json& array, const std::string& name) {
  for (const auto& item : array)
    if (item.value("name", "") == name) return &item;
  return nullptr;
}

TEST(PluginsCliTest, ListsLoadedJobTypesAndRefusedPluginsWithTheirReasons) {
  testing::HostSetup setup = testing::sqlite_setup("plugins");
  setup.plugin_files = {test_plugin("testkit"), test_plugin("not_elf"), test_plugin("abi_major2")};
  Cli cli(setup);

  auto out = cli.json({"plugins", "--json"});
  ASSERT_TRUE(out.is_object()) << out;
  ASSERT_EQ(out["plugins"].size(), 1u) << out;
  const auto& testkit = out["plugins"][0];
  EXPECT_EQ(testkit["name"], "testkit");
  EXPECT_EQ(testkit["version"], "1.2.3");
  EXPECT_EQ(testkit["file"], test_plugin("testkit"));
  EXPECT_EQ(testkit["abi"], "1.4");
  EXPECT_EQ(testkit["job_types"].size(), 25u) << testkit["job_types"];

  const auto* write = find_by_name(testkit["job_types"], "testkit.write");
  ASSERT_NE(write, nullptr) << testkit;
  EXPECT_EQ((*write)["params"], nlohmann::json::parse(R"([{"name": "rows", "type": "integer",
      "required": false, "default": "3", "description": "How many rows to write"}])"));
  EXPECT_EQ((*write)["singleton"], false);
  const auto* single = find_by_name(testkit["job_types"], "testkit.single");
  ASSERT_NE(single, nullptr);
  EXPECT_EQ((*single)["singleton"], true);
  EXPECT_EQ((*single)["key_param"], "key");
  EXPECT_EQ((*single)["params"][0]["name"], "key");
  EXPECT_EQ((*single)["params"][0]["required"], true);
  const auto* sleep = find_by_name(testkit["job_types"], "testkit.sleep");
  ASSERT_NE(sleep, nullptr);
  EXPECT_EQ((*sleep)["timeout_s"], 1);
  EXPECT_EQ((*sleep)["min_interval_s"], 0);
  const auto* throttled = find_by_name(testkit["job_types"], "testkit.throttled");
  ASSERT_NE(throttled, nullptr);
  EXPECT_EQ((*throttled)["min_interval_s"], 60);
  EXPECT_EQ((*throttled)["read_only"], false);
  const auto* query = find_by_name(testkit["job_types"], "testkit.query");
  ASSERT_NE(query, nullptr);
  EXPECT_EQ((*query)["read_only"], true);

  ASSERT_EQ(out["refused"].size(), 2u) << out;
  EXPECT_EQ(out["refused"][0]["file"], test_plugin("not_elf"));
  EXPECT_THAT(out["refused"][0]["reason"].get<std::string>(),
              HasSubstr("cannot load it as a shared library"));
  EXPECT_THAT(out["refused"][0]["reason"].get<std::string>(), HasSubstr("invalid ELF header"));
  EXPECT_EQ(out["refused"][1]["file"], test_plugin("abi_major2"));
  EXPECT_THAT(out["refused"][1]["reason"].get<std::string>(),
              HasSubstr("built for jobhost ABI 2.0, but this host speaks ABI 1.4"));

  // The text form, for people.
  auto text = cli.run({"plugins"});
  EXPECT_EQ(text.exit_code, 0) << describe({"plugins"}, text);
  EXPECT_THAT(text.out, HasSubstr("testkit 1.2.3  (ABI 1.4, "));
  EXPECT_THAT(text.out, HasSubstr("  testkit.single  [singleton per key]\n"));
  EXPECT_THAT(text.out, HasSubstr("  testkit.throttled  [at most every 1m]\n"));
  EXPECT_THAT(text.out, HasSubstr("  testkit.query  [read-only query]\n"));
  EXPECT_THAT(text.out,
              HasSubstr("      --param rows=<integer> (default 3)  How many rows to write"));
  EXPECT_THAT(text.out, HasSubstr("\nrefused:\n  " + test_plugin("not_elf") + ": "));

  // Refused plugins cost the good one nothing: exit codes are the jobs' own.
  auto noop = cli.run({"run-now", "testkit.noop"});
  EXPECT_EQ(noop.exit_code, 0) << describe({"run-now", "testkit.noop"}, noop);
  EXPECT_THAT(noop.err, HasSubstr(test_plugin("abi_major2") + " refused: "));
  auto fail = cli.run({"run-now", "testkit.fail"});
  EXPECT_EQ(fail.exit_code, 3) << describe({"run-now", "testkit.fail"}, fail);
  auto thrown = cli.run({"run-now", "testkit.throw"});
  EXPECT_EQ(thrown.exit_code, 1) << describe({"run-now", "testkit.throw"}, thrown);
}

class ConfigCheckTest : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const std::string& text) {
    const std::string path = dir_.file(name).string();
    std::ofstream(path) << text;
    return path;
  }

  testing::TempDir dir_{"jobhost-config-check"};
};

// Problems of each kind, in the host's keys and in a plugin's section: all reported together.
TEST_F(ConfigCheckTest, ReportsEveryProblemWithFileLineColumnAndKeyPath) {
  const std::string file = write("broken.yaml",
                                 "host:\n"
                                 "  name: n1\n"
                                 "store:\n"
                                 "  driver: sqlite\n"
                                 "  busy_timout_ms: 100\n"
                                 "workers: 0\n"
                                 "event_log: maybe\n"
                                 "log:\n"
                                 "  level: loud\n"
                                 "plugin_files:\n"
                                 "  - \"" +
                                     test_plugin("testkit") +
                                     "\"\n"
                                     "plugins:\n"
                                     "  testkit:\n"
                                     "    limit: 50\n"
                                     "    lable: x\n");
  const std::vector<std::string> args = {"config", "check", file};
  auto r = testing::run_jobhost(args);
  EXPECT_EQ(r.exit_code, 4) << describe(args, r);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            file +
                ":5:3: store.busy_timout_ms: unknown key 'busy_timout_ms' (did you mean "
                "'busy_timeout_ms'?)\n" +
                file + ":6:10: workers: must be >= 1\n" +  //
                file + ":7:12: event_log: must be true or false\n" + file +
                ":9:10: log.level: must be one of: trace, debug, info, warn, error, off\n" + file +
                ":14:12: plugins.testkit.limit: must be <= 10\n" + file +
                ":15:5: plugins.testkit.lable: unknown key 'lable' (did you mean 'label'?)\n"
                "6 problems found\n");

  auto json = nlohmann::json::parse(testing::run_jobhost({"config", "check", file, "--json"}).out,
                                    nullptr, false);
  ASSERT_FALSE(json.is_discarded());
  EXPECT_EQ(json["ok"], false);
  EXPECT_EQ(json["file"], file);
  ASSERT_EQ(json["problems"].size(), 6u) << json;
  EXPECT_EQ(json["problems"][1], nlohmann::json({{"file", file},
                                                 {"line", 6},
                                                 {"column", 10},
                                                 {"key", "workers"},
                                                 {"message", "must be >= 1"},
                                                 {"text", file + ":6:10: workers: must be >= 1"}}));
  EXPECT_EQ(json["problems"][4]["key"], "plugins.testkit.limit");
  EXPECT_EQ(json["problems"][4]["line"], 14);
  EXPECT_EQ(json["problems"][4]["column"], 12);
  EXPECT_EQ(json["problems"][5]["line"], 15);
  EXPECT_EQ(json["problems"][5]["column"], 5);
  EXPECT_EQ(json["plugins_refused"], nlohmann::json::array());

  // Any other command refuses the file with the same exit code and points at `config check`.
  Cli cli(std::string(testing::read_file(file)));
  auto run = cli.run({"run-now", "testkit.noop"});
  EXPECT_EQ(run.exit_code, 4) << describe({"run-now", "testkit.noop"}, run);
  EXPECT_THAT(run.err, HasSubstr("error: the configuration cannot be used:\n"));
  EXPECT_THAT(run.err, HasSubstr(":6:10: workers: must be >= 1\n"));
  EXPECT_THAT(run.err, HasSubstr("(check it with `jobhost config check "));
}

TEST_F(ConfigCheckTest, GoodFileIsOk) {
  const std::string file = write("good.yaml",
                                 "store:\n"
                                 "  path: jobhost.db\n"
                                 "workers: 2\n"
                                 "plugin_files:\n"
                                 "  - \"" +
                                     test_plugin("testkit") +
                                     "\"\n"
                                     "plugins:\n"
                                     "  testkit:\n"
                                     "    limit: 7\n"
                                     "    label: nightly\n");
  auto r = testing::run_jobhost({"config", "check", file});
  EXPECT_EQ(r.exit_code, 0) << describe({"config", "check", file}, r);
  EXPECT_EQ(r.out, file + ": ok\n");
  EXPECT_EQ(r.err, "");
  EXPECT_FALSE(std::filesystem::exists(dir_.file("jobhost.db"))) << "a check opens no store";

  auto json = nlohmann::json::parse(testing::run_jobhost({"config", "check", file, "--json"}).out,
                                    nullptr, false);
  ASSERT_FALSE(json.is_discarded());
  EXPECT_EQ(json["ok"], true);
  EXPECT_EQ(json["problems"], nlohmann::json::array());
}

TEST_F(ConfigCheckTest, PluginProblemsAloneAndAMissingFile) {
  const std::string file = write("plugin-only.yaml",
                                 "plugin_files:\n"
                                 "  - \"" +
                                     test_plugin("testkit") +
                                     "\"\n"
                                     "  - \"" +
                                     test_plugin("not_elf") +
                                     "\"\n"
                                     "plugins:\n"
                                     "  testkit:\n"
                                     "    limit: zero\n"
                                     "  tsetkit: {}\n");
  auto r = testing::run_jobhost({"config", "check", file});
  EXPECT_EQ(r.exit_code, 4) << describe({"config", "check", file}, r);
  EXPECT_THAT(r.err, HasSubstr(file + ":6:12: plugins.testkit.limit: "));
  EXPECT_THAT(r.err, HasSubstr(test_plugin("not_elf") + ": plugin refused: "));
  EXPECT_THAT(r.err, HasSubstr("tsetkit"));
  EXPECT_THAT(r.err, HasSubstr("3 problems found\n"));

  const std::string missing = dir_.file("missing.yaml").string();
  auto m = testing::run_jobhost({"config", "check", missing});
  EXPECT_EQ(m.exit_code, 4) << describe({"config", "check", missing}, m);
  EXPECT_EQ(m.err, missing + ": configuration file not found\n1 problem found\n");
  EXPECT_THAT(m.err, Not(HasSubstr("ok")));
}

}  // namespace
}  // namespace jobhost
