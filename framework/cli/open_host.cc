#include "cli/open_host.h"

#include <cstdlib>
#include <filesystem>

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
  LogOptions log;
  log.level = g.log_level.empty() ? std::string(config::to_string(c.log.level)) : g.log_level;
  log.format = g.log_format.empty() ? std::string(config::to_string(c.log.format)) : g.log_format;
  set_json_errors(log.format == "json");
  if (!configure_logging(log))
    throw CliExit(kUsage, "unknown log level '" + log.level +
                              "' (use trace, debug, info, warn, error or off)");
  return c;
}

std::unique_ptr<Host> open_host(const GlobalOptions& g, bool load_plugins) {
  auto c = load_config(g);
  try {
    HostOptions options;
    options.load_plugins = load_plugins;
    return Host::open(c, options);
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
