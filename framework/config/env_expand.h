#pragma once

// Expansion of `${...}` references in configuration strings:
//   ${NAME}             the environment variable NAME; an error when it is not set
//   ${NAME:-fallback}   NAME, or `fallback` when NAME is unset or empty
//   ${file:/run/x}      the content of a file (a secret), trailing newlines removed; relative
//                       paths are relative to the config file's directory
//   $$                  a literal `$`
// A `$` followed by a letter or `_` is an error (it is almost always a forgotten `{`); any other
// `$` is kept as it is, so `^abc$` needs no escaping. Expanded text is not expanded again.

#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/problem.h"

namespace jobhost::config {

// Looks up one environment variable; nullopt when it is not set. Injected so tests (and tools
// that check a config for another machine) do not depend on the real environment.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// getenv.
EnvLookup process_environment();

struct ExpansionContext {
  EnvLookup env;                   // empty: process_environment()
  std::filesystem::path base_dir;  // for relative ${file:...} paths
};

struct Expansion {
  std::string text;   // the expanded text, when error is empty
  std::string error;  // why it cannot be expanded; never contains a variable's or file's content
};

Expansion expand_string(std::string_view text, const ExpansionContext& context);

// Expands every scalar of `document` in place (keys excepted), keeping the marks. Each scalar
// that cannot be expanded is left as it was and reported; returns their key paths, so that a
// later type check does not report them a second time.
std::set<std::string> expand_document(YAML::Node document, const ExpansionContext& context,
                                      const std::string& file,
                                      std::vector<ConfigProblem>& problems);

}  // namespace jobhost::config
