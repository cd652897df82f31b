// plugins: what is loaded (with job types) and what was refused, and why.
#include <iostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/open_host.h"
#include "cli/output.h"
#include "plugin/plugin_spec.h"
#include "schedule/spec.h"
#include "views/plugin_view.h"

namespace jobhost::cli {

int list_plugins(const GlobalOptions& g, const PluginsOptions& o) {
  auto host = open_host(g);
  const auto& plugins = host->plugins().plugins();
  if (o.json) {
    print_json(views::plugins_json(*host));
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
                << (t.read_only ? "  [read-only query]" : "") << "\n";
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
