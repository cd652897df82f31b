#include "config/setting_value.h"

#include <utility>

#include "config/value_checks.h"

namespace jobhost::config {

namespace {

// "must be one of: ..." when `text` is not among the spec's choices (if it has any).
bool passes_choices(const SettingSpec& spec, const std::string& text, Position position,
                    const std::string& path, SettingProblems& problems) {
  if (spec.choices.empty()) return true;
  std::string error = check_choice(text, spec.choices);
  if (error.empty()) return true;
  problems.report(position, path, std::move(error));
  return false;
}

template <typename T>
std::optional<nlohmann::json> checked_to_json(Checked<T> checked, Position position,
                                              const std::string& path, SettingProblems& problems) {
  if (checked.ok()) return nlohmann::json(*checked.value);
  problems.report(position, path, std::move(checked.error));
  return std::nullopt;
}

std::optional<nlohmann::json> check_scalar(const SettingSpec& spec, const YAML::Node& value,
                                           Position position, const std::string& path,
                                           SettingProblems& problems) {
  const std::string& text = value.Scalar();
  std::optional<nlohmann::json> result;
  switch (spec.type) {
    case SettingType::string:
      result = nlohmann::json(text);
      break;
    case SettingType::integer:
      result = checked_to_json(check_integer(text, spec.min, spec.max), position, path, problems);
      break;
    case SettingType::number:
      result = checked_to_json(check_number(text, spec.min, spec.max), position, path, problems);
      break;
    case SettingType::boolean:
      result = checked_to_json(check_boolean(text), position, path, problems);
      break;
    case SettingType::list:
    case SettingType::object:
      break;
  }
  // The type first: "must be an integer" says more than a list of choices.
  if (!result || !passes_choices(spec, text, position, path, problems)) return std::nullopt;
  return result;
}

std::optional<nlohmann::json> check_list(const SettingSpec& spec, const YAML::Node& value,
                                         const std::string& path, SettingProblems& problems) {
  nlohmann::json items = nlohmann::json::array();
  bool all_valid = true;
  std::size_t index = 0;
  for (const YAML::Node& item : value) {
    const std::string path_of_item = item_path(path, index++);
    const Position position = position_of(item.Mark());
    if (item.IsNull()) {
      problems.report(position, path_of_item, "must not be empty");
      all_valid = false;
    } else if (!item.IsScalar()) {
      problems.report(position, path_of_item, "must be a single value, not a list or map");
      all_valid = false;
    } else if (passes_choices(spec, item.Scalar(), position, path_of_item, problems)) {
      items.push_back(yaml_to_json(item));
    } else {
      all_valid = false;
    }
  }
  if (!all_valid) return std::nullopt;
  return items;
}

// The message for a value of the wrong shape (a list where a number was expected, ...).
const char* must_be(SettingType type) {
  switch (type) {
    case SettingType::string:
      return "must be a string";
    case SettingType::integer:
      return "must be an integer";
    case SettingType::number:
      return "must be a number";
    case SettingType::boolean:
      return "must be true or false";
    case SettingType::list:
      return "must be a list";
    case SettingType::object:
      return "must be a map";
  }
  return "has the wrong type";
}

}  // namespace

std::optional<nlohmann::json> check_setting_value(const SettingSpec& spec, const YAML::Node& value,
                                                  Position position, const std::string& path,
                                                  SettingProblems& problems) {
  switch (spec.type) {
    case SettingType::list:
      if (value.IsSequence()) return check_list(spec, value, path, problems);
      break;
    case SettingType::object:
      if (value.IsMap()) return yaml_to_json(value);
      break;
    case SettingType::string:
    case SettingType::integer:
    case SettingType::number:
    case SettingType::boolean:
      if (value.IsScalar()) return check_scalar(spec, value, position, path, problems);
      break;
  }
  problems.report(position, path, must_be(spec.type));
  return std::nullopt;
}

}  // namespace jobhost::config
