// Job parameters checked against the job type's declared schema: unknown names, missing
// required ones and values of the wrong type are refused with the job type and parameter
// named; defaults are filled in. The result is typed JSON.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "plugin/plugin_spec.h"

namespace jobhost::jobs {

class ParamError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// From the command line's `--param name=value` pairs (values in text form).
nlohmann::json params_from_text(const plugin::JobTypeSpec& type,
                                const std::vector<std::pair<std::string, std::string>>& given);
// From a JSON object (the API); strings are accepted for numbers and booleans too.
nlohmann::json params_from_json(const plugin::JobTypeSpec& type, const nlohmann::json& given);

}  // namespace jobhost::jobs
