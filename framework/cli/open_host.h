// Shared start of the commands: find and load the configuration, set up logging, open the
// host. Failures become CliExit with the right exit code and a message that says what to do.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "cli/commands.h"
#include "config/host_config.h"
#include "host/host.h"

namespace jobhost::cli {

// Ends a command with an exit code; main prints the message (if any) as "error: ...".
class CliExit : public std::runtime_error {
 public:
  CliExit(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

// --config, else $JOBHOST_CONFIG, else ./jobhost.yaml if present, else "" (built-in defaults).
std::string resolve_config_path(const GlobalOptions& g);
config::HostConfig load_config(const GlobalOptions& g);
std::unique_ptr<Host> open_host(const GlobalOptions& g, bool load_plugins = true);

// "name=value" -> pair; throws CliExit(kUsage) naming the bad argument.
std::vector<std::pair<std::string, std::string>> parse_params(const std::vector<std::string>& raw);

}  // namespace jobhost::cli
