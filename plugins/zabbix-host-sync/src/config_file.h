// The import file of zabbix.import_host_configs: desired HostConfigs as YAML or JSON, either a
// list or a map with a `host_configs:` list. Every problem is reported, each naming the entry,
// the field and the file position.
#pragma once

#include <string>
#include <vector>

#include "desired_config.h"

namespace zhs {

struct ConfigFileResult {
  std::vector<HostConfig> configs;
  std::vector<std::string> errors;  // "FILE:LINE:COL: host_configs[3] (sw-1): status: ..."
};

// Reads and validates `path`. A file that cannot be read or parsed is one error.
ConfigFileResult read_config_file(const std::string& path);
// The same for text already in memory; `name` stands for the file in messages.
ConfigFileResult parse_config_text(const std::string& text, const std::string& name);

}  // namespace zhs
