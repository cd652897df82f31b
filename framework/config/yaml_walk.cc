#include "config/yaml_walk.h"

#include <map>
#include <utility>

#include <fmt/format.h>

#include "config/value_checks.h"

namespace jobhost::config {

std::string child_path(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return fmt::format("{}.{}", parent, key);
}

std::string item_path(std::string_view parent, std::size_t index) {
  return fmt::format("{}[{}]", parent, index);
}

Position position_of(const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0) return {};
  return {.line = mark.line + 1, .column = mark.column + 1};
}

ConfigProblem problem_at(const std::string& file, const YAML::Mark& mark, std::string key_path,
                         std::string message) {
  return problem_at(file, position_of(mark), std::move(key_path), std::move(message));
}

ConfigProblem problem_at(const std::string& file, Position position, std::string key_path,
                         std::string message) {
  return {.file = file,
          .line = position.line,
          .column = position.column,
          .key_path = std::move(key_path),
          .message = std::move(message)};
}

YAML::Mark MapEntry::value_mark() const {
  if (!value || value.IsNull() || value.Mark().is_null()) return key_mark;
  return value.Mark();
}

std::vector<MapEntry> map_entries(const YAML::Node& map, const std::string& file,
                                  std::string_view path, std::vector<ConfigProblem>& problems) {
  std::vector<MapEntry> entries;
  std::map<std::string, int, std::less<>> first_line;  // key -> 1-based line of its first use
  for (auto it = map.begin(); it != map.end(); ++it) {
    // A copy: `it->first` lives in a proxy that dies at the end of this statement.
    const YAML::Node key = it->first;
    if (!key.IsScalar()) {
      problems.push_back(
          problem_at(file, key.Mark(), std::string(path), "keys must be plain names"));
      continue;
    }
    const std::string& name = key.Scalar();
    if (const auto seen = first_line.find(name); seen != first_line.end()) {
      problems.push_back(
          problem_at(file, key.Mark(), child_path(path, name),
                     fmt::format("duplicate key (first set on line {})", seen->second)));
      continue;
    }
    first_line.emplace(name, key.Mark().line + 1);
    entries.push_back({.key = name, .key_mark = key.Mark(), .value = it->second});
  }
  return entries;
}

nlohmann::json yaml_to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      nlohmann::json object = nlohmann::json::object();
      for (auto it = node.begin(); it != node.end(); ++it) {
        // Keys are reported by map_entries when a schema walks the map; here, first one wins.
        const std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string("?");
        if (!object.contains(key)) object[key] = yaml_to_json(it->second);
      }
      return object;
    }
    case YAML::NodeType::Sequence: {
      nlohmann::json array = nlohmann::json::array();
      for (const YAML::Node& item : node) array.push_back(yaml_to_json(item));
      return array;
    }
    case YAML::NodeType::Scalar: {
      const std::string& text = node.Scalar();
      if (node.Tag() == "!") return text;  // quoted: the author said "string"
      if (const auto boolean = check_boolean(text); boolean.ok()) return *boolean.value;
      if (const auto integer = check_integer(text, {}, {}); integer.ok()) return *integer.value;
      if (const auto number = check_number(text, {}, {}); number.ok()) return *number.value;
      return text;
    }
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
  }
  return nullptr;
}

}  // namespace jobhost::config
