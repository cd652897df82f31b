#pragma once

// One plugin setting's value checked against its SettingSpec and turned into typed JSON; used for
// values from the config file and for the plugin's own defaults alike.

#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "config/plugin_settings.h"
#include "config/problem.h"
#include "config/yaml_walk.h"

namespace jobhost::config {

struct SettingProblems {
  const std::string& file;
  std::vector<ConfigProblem>& problems;

  void report(Position position, std::string path, std::string message) {
    problems.push_back(problem_at(file, position, std::move(path), std::move(message)));
  }
};

// `value` is not null (an empty value counts as unset and never reaches here). `position` is the
// value's; list items are reported at their own positions under `path[i]`.
std::optional<nlohmann::json> check_setting_value(const SettingSpec& spec, const YAML::Node& value,
                                                  Position position, const std::string& path,
                                                  SettingProblems& problems);

}  // namespace jobhost::config
