// The host's log: spdlog to stderr, as text for people or JSON lines for machines.
#pragma once

#include <memory>
#include <string>

#include <spdlog/logger.h>

namespace jobhost {

struct LogOptions {
  std::string level = "info";   // trace|debug|info|warn|error|off
  std::string format = "text";  // text|json
};

// Configures the default logger (call again to change it); returns false for an unknown level.
bool configure_logging(const LogOptions& options);
std::shared_ptr<spdlog::logger> host_log();
// A logger named after a plugin; its lines carry the plugin's name.
std::shared_ptr<spdlog::logger> plugin_log(const std::string& plugin);

}  // namespace jobhost
