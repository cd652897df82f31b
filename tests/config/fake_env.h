#pragma once

// An environment for ${NAME} expansion that lives in the test, not in the process.

#include <map>
#include <optional>
#include <string>

#include "config/env_expand.h"

namespace jobhost::config::testing {

inline EnvLookup fake_env(std::map<std::string, std::string> variables) {
  return [variables = std::move(variables)](const std::string& name) -> std::optional<std::string> {
    const auto found = variables.find(name);
    if (found == variables.end()) return std::nullopt;
    return found->second;
  };
}

// The error for a ${NAME} whose variable is missing (its exact text: env_expand_test).
inline std::string not_set(const std::string& name) {
  return "environment variable '" + name +
         "' is not set: set it where jobhost runs (the systemd service reads "
         "/etc/jobhost/environment) or give a default, ${" +
         name + ":-value}";
}

}  // namespace jobhost::config::testing
