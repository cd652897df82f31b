// plugins: what is loaded (with job types) and what was refused, and why.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/open_host.h"
#include "cli/output.h"
#include "plugin/plugin_spec.h"
#include "schedule/spec.h"

namespace jobhost::cli {

namespace {

nlohmann::json job_type_json(const plugin::JobTypeSpec& t) {
  nlohmann::json params = nlohmann::json::array();
  for (const auto& p : t.params)
    params.push_back({{"name", p.name},
                      {"type", plugin::value_type_name(p.type)},
                      {"required", p.required},
                      {"default", p.default_value ? nlohmann::json(*p.default_value) : nullptr},
                      {"description", p.description}});
  return {
      {"name", t.name},
      {"description", t.description},
      {"params", params},
      {"default_schedule",
       t.default_schedule.empty() ? nlohmann::json(nullptr) : nlohmann::json(t.default_schedule)},
      {"singleton", t.singleton},
      {"key_param", t.key_param.empty() ? nlohmann::json(nullptr) : nlohmann::json(t.key_param)},
      {"timeout_s", t.timeout_s},
      {"min_interval_s", t.min_interval_s},
      {"retry",
       {{"max_attempts", t.retry.max_attempts},
        {"backoff_s", t.retry.backoff_s},
        {"backoff_max_s", t.retry.backoff_max_s}}}};
}

}  // namespace

int list_plugins(const GlobalOptions& g, const PluginsOptions& o) {
  auto host = open_host(g);
  const auto& plugins = host->plugins().plugins();
  if (o.json) {
    nlohmann::json out = {{"plugins", nlohmann::json::array()},
                          {"refused", nlohmann::json::array()}};
    for (const auto& p : plugins) {
      nlohmann::json types = nlohmann::json::array();
      for (const auto& t : p->spec.job_types) types.push_back(job_type_json(t));
      out["plugins"].push_back(
          {{"name", p->spec.name},
           {"version", p->spec.version},
           {"description", p->spec.description},
           {"file", p->spec.file},
           {"sdk_version", p->spec.sdk_version},
           {"abi", std::to_string(p->spec.abi_major) + "." + std::to_string(p->spec.abi_minor)},
           {"job_types", types}});
    }
    for (const auto& r : host->refusals())
      out["refused"].push_back({{"file", r.file}, {"reason", r.reason}});
    print_json(out);
    return kOk;
  }
  if (plugins.empty()) std::cout << "no plugins loaded (plugin_dirs: see the configuration)\n";
  for (const auto& p : plugins) {
    std::cout << p->spec.name << " " << p->spec.version << "  (ABI " << p->spec.abi_major << "."
              << p->spec.abi_minor << ", " << p->spec.file << ")\n";
    if (!p->spec.description.empty()) std::cout << "  " << p->spec.description << "\n";
    for (const auto& t : p->spec.job_types) {
      std::cout << "  " << t.name
                << (t.singleton
                        ? "  [singleton" +
                              (t.key_param.empty() ? std::string("]") : " per " + t.key_param + "]")
                        : "")
                << (t.min_interval_s
                        ? "  [at most every " +
                              schedule::duration_text(t.min_interval_s * 1000000LL) + "]"
                        : "")
                << "\n";
      if (!t.description.empty()) std::cout << "      " << t.description << "\n";
      for (const auto& prm : t.params)
        std::cout << "      --param " << prm.name << "=<" << plugin::value_type_name(prm.type)
                  << ">" << (prm.required ? " (required)" : "")
                  << (prm.default_value ? " (default " + *prm.default_value + ")" : "")
                  << (prm.description.empty() ? "" : "  " + prm.description) << "\n";
    }
  }
  if (!host->refusals().empty()) {
    std::cout << "\nrefused:\n";
    for (const auto& r : host->refusals()) std::cout << "  " << r.file << ": " << r.reason << "\n";
  }
  return kOk;
}

}  // namespace jobhost::cli
