// The configuration reference cannot drift: docs/config-reference.md is exactly what
// `jobhost config reference` prints, the reference lists exactly the keys of the table the
// validator is driven by, and `jobhost config check` accepts every documented key (with its
// documented example) and rejects a key that is not documented.
//
// The reader (config/host_reader.cc) and the reference are one mechanism: the reader looks every
// key up in config/host_schema.cc's table and reports any other as unknown. So "every key the
// reader accepts is documented" is checked here through the command line for every key of the
// table, plus near misses of each that must be refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/cli_harness.h"
#include "cli/generated_doc.h"
#include "config/host_schema.h"

namespace jobhost {
namespace {

using testing::describe;
using ::testing::HasSubstr;

TEST(ConfigReferenceTest, DocMatchesWhatTheBinaryPrints) {
  testing::expect_doc_is_output_of("docs/config-reference.md", {"config", "reference"});
}

TEST(ConfigReferenceTest, ListsExactlyTheKeysOfTheValidatorsTable) {
  const auto r = testing::run_jobhost({"config", "reference", "--json"});
  ASSERT_EQ(r.exit_code, 0) << describe({"config", "reference", "--json"}, r);
  const auto j = nlohmann::json::parse(r.out);
  const auto& schema = config::host_schema();
  ASSERT_EQ(j["keys"].size(), schema.size());
  const auto md = testing::run_jobhost({"config", "reference"});
  for (std::size_t i = 0; i < schema.size(); ++i) {
    const auto& key = schema[i];
    const auto& doc = j["keys"][i];
    SCOPED_TRACE(std::string(key.path));
    EXPECT_EQ(doc["path"], key.path);
    EXPECT_EQ(doc["type"], config::to_string(key.type));
    EXPECT_EQ(doc["example"], key.example);
    EXPECT_FALSE(doc["description"].get<std::string>().empty());
    EXPECT_EQ(doc["default"].is_null(), !key.default_value);
    EXPECT_EQ(doc["min"].is_null() ? std::optional<std::int64_t>() : doc["min"].get<std::int64_t>(),
              key.min);
    EXPECT_EQ(doc["max"].is_null() ? std::optional<std::int64_t>() : doc["max"].get<std::int64_t>(),
              key.max);
    EXPECT_EQ(doc["choices"].size(), key.choices.size());
    // One Markdown section per key, with its example.
    EXPECT_THAT(md.out, HasSubstr("\n## `" + std::string(key.path) + "`\n"));
  }
  // Plugin keys are pointed to, not listed: each plugin declares its own.
  EXPECT_THAT(md.out, HasSubstr("jobhost plugins --json"));
  EXPECT_THAT(md.out, HasSubstr("jobhost config reference --plugins"));
}

// `path` set to `value` in YAML text; nested one level at most (the table's depth).
void set_key(std::map<std::string, std::map<std::string, std::string>>& doc,
             const std::string& path, const std::string& value) {
  const auto dot = path.find('.');
  if (dot == std::string::npos)
    doc[""][path] = value;
  else
    doc[path.substr(0, dot)][path.substr(dot + 1)] = value;
}

std::string yaml_of(const std::map<std::string, std::map<std::string, std::string>>& doc) {
  std::string out;
  for (const auto& [section, keys] : doc) {
    if (section.empty()) {
      for (const auto& [name, value] : keys) out += name + ": " + value + "\n";
    } else {
      out += section + ":\n";
      for (const auto& [name, value] : keys) out += "  " + name + ": " + value + "\n";
    }
  }
  return out;
}

// `jobhost config check` of a file holding `yaml`, with the variables the examples name set.
testing::RunResult check(const std::string& yaml) {
  testing::Cli cli(yaml);
  auto o = cli.options({"config", "check", cli.config_path()});
  for (const char* name : {"PGPASSWORD", "JOBHOST_HTTP_TOKEN"}) o.env[name] = "value";
  return testing::run_process(o);
}

TEST(ConfigReferenceTest, ConfigCheckAcceptsEveryDocumentedKeyAndNoOther) {
  const auto r = testing::run_jobhost({"config", "reference", "--json"});
  ASSERT_EQ(r.exit_code, 0) << describe({"config", "reference", "--json"}, r);
  const auto keys = nlohmann::json::parse(r.out)["keys"];
  std::map<std::string, nlohmann::json> by_path;
  for (const auto& k : keys) by_path[k["path"]] = k;
  int checked = 0;
  for (const auto& k : keys) {
    const std::string path = k["path"];
    SCOPED_TRACE(path);
    // `plugins` and `schedules` take any name: their sections are checked by the plugins and
    // job types they name (see plugins_config_test), not by the host's table.
    if (k["free_keys"].get<bool>()) continue;
    std::map<std::string, std::map<std::string, std::string>> doc;
    for (const char* condition : {"only_when", "required_when"})
      if (!k[condition].is_null())
        set_key(doc, k[condition]["key"], k[condition]["value"].get<std::string>());
    if (!k["paired_with"].is_null())
      set_key(doc, k["paired_with"], by_path.at(k["paired_with"])["example"]);
    // Plugin directories of the example need not exist for the key to be valid: an empty list.
    std::string value = k["example"];
    if (path == "plugin_dirs" || path == "plugin_files") value = "[]";
    set_key(doc, path, value);
    // A postgresql store needs its connection.
    if (doc.contains("store") && doc["store"].contains("driver") &&
        doc["store"]["driver"] == "postgresql")
      set_key(doc, "store.connection", by_path.at("store.connection")["example"]);
    const std::string yaml = yaml_of(doc);
    const auto ok = check(yaml);
    EXPECT_EQ(ok.exit_code, 0) << yaml << describe({"config", "check"}, ok);
    ++checked;

    // The same place with a name one letter off is not a key: refused, with the right one
    // suggested.
    std::map<std::string, std::map<std::string, std::string>> typo;
    const std::string wrong = path + "x";
    set_key(typo, wrong, value);
    const auto bad = check(yaml_of(typo));
    EXPECT_EQ(bad.exit_code, 4) << yaml_of(typo) << describe({"config", "check"}, bad);
    EXPECT_THAT(bad.err, HasSubstr(wrong)) << describe({"config", "check"}, bad);
    EXPECT_THAT(bad.err, HasSubstr("did you mean")) << describe({"config", "check"}, bad);
  }
  EXPECT_GE(checked, 25);
}

TEST(ConfigReferenceTest, PluginsFlagAppendsTheDeclaredSettings) {
  testing::Cli cli(testing::sqlite_setup("reference_plugins"));
  const auto j = cli.json({"config", "reference", "--plugins", "--json"});
  ASSERT_TRUE(j.contains("plugins")) << j.dump();
  ASSERT_FALSE(j["plugins"].empty()) << j.dump();
  for (const auto& p : j["plugins"]) {
    EXPECT_TRUE(p.contains("name"));
    EXPECT_TRUE(p["settings"].is_array());
  }
  const auto md = cli.run({"config", "reference", "--plugins"});
  EXPECT_EQ(md.exit_code, 0) << describe({"config", "reference", "--plugins"}, md);
  EXPECT_THAT(md.out, HasSubstr("# Plugin settings"));
  EXPECT_THAT(md.out, HasSubstr("## Plugin `" + j["plugins"][0]["name"].get<std::string>()));
  // Without --plugins nothing about plugins is appended.
  EXPECT_FALSE(cli.json({"config", "reference", "--json"}).contains("plugins"));
}

}  // namespace
}  // namespace jobhost
