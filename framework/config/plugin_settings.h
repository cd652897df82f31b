#pragma once

// Checking a plugin's section of the config against the settings the plugin declares, once the
// plugin is loaded and its settings schema is known.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/host_config.h"
#include "config/problem.h"

namespace jobhost::config {

enum class SettingType {
  string,   // any scalar, as a JSON string
  integer,  // JSON integer
  number,   // JSON number
  boolean,  // JSON bool (true/false)
  list,     // a list of scalars (JSON types inferred); for a `name[]` path: a list of maps
  object,   // a map passed through as JSON; with settings below it (`name.x`): a checked map
};

struct SettingSpec {
  // Dotted path inside the plugin's section; a segment ending in `[]` is a list of maps, e.g.
  // `fabrics[].sync_interval`. A spec may also describe a container itself (`fabrics[]` with type
  // list, `auth` with type object) to make it required or to document it.
  std::string path;
  SettingType type = SettingType::string;
  bool required = false;
  std::optional<std::string> default_value;  // text form: "300", "true", "[a, b]" (YAML)
  std::optional<double> min, max;            // integer and number
  std::vector<std::string> choices;          // scalars (and list items): allowed values
  std::string description;
  bool secret = false;  // never shown: masked on display, never echoed in problems
};

struct ValidatedSettings {
  // Every setting that is set or has a default, typed; containers present even when empty.
  nlohmann::json settings = nlohmann::json::object();
  // `file:line:col: plugins.<name>.<path>: message`, in file order.
  std::vector<ConfigProblem> problems;

  bool ok() const { return problems.empty(); }
};

// Throws std::invalid_argument when `specs` themselves are inconsistent (a plugin bug: two specs
// for one path, a default that does not fit its type, a path both a value and a map, ...).
ValidatedSettings validate_plugin_settings(const PluginSection& section,
                                           std::string_view plugin_name,
                                           const std::vector<SettingSpec>& specs);

// `settings` with every secret's value (also inside lists of maps) replaced by "***".
nlohmann::json mask_secrets(const nlohmann::json& settings, const std::vector<SettingSpec>& specs);

// Indented JSON of mask_secrets(settings, specs), for status output and logs.
std::string render_settings_for_display(const nlohmann::json& settings,
                                        const std::vector<SettingSpec>& specs);

// "string", "integer", "number", "boolean", "list", "object".
std::string_view to_string(SettingType type);

}  // namespace jobhost::config
