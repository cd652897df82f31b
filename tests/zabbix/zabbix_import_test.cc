// Importing desired HostConfigs: every problem named by entry, field and position, nothing
// imported when one entry is wrong; re-imports keep or reset sync state as they should.
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "zabbix_fixture.h"

namespace jobhost::testing {
namespace {

using ::testing::HasSubstr;

class ZabbixImportTest : public ZabbixPluginTest {
 protected:
  jobs::RunOutcome import_text(const std::string& name, const std::string& text,
                               const std::string& replace = "false") {
    const auto file = dir().file(name);
    std::ofstream(file) << text;
    return run("zabbix.import_host_configs", {{"file", file.string()}, {"replace", replace}});
  }
};

TEST_P(ZabbixImportTest, EveryInvalidFieldIsNamedAndNothingIsImported) {
  start({});
  const std::string yaml = R"(host_configs:
  - host: good-1
    groups: [2]
  - host: bad name!
    groups: [2]
  - host: sw-2
    status: on
    groups: []
    interfaces:
      - {type: agent, ip: 10.0.0.1, port: 99999}
  - host: sw-3
    groups: [x1]
    monitored_by: proxy
    colour: blue
    tags: [{value: v}]
  - host: good-1
    groups: [2]
)";
  auto r = import_text("bad.yaml", yaml);
  ASSERT_EQ(r.status, jobs::JobStatus::failed) << r.error;
  EXPECT_THAT(r.error, HasSubstr("9 problem(s) in " + dir().file("bad.yaml").string() +
                                 "; nothing imported"));
  const auto errors = result(r)["errors"];
  ASSERT_TRUE(errors.is_array());
  std::string all;
  for (const auto& e : errors) all += e.get<std::string>() + "\n";
  const std::string file = dir().file("bad.yaml").string();
  EXPECT_THAT(all, HasSubstr(file + ":4:11: host_configs[1] (bad name!): host: 'bad name!' is "
                                    "not a valid technical name"));
  EXPECT_THAT(all, HasSubstr(file + ":7:13: host_configs[2] (sw-2): status: expected one of "
                                    "enabled (0), disabled (1), got 'on'"));
  EXPECT_THAT(all, HasSubstr("host_configs[2] (sw-2): groups: empty"));
  EXPECT_THAT(all, HasSubstr("host_configs[2] (sw-2): interfaces[0].port: expected 1..65535"));
  EXPECT_THAT(all, HasSubstr("host_configs[3] (sw-3): groups[0]: expected a Zabbix id"));
  EXPECT_THAT(all, HasSubstr("host_configs[3] (sw-3): colour: unknown field"));
  EXPECT_THAT(all, HasSubstr("host_configs[3] (sw-3): proxyid: required when monitored_by is "
                             "proxy"));
  EXPECT_THAT(all, HasSubstr("host_configs[3] (sw-3): tags[0].tag: missing"));
  EXPECT_THAT(all, HasSubstr("host_configs[4] (good-1): host: 'good-1' appears more than once"));
  EXPECT_EQ(count("1 = 1"), 0) << "all or nothing";
}

TEST_P(ZabbixImportTest, UnreadableAndUnparsableFilesAreNamed) {
  start({});
  auto missing = run("zabbix.import_host_configs", {{"file", "/nonexistent/hosts.yaml"}});
  EXPECT_EQ(missing.status, jobs::JobStatus::failed);
  EXPECT_THAT(result(missing)["errors"][0].get<std::string>(),
              HasSubstr("/nonexistent/hosts.yaml: cannot open the file"));
  auto broken = import_text("broken.json", "{\"host_configs\": [ {\"host\": ");
  EXPECT_EQ(broken.status, jobs::JobStatus::failed);
  EXPECT_THAT(result(broken)["errors"][0].get<std::string>(),
              HasSubstr("broken.json: not valid JSON: [json.exception.parse_error.101] parse "
                        "error at line 1, column 29"));
  auto yaml = import_text("broken.yaml", "host_configs:\n  - host: a\n    groups: [2\n");
  EXPECT_EQ(yaml.status, jobs::JobStatus::failed);
  EXPECT_THAT(result(yaml)["errors"][0].get<std::string>(),
              HasSubstr("broken.yaml:4:1: not valid YAML"));
  // JSON entries are named by entry and field (no positions: see config_file.cc).
  auto json = import_text("entry.json", R"({"host_configs": [{"host": "a", "groups": ["2"]},
    {"host": "b", "groups": ["2"], "status": "paused"}]})");
  EXPECT_EQ(json.status, jobs::JobStatus::failed);
  EXPECT_THAT(result(json)["errors"][0].get<std::string>(),
              HasSubstr("entry.json: host_configs[1] (b): status: expected one of enabled (0), "
                        "disabled (1), got 'paused'"));
}

TEST_P(ZabbixImportTest, ReimportKeepsUnchangedStateAndResetsChangedConfigs) {
  FakeZabbixOptions o;
  o.hosts = 10;
  start(o);
  ASSERT_EQ(import_desired().status, jobs::JobStatus::completed);
  ASSERT_EQ(run("zabbix.host_config_sync_refresh").status, jobs::JobStatus::completed);
  ASSERT_EQ(count("in_sync = 1"), 10);

  auto same = import_desired();
  EXPECT_EQ(result(same)["unchanged"], 10);
  EXPECT_EQ(count("in_sync = 1"), 10) << "an unchanged config keeps its state";

  auto desired = zabbix().desired_host_configs();
  desired[0]["name"] = "Renamed";
  desired.erase(desired.begin() + 1);
  auto changed =
      import_text("changed.json", nlohmann::json{{"host_configs", desired}}.dump(), "true");
  ASSERT_EQ(changed.status, jobs::JobStatus::completed) << changed.error;
  EXPECT_EQ(result(changed)["changed"], 1);
  EXPECT_EQ(result(changed)["removed"], 1);
  EXPECT_EQ(result(changed)["total"], 9);
  EXPECT_FALSE(column("in_sync", desired[0]["host"].get<std::string>()))
      << "a changed config must be checked again";
  auto r = result(run("zabbix.host_config_sync_refresh"));
  EXPECT_EQ(r["total"], 1);
  EXPECT_EQ(r["out_of_sync"], 1);
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(ZabbixImportTest);

}  // namespace
}  // namespace jobhost::testing
