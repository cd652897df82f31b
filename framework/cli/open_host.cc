#include "cli/open_host.h"

#include <cstdlib>
#include <filesystem>
#include <string>

#include "cli/exit_codes.h"
#include "cli/output.h"
#include "config/loader.h"
#include "config/problem.h"
#include "core/logging.h"
#include "store/migrations.h"

namespace jobhost::cli {

std::string resolve_config_path(const GlobalOptions& g) {
  if (!g.config_file.empty()) return g.config_file;
  if (const char* env = std::getenv("JOBHOST_CONFIG"); env && *env) return env;
  std::error_code ec;
  if (std::filesystem::exists("jobhost.yaml", ec)) return "jobhost.yaml";
  return "";
}

config::HostConfig load_config(const GlobalOptions& g) {
  // Errors are JSON lines from the start when asked for on the command line.
  if (!g.log_format.empty()) set_json_errors(g.log_format == "json");
  const std::string path = resolve_config_path(g);
  config::HostConfig c;
  try {
    c = path.empty() ? config::default_host_config() : config::load_config_file(path);
  } catch (const config::ConfigError& e) {
    throw CliExit(kConfigInvalid, std::string("the configuration cannot be used:\n") + e.what() +
                                      "\n(check it with `jobhost config check " + path + "`)");
  }
  // Also on every reload (the daemon's reload reads the file through here): loggers already made,
  // the plugins' included, take the new levels.
  LogOptions log;
  log.level = g.log_level.empty() ? std::string(config::to_string(c.log.level)) : g.log_level;
  log.format = g.log_format.empty() ? std::string(config::to_string(c.log.format)) : g.log_format;
  log.target = config::to_string(c.log.target);
  // `--log-level` is one level for everything: the file's per-plugin levels give way to it too.
  if (g.log_level.empty()) {
    for (const auto& [plugin, level] : c.log.plugins)
      log.plugin_levels.emplace(plugin, config::to_string(level.level));
  }
  set_json_errors(log.format == "json");
  if (!configure_logging(log))
    throw CliExit(kUsage, "unknown log level '" + log.level +
                              "' (use trace, debug, info, warn, error or off)");
  return c;
}

namespace {

// A level in log.plugins for a plugin that never made a logger (not found, or refused before
// its init) has no effect: most likely a misspelt name. Said once the plugins are loaded.
void warn_about_unused_plugin_levels(const config::HostConfig& c) {
  for (const auto& [plugin, level] : c.log.plugins) {
    if (has_plugin_log(plugin)) continue;
    host_log()->warn("{}: log.plugins.{}: no plugin named '{}' is loaded; its level has no effect",
                     config::format_position(c.source, level.line, level.column), plugin, plugin);
  }
}

}  // namespace

std::unique_ptr<Host> open_host(const GlobalOptions& g, bool load_plugins) {
  auto c = load_config(g);
  try {
    HostOptions options;
    options.load_plugins = load_plugins;
    auto host = Host::open(c, options);
    if (load_plugins && g.log_level.empty()) warn_about_unused_plugin_levels(c);
    return host;
  } catch (const store::MigrationError& e) {
    throw CliExit(kStoreUnavailable,
                  std::string("the store's schema cannot be migrated: ") + e.what());
  } catch (const store::StoreError& e) {
    throw CliExit(kStoreUnavailable,
                  std::string(e.what()) +
                      "\n(check `store:` in the configuration, that the database is running and "
                      "that this user may write to it)");
  }
}

std::vector<std::pair<std::string, std::string>> parse_params(const std::vector<std::string>& raw) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& p : raw) {
    auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0)
      throw CliExit(kUsage, "--param '" + p + "' must look like name=value");
    out.emplace_back(p.substr(0, eq), p.substr(eq + 1));
  }
  return out;
}

}  // namespace jobhost::cli
