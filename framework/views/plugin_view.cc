#include "views/plugin_view.h"

#include "config/plugin_settings.h"

namespace jobhost::views {

namespace {

nlohmann::json text_or_null(const std::string& s) {
  return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}

}  // namespace

nlohmann::json job_type_json(const plugin::JobTypeSpec& t) {
  nlohmann::json params = nlohmann::json::array();
  for (const auto& p : t.params)
    params.push_back({{"name", p.name},
                      {"type", plugin::value_type_name(p.type)},
                      {"required", p.required},
                      {"default", p.default_value ? nlohmann::json(*p.default_value) : nullptr},
                      {"description", p.description}});
  return {{"plugin", t.plugin},
          {"name", t.name},
          {"description", t.description},
          {"params", params},
          {"default_schedule", text_or_null(t.default_schedule)},
          {"singleton", t.singleton},
          {"key_param", text_or_null(t.key_param)},
          {"timeout_s", t.timeout_s},
          {"min_interval_s", t.min_interval_s},
          {"read_only", t.read_only},
          {"retry",
           {{"max_attempts", t.retry.max_attempts},
            {"backoff_s", t.retry.backoff_s},
            {"backoff_max_s", t.retry.backoff_max_s}}}};
}

nlohmann::json plugin_json(const plugin::LoadedPlugin& p) {
  nlohmann::json types = nlohmann::json::array();
  for (const auto& t : p.spec.job_types) types.push_back(job_type_json(t));
  return {{"name", p.spec.name},
          {"version", p.spec.version},
          {"description", p.spec.description},
          {"file", p.spec.file},
          {"sdk_version", p.spec.sdk_version},
          {"abi", std::to_string(p.spec.abi_major) + "." + std::to_string(p.spec.abi_minor)},
          {"job_types", types}};
}

nlohmann::json plugins_json(Host& host) {
  nlohmann::json out = {{"plugins", nlohmann::json::array()}, {"refused", nlohmann::json::array()}};
  for (const auto& p : host.plugins().plugins()) out["plugins"].push_back(plugin_json(*p));
  for (const auto& r : host.refusals())
    out["refused"].push_back({{"file", r.file}, {"reason", r.reason}});
  return out;
}

nlohmann::json settings_schema_json(const plugin::PluginSpec& spec) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : spec.settings) {
    out.push_back({{"path", s.path},
                   {"type", config::to_string(s.type)},
                   {"required", s.required},
                   {"default", s.default_value && !s.secret ? nlohmann::json(*s.default_value)
                                                            : nlohmann::json(nullptr)},
                   {"min", s.min ? nlohmann::json(*s.min) : nlohmann::json(nullptr)},
                   {"max", s.max ? nlohmann::json(*s.max) : nlohmann::json(nullptr)},
                   {"choices", s.choices},
                   {"description", s.description},
                   {"secret", s.secret}});
  }
  return out;
}

}  // namespace jobhost::views
