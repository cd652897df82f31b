#include "meraki_settings.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace mks {

const char* to_string(Mode mode) {
  switch (mode) {
    case Mode::auto_apply:
      return "auto";
    case Mode::review:
      return "review";
    case Mode::dry_run:
      return "dry_run";
  }
  return "?";
}

Mode mode_from(const std::string& text) {
  if (text == "auto") return Mode::auto_apply;
  if (text == "review") return Mode::review;
  if (text == "dry_run") return Mode::dry_run;
  throw std::invalid_argument("mode '" + text + "' is not one of auto, review, dry_run");
}

MerakiSettings read_settings(const jobhost::Context& ctx) {
  MerakiSettings s;
  s.api_key = ctx.setting_or<std::string>("api_key", "");
  s.base_url = ctx.setting_or<std::string>("base_url", s.base_url);
  while (!s.base_url.empty() && s.base_url.back() == '/') s.base_url.pop_back();
  s.legacy_auth_header = ctx.setting_or<std::string>("auth_header", "bearer") == "legacy";
  // The list comes as JSON text; ids may be written as numbers in YAML.
  const auto all = nlohmann::json::parse(ctx.settings_json(), nullptr, false);
  if (all.is_object())
    if (auto orgs = all.find("organizations"); orgs != all.end() && orgs->is_array())
      for (const auto& o : *orgs)
        s.organizations.push_back(o.is_string() ? o.get<std::string>() : o.dump());
  s.enable_scheduled_sync = ctx.setting_or<bool>("enable_scheduled_sync", false);
  s.sync_interval_minutes = ctx.setting_or<int64_t>("sync_interval_minutes", 60);
  s.scheduled_sync_mode = mode_from(ctx.setting_or<std::string>("scheduled_sync_mode", "review"));
  s.rate_limit_per_s = ctx.setting_or<double>("rate_limit_per_s", 10);
  s.rate_limit_burst = ctx.setting_or<double>("rate_limit_burst", 10);
  s.retry_429 = static_cast<uint32_t>(ctx.setting_or<int64_t>("retry_429", 20));
  s.timeout = std::chrono::milliseconds(
      static_cast<int64_t>(ctx.setting_or<double>("timeout_s", 60) * 1000));
  s.connect_timeout = std::chrono::milliseconds(
      static_cast<int64_t>(ctx.setting_or<double>("connect_timeout_s", 10) * 1000));
  s.ca_file = ctx.setting_or<std::string>("ca_file", "");
  s.max_in_flight = static_cast<uint32_t>(ctx.setting_or<int64_t>("max_in_flight", 8));
  return s;
}

}  // namespace mks
