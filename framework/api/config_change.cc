#include "api/config_change.h"

#include <algorithm>

#include "api/replies.h"
#include "services/context.h"

namespace jobhost::api {

namespace {

bool same_key(const ConfigOverride& a, const ConfigOverride& b) {
  return a.section == b.section && a.name == b.name && a.path == b.path;
}

std::vector<ConfigOverride> overrides_after(std::vector<ConfigOverride> stored,
                                            const ConfigChange& change) {
  auto gone = [&](const ConfigOverride& o) {
    return std::any_of(change.remove.begin(), change.remove.end(),
                       [&](const auto& r) { return same_key(o, r); }) ||
           std::any_of(change.put.begin(), change.put.end(),
                       [&](const auto& p) { return same_key(o, p); });
  };
  stored.erase(std::remove_if(stored.begin(), stored.end(), gone), stored.end());
  stored.insert(stored.end(), change.put.begin(), change.put.end());
  return stored;
}

void store_change(ConfigOverrideStore& store, const ConfigChange& change) {
  for (const auto& r : change.remove) store.remove(r.section, r.name, r.path);
  for (const auto& p : change.put) store.put(p);
}

// The change that gives back what `change` replaced.
ConfigChange undo_of(const std::vector<ConfigOverride>& before, const ConfigChange& change) {
  ConfigChange undo;
  auto previous = [&](const ConfigOverride& key) -> const ConfigOverride* {
    for (const auto& o : before)
      if (same_key(o, key)) return &o;
    return nullptr;
  };
  for (const auto* list : {&change.put, &change.remove})
    for (const auto& o : *list) {
      if (const auto* was = previous(o))
        undo.put.push_back(*was);
      else
        undo.remove.push_back(o);
    }
  return undo;
}

// Why `plugin` kept its previous settings, in the reload's own words: its report line about
// the plugin (which says why), or a plain statement when it has none.
std::string refusal_in(const std::vector<std::string>& report, const std::string& plugin) {
  const std::string prefix = "plugin " + plugin + " ";
  for (const auto& line : report)
    if (line.rfind(prefix, 0) == 0) return line;
  return "plugin " + plugin + " did not take the new settings in the reload";
}

}  // namespace

config::HostConfig config_after(ApiContext& ctx, store::Session& session,
                                const ConfigChange& change) {
  config::HostConfig yaml;
  try {
    yaml = ctx.options.load_config();
  } catch (const std::exception& e) {
    throw ApiError(409, std::string("the configuration file has problems now, so no change is "
                                    "accepted until it is fixed: ") +
                            e.what());
  }
  return with_overrides(std::move(yaml),
                        overrides_after(ConfigOverrideStore(session).list(), change));
}

nlohmann::json problems_json(const std::vector<config::ConfigProblem>& problems) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : problems) out.push_back({{"path", p.key_path}, {"message", p.message}});
  return out;
}

void throw_problems(const std::vector<config::ConfigProblem>& problems) {
  const auto& first = problems.front();
  throw ApiError(400, first.key_path + ": " + first.message, problems_json(problems));
}

void store_and_reload(ApiContext& ctx, store::Session& session, const ConfigChange& change,
                      const plugin::LoadedPlugin* plugin, const nlohmann::json& expected) {
  ConfigOverrideStore store(session);
  const auto before = store.list();
  store_change(store, change);
  const auto report = ctx.options.reload();
  // Whether the plugin took them is what it runs with now, not what the log says.
  if (!plugin || !plugin->runtime || plugin->runtime->settings()->values == expected) return;
  store_change(store, undo_of(before, change));
  ctx.options.reload();
  throw ApiError(400, refusal_in(report, plugin->spec.name));
}

}  // namespace jobhost::api
