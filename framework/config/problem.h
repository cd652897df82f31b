#pragma once

// What is wrong with a configuration, where: the one error type every part of config/ reports.

#include <stdexcept>
#include <string>
#include <vector>

namespace jobhost::config {

// One problem in a configuration file. `line` and `column` are 1-based; 0 means the problem has
// no position (e.g. the file is missing). `key_path` names the setting, e.g.
// `store.busy_timeout_ms`, `plugin_dirs[2]`, `plugins.meraki.fabrics[0].name`; empty for
// problems with the document itself (syntax errors).
struct ConfigProblem {
  std::string file;
  int line = 0;
  int column = 0;
  std::string key_path;
  std::string message;

  bool operator==(const ConfigProblem&) const = default;
};

// `jobhost.yaml:14:5`, or the file alone when there is no position (line 0).
std::string format_position(const std::string& file, int line, int column);

// `jobhost.yaml:14:5: plugins.meraki.interval: must be >= 5`; the position and the key path are
// left out when there is none.
std::string format_problem(const ConfigProblem& problem);

// All problems, one per line, in the order given.
std::string format_problems(const std::vector<ConfigProblem>& problems);

// Orders problems as they appear in the file (problems without a position first); stable, so
// problems at the same place keep the order they were found in.
void sort_by_position(std::vector<ConfigProblem>& problems);

// Thrown when a configuration cannot be used; carries every problem found, not just the first.
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(std::vector<ConfigProblem> problems);

  const std::vector<ConfigProblem>& problems() const noexcept { return problems_; }

 private:
  std::vector<ConfigProblem> problems_;
};

}  // namespace jobhost::config
