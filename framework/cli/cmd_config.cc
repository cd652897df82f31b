// config check: every problem of a configuration file at once, including its plugins'
// sections (the plugins are opened to learn their settings, nothing is run or migrated).
#include <iostream>
#include <set>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/open_host.h"
#include "cli/output.h"
#include "config/loader.h"
#include "config/problem.h"
#include "host/plugin_candidates.h"

namespace jobhost::cli {

int config_check(const GlobalOptions&, const ConfigCheckOptions& o) {
  // The plugins' sections are checked even when the host's own keys have problems (with what
  // could be read of the file), so that every problem is reported at once.
  auto [cfg, problems] = config::check_config_file_partially(o.file);
  const bool host_keys_ok = problems.empty();
  std::vector<PluginRefusal> refusals;
  std::set<std::string> seen;
  for (auto& c : open_plugin_candidates(cfg, refusals)) {
    seen.insert(c.spec.name);
    std::string why;
    auto settings = validate_candidate_settings(cfg, c.spec, why);
    if (settings && !settings->ok())
      problems.insert(problems.end(), settings->problems.begin(), settings->problems.end());
    else if (!why.empty())
      refusals.push_back({c.file, why});
  }
  // With a problem in plugin_dirs or plugin_files the list of plugins is incomplete: a section
  // would look unused when its plugin is merely not found.
  if (host_keys_ok)
    for (auto& r : unused_plugin_sections(cfg, seen)) refusals.push_back(r);
  config::sort_by_position(problems);
  const bool ok = problems.empty() && refusals.empty();
  if (o.json) {
    nlohmann::json out = {{"file", o.file},
                          {"ok", ok},
                          {"problems", nlohmann::json::array()},
                          {"plugins_refused", nlohmann::json::array()}};
    for (const auto& p : problems)
      out["problems"].push_back({{"file", p.file},
                                 {"line", p.line},
                                 {"column", p.column},
                                 {"key", p.key_path},
                                 {"message", p.message},
                                 {"text", config::format_problem(p)}});
    for (const auto& r : refusals)
      out["plugins_refused"].push_back({{"file", r.file}, {"reason", r.reason}});
    print_json(out);
  } else if (ok) {
    std::cout << o.file << ": ok\n";
  } else {
    for (const auto& p : problems) std::cerr << config::format_problem(p) << "\n";
    for (const auto& r : refusals) std::cerr << r.file << ": plugin refused: " << r.reason << "\n";
    std::cerr << problems.size() + refusals.size() << " problem"
              << (problems.size() + refusals.size() == 1 ? "" : "s") << " found\n";
  }
  return ok ? kOk : kConfigInvalid;
}

}  // namespace jobhost::cli
