// A plugin's settings: read (effective values, schema, overrides), change (validated like the
// YAML file, with the same messages), and reset to the YAML's value.
#include "api/config_change.h"
#include "api/replies.h"
#include "config/plugin_settings.h"
#include "host/plugin_candidates.h"
#include "services/context.h"
#include "views/plugin_view.h"

namespace jobhost::api {

namespace {

const config::SettingSpec* find_setting(const plugin::PluginSpec& spec, const std::string& path) {
  for (const auto& s : spec.settings)
    if (s.path == path) return &s;
  return nullptr;
}

nlohmann::json settings_json(ApiContext& ctx, const plugin::LoadedPlugin& p) {
  auto lease = ctx.sessions.lease();
  nlohmann::json overrides = nlohmann::json::array();
  for (const auto& o : ConfigOverrideStore(*lease).list()) {
    if (o.section != kPluginSection || o.name != p.spec.name) continue;
    auto j = o.to_json();
    if (const auto* s = find_setting(p.spec, o.path); s && s->secret) j["value"] = "***";
    overrides.push_back(j);
  }
  const auto values = p.runtime ? p.runtime->settings()->values : nlohmann::json::object();
  return {{"plugin", p.spec.name},
          {"settings", config::mask_secrets(values, p.spec.settings)},
          {"schema", views::settings_schema_json(p.spec)},
          {"overrides", overrides}};
}

std::string known_settings(const plugin::PluginSpec& spec) {
  std::string out;
  for (const auto& s : spec.settings)
    if (s.type != config::SettingType::object) out += (out.empty() ? "" : ", ") + s.path;
  return out;
}

// Checks the plugin's section as the next reload would read it, stores and applies it.
void change_settings(ApiContext& ctx, const plugin::LoadedPlugin& p, const ConfigChange& change) {
  std::lock_guard lock(ctx.change_mutex);
  auto lease = ctx.sessions.lease();
  const auto candidate = config_after(ctx, *lease, change);
  std::string why;
  auto checked = validate_candidate_settings(candidate, p.spec, why);
  if (!checked) throw ApiError(500, why);
  if (!checked->ok()) throw_problems(checked->problems);
  store_and_reload(ctx, *lease, change, &p, checked->settings);
}

web::Response patch_settings(ApiContext& ctx, const web::Request& req, const std::string& name) {
  const auto plugin_ref = find_loaded_plugin(ctx.host, name);
  const auto& p = *plugin_ref;
  const auto body = body_object(req);
  if (body.empty()) throw ApiError(400, "name at least one setting to change");
  ConfigChange change;
  for (const auto& [path, value] : body.items()) {
    const auto* spec = find_setting(p.spec, path);
    if (!spec || spec->type == config::SettingType::object)
      throw ApiError(400, "plugins." + name + "." + path + ": no such setting (settings of " +
                              name + ": " + known_settings(p.spec) + ")");
    ConfigOverride o;
    o.section = kPluginSection;
    o.name = name;
    o.path = path;
    o.value = value;
    o.updated_at = now_micros();
    o.updated_by = "http " + req.peer;
    // null: back to the YAML's value.
    (value.is_null() ? change.remove : change.put).push_back(std::move(o));
  }
  change_settings(ctx, p, change);
  return json_reply(settings_json(ctx, p));
}

web::Response reset_setting(ApiContext& ctx, const std::string& name, const std::string& path) {
  const auto plugin_ref = find_loaded_plugin(ctx.host, name);
  const auto& p = *plugin_ref;
  bool found = false;
  {
    auto lease = ctx.sessions.lease();
    for (const auto& o : ConfigOverrideStore(*lease).list())
      found = found || (o.section == kPluginSection && o.name == name && o.path == path);
  }
  if (!found)
    throw ApiError(404, "plugins." + name + "." + path +
                            " has no override: it already has the YAML file's value");
  ConfigChange change;
  change.remove.push_back({kPluginSection, name, path, nullptr, 0, ""});
  change_settings(ctx, p, change);
  return json_reply(settings_json(ctx, p));
}

}  // namespace

void add_settings_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/plugins/{name}/settings", Access::read,
             [&ctx](const auto&, const PathParams& p) {
               return json_reply(settings_json(ctx, *find_loaded_plugin(ctx.host, p.at("name"))));
             });
  router.add("PATCH", "/api/v1/plugins/{name}/settings", Access::change,
             [&ctx](const web::Request& req, const PathParams& p) {
               return patch_settings(ctx, req, p.at("name"));
             });
  router.add("DELETE", "/api/v1/plugins/{name}/settings/{path}", Access::change,
             [&ctx](const auto&, const PathParams& p) {
               return reset_setting(ctx, p.at("name"), p.at("path"));
             });
}

}  // namespace jobhost::api
