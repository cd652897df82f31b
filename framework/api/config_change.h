// A configuration change over HTTP: checked against the YAML file as a reload would read it,
// with the stored overrides and this change laid over it; then stored, and applied by the
// daemon's own reload (so every host of the store applies it the same way, now and at every
// later start). A plugin that refuses its new settings gets its previous ones back.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/api_context.h"
#include "config/problem.h"
#include "host/config_overrides.h"

namespace jobhost::api {

struct ConfigChange {
  std::vector<ConfigOverride> put;
  std::vector<ConfigOverride> remove;  // section, name and path
};

// The configuration a reload would read once `change` is stored. ApiError 409 when the YAML
// file itself has problems now.
config::HostConfig config_after(ApiContext& ctx, store::Session& session,
                                const ConfigChange& change);

// {"path", "message"} of each problem, and the first one's text for the error message.
nlohmann::json problems_json(const std::vector<config::ConfigProblem>& problems);
[[noreturn]] void throw_problems(const std::vector<config::ConfigProblem>& problems);

// Stores the change and has the daemon reload (call with ctx.change_mutex held). With `plugin`:
// when the plugin does not run with `expected` settings after that reload (its reconfigure
// refused them), the change is undone, reloaded again, and ApiError 400 carries why.
void store_and_reload(ApiContext& ctx, store::Session& session, const ConfigChange& change,
                      const plugin::LoadedPlugin* plugin = nullptr,
                      const nlohmann::json& expected = nullptr);

}  // namespace jobhost::api
