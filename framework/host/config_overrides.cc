#include "host/config_overrides.h"

#include <soci/soci.h>

#include "store/row_reader.h"

namespace jobhost {

namespace {

// JSON -> YAML with the scalars' text, as the YAML file would have them.
YAML::Node yaml_of(const nlohmann::json& v) {
  if (v.is_object()) {
    YAML::Node map(YAML::NodeType::Map);
    for (const auto& [k, item] : v.items()) map[k] = yaml_of(item);
    return map;
  }
  if (v.is_array()) {
    YAML::Node seq(YAML::NodeType::Sequence);
    for (const auto& item : v) seq.push_back(yaml_of(item));
    return seq;
  }
  if (v.is_null()) return YAML::Node(YAML::NodeType::Null);
  return YAML::Node(v.is_string() ? v.get<std::string>() : v.dump());
}

// Sets `path` (dotted) inside `root`, creating maps on the way.
void set_path(YAML::Node& root, const std::string& path, const YAML::Node& value) {
  if (!root.IsMap()) root = YAML::Node(YAML::NodeType::Map);
  const auto dot = path.find('.');
  if (dot == std::string::npos) {
    root[path] = value;
    return;
  }
  YAML::Node child = root[path.substr(0, dot)];
  YAML::Node copy = child.IsMap() ? YAML::Clone(child) : YAML::Node(YAML::NodeType::Map);
  set_path(copy, path.substr(dot + 1), value);
  root[path.substr(0, dot)] = copy;
}

config::PluginSection& section_for(std::map<std::string, config::PluginSection>& sections,
                                   const std::string& name, const std::string& source) {
  auto [it, added] = sections.try_emplace(name);
  if (added) it->second.file = source;
  // Cloned: the YAML file's node may be shared with the configuration this one came from.
  it->second.node =
      it->second.node.IsMap() ? YAML::Clone(it->second.node) : YAML::Node(YAML::NodeType::Map);
  return it->second;
}

}  // namespace

nlohmann::json ConfigOverride::to_json() const {
  return {{"section", section},
          {"name", name},
          {"path", path},
          {"value", value},
          {"updated_at", format_time(updated_at)},
          {"updated_by", updated_by}};
}

std::vector<ConfigOverride> ConfigOverrideStore::list() {
  std::vector<ConfigOverride> out;
  try {
    soci::rowset<soci::row> rows =
        (session_.sql().prepare << "SELECT section, name, path, value, updated_at, updated_by "
                                   "FROM jh_config_overrides ORDER BY section, name, path");
    for (const auto& r : rows) {
      ConfigOverride o;
      o.section = store::row_text_or(r, 0);
      o.name = store::row_text_or(r, 1);
      o.path = store::row_text_or(r, 2);
      o.value = nlohmann::json::parse(store::row_text_or(r, 3, "null"), nullptr, false);
      o.updated_at = store::row_int_or(r, 4, 0);
      o.updated_by = store::row_text_or(r, 5);
      out.push_back(std::move(o));
    }
  } catch (...) {
    store::rethrow_as_store_error("reading configuration overrides");
  }
  return out;
}

void ConfigOverrideStore::put(const ConfigOverride& o) {
  try {
    const std::string value = o.value.dump();
    long long at = o.updated_at;
    store::WriteTransaction tx(session_);
    session_.sql() << "DELETE FROM jh_config_overrides WHERE section = :s AND name = :n AND "
                      "path = :p",
        soci::use(o.section), soci::use(o.name), soci::use(o.path);
    session_.sql() << "INSERT INTO jh_config_overrides (section, name, path, value, updated_at, "
                      "updated_by) VALUES (:s, :n, :p, :v, :a, :b)",
        soci::use(o.section), soci::use(o.name), soci::use(o.path), soci::use(value), soci::use(at),
        soci::use(o.updated_by);
    tx.commit();
  } catch (...) {
    store::rethrow_as_store_error("saving the override of " + o.section + "." + o.name +
                                  (o.path.empty() ? "" : "." + o.path));
  }
}

bool ConfigOverrideStore::remove(const std::string& section, const std::string& name,
                                 const std::string& path) {
  try {
    soci::statement st = (session_.sql().prepare << "DELETE FROM jh_config_overrides WHERE "
                                                    "section = :s AND name = :n AND path = :p",
                          soci::use(section), soci::use(name), soci::use(path));
    st.execute(true);
    return st.get_affected_rows() > 0;
  } catch (...) {
    store::rethrow_as_store_error("removing the override of " + section + "." + name);
  }
}

config::HostConfig with_overrides(config::HostConfig config,
                                  const std::vector<ConfigOverride>& overrides) {
  for (const auto& o : overrides) {
    if (o.section == kPluginSection && !o.path.empty()) {
      auto& section = section_for(config.plugins, o.name, config.source);
      set_path(section.node, o.path, yaml_of(o.value));
    } else if (o.section == kScheduleSection && o.value.is_object()) {
      auto& section = section_for(config.schedules, o.name, config.source);
      // The override is the whole timing: what the YAML said of it goes.
      for (const char* key : {"every", "cron", "time_zone", "jitter"}) section.node.remove(key);
      for (const auto& [k, v] : o.value.items()) section.node[k] = yaml_of(v);
    }
  }
  return config;
}

config::HostConfig with_stored_overrides(config::HostConfig config, store::Session& session) {
  auto overrides = ConfigOverrideStore(session).list();
  return overrides.empty() ? config : with_overrides(std::move(config), overrides);
}

}  // namespace jobhost
