#pragma once

// Loading the host's configuration file: read, parse, expand ${...} references, check every key
// against host_schema(), resolve relative paths. Every problem is reported, not just the first.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "config/env_expand.h"
#include "config/host_config.h"
#include "config/problem.h"

namespace jobhost::config {

struct LoadOptions {
  EnvLookup env;  // for ${NAME}; empty: the process environment
  // load/check_config_string only: the directory relative paths are resolved against (the
  // current directory when empty). Files use their own directory.
  std::filesystem::path base_dir;
};

// Throws ConfigError listing every problem (a missing file is one).
HostConfig load_config_file(const std::string& path, const LoadOptions& options = {});

// `display_name` names the text in problems and becomes HostConfig::source.
HostConfig load_config_string(std::string_view yaml_text, std::string_view display_name,
                              const LoadOptions& options = {});

// Every problem in the file, in file order; empty when the file can be loaded.
std::vector<ConfigProblem> check_config_file(const std::string& path,
                                             const LoadOptions& options = {});

// check_config_file, plus the configuration as far as it could be read (every key with a problem
// keeps its default): `jobhost config check` goes on with it to check the plugins' sections, so
// that it reports all problems at once, not the plugins' only after the host's are fixed.
struct ConfigCheck {
  HostConfig config;
  std::vector<ConfigProblem> problems;
};
ConfigCheck check_config_file_partially(const std::string& path, const LoadOptions& options = {});

std::vector<ConfigProblem> check_config_string(std::string_view yaml_text,
                                               std::string_view display_name,
                                               const LoadOptions& options = {});

}  // namespace jobhost::config
