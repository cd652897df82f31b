#pragma once

// Walking a parsed YAML document while knowing where one is: key paths for messages, marks turned
// into 1-based positions, map entries with duplicate keys reported.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "config/problem.h"

namespace jobhost::config {

// "store" + "path" -> "store.path"; "" + "workers" -> "workers".
std::string child_path(std::string_view parent, std::string_view key);

// "plugin_dirs" + 2 -> "plugin_dirs[2]".
std::string item_path(std::string_view parent, std::size_t index);

// A 1-based position; {0, 0} for none.
struct Position {
  int line = 0;
  int column = 0;
};

// yaml-cpp marks are 0-based, and null when the parser had no position (an empty document).
Position position_of(const YAML::Mark& mark);

// A problem at a yaml-cpp mark (0-based; a null mark gives a problem without a position).
ConfigProblem problem_at(const std::string& file, const YAML::Mark& mark, std::string key_path,
                         std::string message);

ConfigProblem problem_at(const std::string& file, Position position, std::string key_path,
                         std::string message);

struct MapEntry {
  std::string key;
  YAML::Mark key_mark;
  YAML::Node value;

  // Where a problem with the value is reported: the value itself, or the key when the value is
  // empty (yaml-cpp marks an empty value at the next token, often on a later line).
  YAML::Mark value_mark() const;
};

// The entries of `map` in file order. A repeated key or a key that is not a plain scalar is
// reported and skipped (yaml-cpp would silently use the first of two equal keys).
std::vector<MapEntry> map_entries(const YAML::Node& map, const std::string& file,
                                  std::string_view path, std::vector<ConfigProblem>& problems);

// YAML as JSON for values nobody declared a type for: quoted scalars are strings; plain scalars
// become booleans, integers or numbers when they read as one, else strings; empty values null.
nlohmann::json yaml_to_json(const YAML::Node& node);

}  // namespace jobhost::config
