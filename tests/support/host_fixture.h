// Opening a real Host for a test: a config written as YAML (as a user would), a fresh store
// (SQLite file or PostgreSQL database) and the test plugins by file.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "host/host.h"
#include "support/store_params.h"

namespace jobhost::testing {

// build/test-plugins/<name>.so
std::string test_plugin(const std::string& name);
// build/lib/jobhost/plugins/<name>.so (the example and the real plugins)
std::string built_plugin(const std::string& name);

struct HostSetup {
  StoreTarget store;
  std::vector<std::string> plugin_files;
  std::vector<std::string> plugin_dirs;  // written only when not empty
  std::string host_name = "test-host";
  int workers = 4;
  bool event_log = true;
  std::string plugins_yaml;  // the `plugins:` section's body, indented by two spaces
  // The `http:` section's body: tests run many daemons at once, so any free port by default.
  std::string http_yaml = "  port: 0\n";
};

// The YAML text of a configuration for `setup`.
std::string host_yaml(const HostSetup& setup);
// Writes host_yaml to a file in `dir` and returns its path (for CLI tests).
std::string write_host_config(const HostSetup& setup, const std::string& dir);
std::unique_ptr<Host> open_test_host(const HostSetup& setup);

// The first refusal whose file ends with `file_suffix`, or "" when none.
std::string refusal_for(const Host& host, const std::string& file_suffix);

}  // namespace jobhost::testing
