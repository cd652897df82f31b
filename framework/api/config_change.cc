#include "api/config_change.h"

#include <algorithm>

#include "api/replies.h"

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

// The reload's line about `plugin` refusing new settings, or "".
std::string refusal_in(const std::vector<std::string>& report, const std::string& plugin) {
  const std::string prefix = "plugin " + plugin + " ";
  for (const auto& line : report)
    if (line.rfind(prefix, 0) == 0 && (line.find("refused") != std::string::npos ||
                                       line.find("keeps its previous") != std::string::npos))
      return line;
  return "";
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
                      const std::string& plugin) {
  ConfigOverrideStore store(session);
  const auto before = store.list();
  store_change(store, change);
  const auto report = ctx.options.reload();
  if (plugin.empty()) return;
  const std::string refused = refusal_in(report, plugin);
  if (refused.empty()) return;
  store_change(store, undo_of(before, change));
  ctx.options.reload();
  throw ApiError(400, refused);
}

}  // namespace jobhost::api
