#pragma once

// Reads the host's own keys from a parsed (and already expanded) document, checking each against
// host_schema(): the one place that knows how table rows become HostConfig fields.

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/host_config.h"
#include "config/problem.h"

namespace jobhost::config {

struct HostReadContext {
  std::string file;                        // names the file in problems and plugin sections
  std::filesystem::path base_dir;          // absolute: relative paths are resolved against it
  std::set<std::string> unexpanded_paths;  // values already reported by expand_document
};

// Appends every problem found to `problems`; the returned config is complete (defaults filled in)
// but only meaningful when no problem was added. `source` is left for the caller to set.
HostConfig read_host_config(const YAML::Node& root, const HostReadContext& context,
                            std::vector<ConfigProblem>& problems);

}  // namespace jobhost::config
