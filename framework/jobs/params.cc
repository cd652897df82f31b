#include "jobs/params.h"

#include <charconv>
#include <cmath>
#include <map>

namespace jobhost::jobs {

namespace {

using plugin::ValueType;

// Parses the text form of a value of `type`; nullopt-like failure via the bool.
bool parse_text(ValueType type, const std::string& text, nlohmann::json& out) {
  switch (type) {
    case ValueType::integer: {
      int64_t v = 0;
      auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || p != text.data() + text.size() || text.empty()) return false;
      out = v;
      return true;
    }
    case ValueType::number: {
      try {
        size_t used = 0;
        double v = std::stod(text, &used);
        if (used != text.size() || !std::isfinite(v)) return false;
        out = v;
        return true;
      } catch (...) {
        return false;
      }
    }
    case ValueType::boolean:
      if (text == "true" || text == "yes" || text == "1" || text == "on") {
        out = true;
        return true;
      }
      if (text == "false" || text == "no" || text == "0" || text == "off") {
        out = false;
        return true;
      }
      return false;
    default:
      out = text;
      return true;
  }
}

const char* expectation(ValueType t) {
  switch (t) {
    case ValueType::integer:
      return "an integer";
    case ValueType::number:
      return "a number";
    case ValueType::boolean:
      return "true or false";
    default:
      return "text";
  }
}

std::string known_names(const plugin::JobTypeSpec& type) {
  if (type.params.empty()) return "it takes no parameters";
  std::string s = "it takes: ";
  for (size_t i = 0; i < type.params.size(); ++i) s += (i ? ", " : "") + type.params[i].name;
  return s;
}

// Shared by both entry points: `given` holds raw values (JSON), checked and completed here.
nlohmann::json complete(const plugin::JobTypeSpec& type,
                        const std::map<std::string, nlohmann::json>& given) {
  std::vector<std::string> problems;
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, value] : given) {
    const plugin::ParamSpec* spec = type.find_param(name);
    if (!spec) {
      problems.push_back("unknown parameter '" + name + "' (" + known_names(type) + ")");
      continue;
    }
    nlohmann::json typed;
    bool ok = false;
    if (value.is_string()) {
      ok = parse_text(spec->type, value.get<std::string>(), typed);
    } else if (spec->type == ValueType::integer && value.is_number_integer()) {
      typed = value;
      ok = true;
    } else if (spec->type == ValueType::number && value.is_number()) {
      typed = value.get<double>();
      ok = true;
    } else if (spec->type == ValueType::boolean && value.is_boolean()) {
      typed = value;
      ok = true;
    } else if (spec->type == ValueType::string && (value.is_number() || value.is_boolean())) {
      typed = value.dump();
      ok = true;
    }
    if (!ok) {
      problems.push_back("parameter '" + name + "' must be " + expectation(spec->type) + ", got " +
                         (value.is_string() ? "'" + value.get<std::string>() + "'" : value.dump()));
      continue;
    }
    out[name] = typed;
  }
  for (const auto& spec : type.params) {
    if (out.contains(spec.name) || given.count(spec.name)) continue;
    if (spec.default_value) {
      nlohmann::json typed;
      if (!parse_text(spec.type, *spec.default_value, typed))
        problems.push_back("the plugin's default for parameter '" + spec.name + "' ('" +
                           *spec.default_value + "') is not " + expectation(spec.type));
      else
        out[spec.name] = typed;
    } else if (spec.required) {
      problems.push_back("parameter '" + spec.name + "' is required" +
                         (spec.description.empty() ? "" : " (" + spec.description + ")"));
    }
  }
  if (!problems.empty()) {
    std::string message = "job type " + type.name + ": ";
    for (size_t i = 0; i < problems.size(); ++i) message += (i ? "; " : "") + problems[i];
    throw ParamError(message);
  }
  return out;
}

}  // namespace

nlohmann::json params_from_text(const plugin::JobTypeSpec& type,
                                const std::vector<std::pair<std::string, std::string>>& given) {
  std::map<std::string, nlohmann::json> raw;
  for (const auto& [k, v] : given) {
    if (raw.count(k))
      throw ParamError("job type " + type.name + ": parameter '" + k + "' is given twice");
    raw[k] = v;
  }
  return complete(type, raw);
}

nlohmann::json params_from_json(const plugin::JobTypeSpec& type, const nlohmann::json& given) {
  if (given.is_null()) return complete(type, {});
  if (!given.is_object())
    throw ParamError("job type " + type.name + ": parameters must be a JSON object");
  std::map<std::string, nlohmann::json> raw;
  for (const auto& [k, v] : given.items()) raw[k] = v;
  return complete(type, raw);
}

}  // namespace jobhost::jobs
