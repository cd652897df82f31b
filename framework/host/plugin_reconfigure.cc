// A reload's new plugin settings: each loaded plugin whose section of the YAML changed gets
// them through its reconfigure callback (ABI 1.2). Anything that goes wrong keeps the plugin
// on its previous settings, so a bad edit never takes a working plugin down.
#include "core/logging.h"
#include "host/host.h"
#include "host/plugin_candidates.h"
#include "services/context.h"

namespace jobhost {

std::vector<std::string> Host::reconfigure_plugins(const config::HostConfig& config) {
  std::vector<std::string> report;
  auto note = [&](bool error, std::string line) {
    if (error)
      host_log()->error("{}", line);
    else
      host_log()->info("{}", line);
    report.push_back(std::move(line));
  };
  // The YAML's `schedules:` may have changed even where a plugin's settings did not: every
  // plugin's schedule calls from now on (this reconfigure, runs) defer to the new one.
  const auto host_config = std::make_shared<const config::HostConfig>(config);
  for (const auto& loaded : registry_.plugins()) {
    if (!loaded->initialized || !loaded->runtime) continue;
    const auto& spec = loaded->spec;
    auto& runtime = *loaded->runtime;
    runtime.set_host_config(host_config);
    std::string why;
    auto settings = validate_candidate_settings(config, spec, why);
    if (!why.empty()) {
      note(true, "plugin " + spec.name + " keeps its previous settings: " + why);
      continue;
    }
    auto previous = runtime.settings();
    if (settings->settings == previous->values) continue;
    if (!spec.reconfigure) {
      note(true, "plugin " + spec.name +
                     " keeps its previous settings: it cannot take new ones while running (it "
                     "has no reconfigure callback, ABI 1.2); restart jobhost to apply them");
      continue;
    }
    runtime.set_settings(services::SettingsSnapshot::of(std::move(settings->settings)));
    services::Context& ctx = *runtime.context;
    ctx.refresh_settings();
    ctx.report({});
    jh_status s = JH_ERROR;
    try {
      s = spec.reconfigure(spec.user_data, services::host_api(), ctx.handle());
    } catch (...) {
      ctx.report("an exception escaped the plugin's reconfigure function");
    }
    if (s == JH_OK) {
      note(false, "plugin " + spec.name + ": new settings applied");
      continue;
    }
    runtime.set_settings(previous);
    ctx.refresh_settings();
    const auto& msg = ctx.reported();
    note(true, "plugin " + spec.name + " refused its new settings and keeps the previous ones: " +
                   (msg && !msg->empty() ? *msg
                                         : "reconfigure returned status " + std::to_string(s) +
                                               " without a message"));
  }
  return report;
}

}  // namespace jobhost
