// The host key table is the single source of truth for validation and for the reference doc:
// check that it is consistent and that every example in it is a valid configuration.

#include <set>
#include <string>

#include <gtest/gtest.h>

#include "config/host_schema.h"
#include "config/loader.h"

namespace jobhost::config {
namespace {

TEST(HostSchema, PathsAreUniqueAndParentsAreMapsListedFirst) {
  std::set<std::string_view> seen;
  for (const HostKey& key : host_schema()) {
    SCOPED_TRACE(std::string(key.path));
    EXPECT_TRUE(seen.insert(key.path).second) << "listed twice";
    const std::string_view parent = host_key_parent(key);
    if (!parent.empty()) {
      EXPECT_TRUE(seen.contains(parent)) << "parent missing or listed later";
      ASSERT_NE(find_host_key(parent), nullptr);
      EXPECT_EQ(find_host_key(parent)->type, HostKeyType::map);
    }
  }
}

TEST(HostSchema, EveryRowIsDocumented) {
  for (const HostKey& key : host_schema()) {
    SCOPED_TRACE(std::string(key.path));
    EXPECT_FALSE(key.description.empty());
    EXPECT_FALSE(key.example.empty());
    EXPECT_EQ(key.choices.empty(),
              key.type != HostKeyType::choice && key.type != HostKeyType::choice_map);
    if (key.min || key.max) {
      EXPECT_EQ(key.type, HostKeyType::integer);
    }
    if (key.free_keys) {
      EXPECT_EQ(key.type, HostKeyType::map);
    }
    if (key.type == HostKeyType::map || key.type == HostKeyType::choice_map) {
      EXPECT_FALSE(key.default_value);
    }
  }
}

TEST(HostSchema, LookupAndNames) {
  const HostKey* key = find_host_key("store.busy_timeout_ms");
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(host_key_name(*key), "busy_timeout_ms");
  EXPECT_EQ(host_key_parent(*key), "store");
  EXPECT_EQ(key->min, 0);
  EXPECT_EQ(key->max, 3600000);
  EXPECT_EQ(host_key_parent(*find_host_key("workers")), "");
  EXPECT_EQ(find_host_key("store.nothing"), nullptr);
  EXPECT_EQ(to_string(HostKeyType::string_list), "list of strings");
  EXPECT_EQ(to_string(HostKeyType::choice_map), "map of names to one of");
}

// A document setting `key` to `value_yaml`, with the keys its conditions need.
std::string document_for(const HostKey& key, const std::string& value_yaml) {
  YAML::Node root;
  std::string driver;
  const auto set = [&](std::string_view path, const YAML::Node& value) {
    const std::string text(path);
    const auto dot = text.find('.');
    if (dot == std::string::npos) {
      root[text] = value;
    } else {
      root[text.substr(0, dot)][text.substr(dot + 1)] = value;
    }
    if (path == "store.driver") driver = value.Scalar();
  };
  for (const auto& condition : {key.only_when, key.required_when}) {
    if (condition) set(condition->key, YAML::Node(std::string(condition->value)));
  }
  set(key.path, YAML::Load(value_yaml));
  if (!key.paired_with.empty())
    set(key.paired_with, YAML::Load(std::string(find_host_key(key.paired_with)->example)));
  // Keys required under the same conditions (a postgresql example needs a connection).
  for (const HostKey& other : host_schema()) {
    if (other.required_when && other.path != key.path && driver == other.required_when->value) {
      set(other.path, YAML::Load(std::string(other.example)));
    }
  }
  return YAML::Dump(root);
}

// Examples name variables (${PGPASSWORD}); any name is set here.
const LoadOptions kAnyVariableSet{
    .env = [](const std::string&) -> std::optional<std::string> { return "value"; }};

TEST(HostSchema, EveryExampleAndDefaultIsAValidValue) {
  for (const HostKey& key : host_schema()) {
    SCOPED_TRACE(std::string(key.path));
    const std::string example = document_for(key, std::string(key.example));
    EXPECT_EQ(format_problems(check_config_string(example, "example.yaml", kAnyVariableSet)), "")
        << example;
    if (key.default_value) {
      const std::string with_default = document_for(key, std::string(*key.default_value));
      EXPECT_EQ(format_problems(check_config_string(with_default, "default.yaml", kAnyVariableSet)),
                "")
          << with_default;
    }
  }
}

TEST(HostSchema, EveryChoiceMapsToItsEnumValue) {
  for (const std::string_view level : find_host_key("log.level")->choices) {
    const HostConfig config =
        load_config_string("log: { level: " + std::string(level) + " }", "t.yaml");
    EXPECT_EQ(to_string(config.log.level), level);
  }
  for (const std::string_view target : find_host_key("log.target")->choices) {
    const HostConfig config =
        load_config_string("log: { target: " + std::string(target) + " }", "t.yaml");
    EXPECT_EQ(to_string(config.log.target), target);
  }
  // A plugin's level is a host level under another name.
  EXPECT_EQ(find_host_key("log.plugins")->choices, find_host_key("log.level")->choices);
  for (const std::string_view format : find_host_key("log.format")->choices) {
    const HostConfig config =
        load_config_string("log: { format: " + std::string(format) + " }", "t.yaml");
    EXPECT_EQ(to_string(config.log.format), format);
  }
  for (const std::string_view mode : find_host_key("store.synchronous")->choices) {
    const HostConfig config =
        load_config_string("store: { synchronous: " + std::string(mode) + " }", "t.yaml");
    EXPECT_EQ(to_string(config.store.synchronous), mode);
  }
  for (const std::string_view driver : find_host_key("store.driver")->choices) {
    const std::string extra = driver == "postgresql" ? ", connection: x" : "";
    const HostConfig config =
        load_config_string("store: { driver: " + std::string(driver) + extra + " }", "t.yaml");
    EXPECT_EQ(to_string(config.store.driver), driver);
  }
}

}  // namespace
}  // namespace jobhost::config
