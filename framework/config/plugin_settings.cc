#include "config/plugin_settings.h"

#include <optional>
#include <set>
#include <utility>

#include "config/setting_tree.h"
#include "config/setting_value.h"
#include "config/value_checks.h"
#include "config/yaml_walk.h"

namespace jobhost::config {

namespace {

constexpr const char* kMask = "***";

// Walks a plugin's section and the setting tree side by side, building the typed JSON.
class SettingsWalk {
 public:
  SettingsWalk(const std::string& file, std::vector<ConfigProblem>& problems)
      : file_(file), sink_{.file = file_, .problems = problems} {}

  // `map` is a map or null (nothing set). `owner` is where "is required" points: the key of the
  // map, or the list item.
  void check_map(const SettingNode& level, const YAML::Node& map, const std::string& path,
                 Position owner, nlohmann::json& out) {
    out = nlohmann::json::object();
    std::set<std::string, std::less<>> set_keys;
    if (map.IsMap()) {
      for (const MapEntry& entry : map_entries(map, file_, path, sink_.problems)) {
        const std::string key_path = child_path(path, entry.key);
        const SettingNode* child = level.find(entry.key);
        if (child == nullptr) {
          sink_.report(position_of(entry.key_mark), key_path,
                       unknown_key_message(entry.key, level.child_names()));
        } else if (!entry.value.IsNull()) {  // `key:` with no value counts as unset
          set_keys.insert(entry.key);
          if (auto value = check_child(*child, entry, key_path)) out[entry.key] = std::move(*value);
        }
      }
    }
    for (const SettingNode& child : level.children) {
      if (!set_keys.contains(child.name)) fill_unset(child, path, owner, out);
    }
  }

 private:
  // The value's JSON; nothing when it is unusable (and reported). A map or list of maps is
  // returned even when something inside it was reported.
  std::optional<nlohmann::json> check_child(const SettingNode& node, const MapEntry& entry,
                                            const std::string& path) {
    const Position value_position = position_of(entry.value_mark());
    switch (node.kind) {
      case SettingNode::Kind::value:
        return check_setting_value(*node.spec, entry.value, value_position, path, sink_);
      case SettingNode::Kind::map:
        if (entry.value.IsMap()) {
          nlohmann::json map;
          check_map(node, entry.value, path, position_of(entry.key_mark), map);
          return map;
        }
        sink_.report(value_position, path, "must be a map");
        return std::nullopt;
      case SettingNode::Kind::list_of_maps:
        if (entry.value.IsSequence()) return check_items(node, entry.value, path);
        sink_.report(value_position, path, "must be a list");
        return std::nullopt;
    }
    return std::nullopt;
  }

  nlohmann::json check_items(const SettingNode& node, const YAML::Node& list,
                             const std::string& path) {
    nlohmann::json items = nlohmann::json::array();
    std::size_t index = 0;
    for (const YAML::Node& item : list) {
      const std::string path_of_item = item_path(path, index++);
      if (!item.IsMap()) {
        sink_.report(position_of(item.Mark()), path_of_item, "must be a map");
        continue;
      }
      check_map(node, item, path_of_item, position_of(item.Mark()), items.emplace_back());
    }
    return items;
  }

  // A setting the section does not set: its default, an empty container, or "is required".
  void fill_unset(const SettingNode& node, const std::string& parent_path, Position owner,
                  nlohmann::json& out) {
    const std::string path = child_path(parent_path, node.name);
    if (node.required()) {
      sink_.report(owner, path, "is required");
      return;
    }
    switch (node.kind) {
      case SettingNode::Kind::value:
        if (node.default_json) out[node.name] = *node.default_json;
        return;
      case SettingNode::Kind::map:
        // Its own defaults (and its required settings) still apply.
        check_map(node, YAML::Node(), path, owner, out[node.name]);
        return;
      case SettingNode::Kind::list_of_maps:
        out[node.name] = nlohmann::json::array();
        return;
    }
  }

  const std::string& file_;
  SettingProblems sink_;
};

void mask_level(const SettingNode& level, nlohmann::json& settings) {
  if (!settings.is_object()) return;
  for (const SettingNode& child : level.children) {
    const auto found = settings.find(child.name);
    if (found == settings.end()) continue;
    if (child.secret()) {
      *found = kMask;
    } else if (child.kind == SettingNode::Kind::map) {
      mask_level(child, *found);
    } else if (child.kind == SettingNode::Kind::list_of_maps && found->is_array()) {
      for (nlohmann::json& item : *found) mask_level(child, item);
    }
  }
}

}  // namespace

ValidatedSettings validate_plugin_settings(const PluginSection& section,
                                           std::string_view plugin_name,
                                           const std::vector<SettingSpec>& specs) {
  const SettingNode root = build_setting_tree(specs, plugin_name);
  ValidatedSettings result;
  const std::string path = child_path("plugins", plugin_name);
  const Position position{.line = section.line, .column = section.column};
  SettingsWalk walk(section.file, result.problems);
  if (section.node && !section.node.IsNull() && !section.node.IsMap()) {
    result.problems.push_back(problem_at(section.file, position, path, "must be a map"));
    walk.check_map(root, YAML::Node(), path, position, result.settings);
  } else {
    walk.check_map(root, section.node ? section.node : YAML::Node(), path, position,
                   result.settings);
  }
  sort_by_position(result.problems);
  return result;
}

nlohmann::json mask_secrets(const nlohmann::json& settings, const std::vector<SettingSpec>& specs) {
  nlohmann::json masked = settings;
  mask_level(build_setting_tree(specs, "<display>"), masked);
  return masked;
}

std::string render_settings_for_display(const nlohmann::json& settings,
                                        const std::vector<SettingSpec>& specs) {
  return mask_secrets(settings, specs).dump(2);
}

std::string_view to_string(SettingType type) {
  switch (type) {
    case SettingType::string:
      return "string";
    case SettingType::integer:
      return "integer";
    case SettingType::number:
      return "number";
    case SettingType::boolean:
      return "boolean";
    case SettingType::list:
      return "list";
    case SettingType::object:
      return "object";
  }
  return "unknown";
}

}  // namespace jobhost::config
