// Plugins and job types as JSON: `jobhost plugins --json` and /api/v1/plugins, /job-types.
#pragma once

#include <nlohmann/json.hpp>

#include "host/host.h"
#include "plugin/registry.h"

namespace jobhost::views {

nlohmann::json job_type_json(const plugin::JobTypeSpec& type);
// One loaded plugin, with its job types.
nlohmann::json plugin_json(const plugin::LoadedPlugin& plugin);
// {"plugins": [...], "refused": [{"file", "reason"}]}
nlohmann::json plugins_json(Host& host);
// A plugin's settings schema: [{"path", "type", "required", "default", "min", "max", "choices",
// "description", "secret"}].
nlohmann::json settings_schema_json(const plugin::PluginSpec& spec);

}  // namespace jobhost::views
