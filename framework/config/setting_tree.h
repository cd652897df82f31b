#pragma once

// A plugin's flat list of SettingSpecs (`fabrics[].sync_interval`) as the tree of maps and lists
// of maps it describes, checked once for consistency, with defaults already parsed.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/plugin_settings.h"

namespace jobhost::config {

struct SettingNode {
  enum class Kind {
    value,         // a leaf: `spec` says what it holds
    map,           // `children` are its keys
    list_of_maps,  // `children` are the keys of each item
  };

  std::string name;  // the key, without `[]`
  Kind kind = Kind::map;
  // value: its spec. map / list_of_maps: the spec describing the container itself, if any.
  const SettingSpec* spec = nullptr;
  std::optional<nlohmann::json> default_json;  // value only: spec->default_value, typed
  std::vector<SettingNode> children;

  const SettingNode* find(std::string_view key) const;
  std::vector<std::string> child_names() const;
  bool required() const { return spec != nullptr && spec->required; }
  bool secret() const { return spec != nullptr && spec->secret; }
};

// The root is the plugin's section (a map). Throws std::invalid_argument naming the plugin and
// the spec when the specs contradict each other or a default does not fit its spec.
SettingNode build_setting_tree(const std::vector<SettingSpec>& specs, std::string_view plugin_name);

}  // namespace jobhost::config
