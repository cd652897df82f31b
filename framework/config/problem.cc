#include "config/problem.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

namespace jobhost::config {

std::string format_position(const std::string& file, int line, int column) {
  return line > 0 ? fmt::format("{}:{}:{}", file, line, column) : file;
}

std::string format_problem(const ConfigProblem& problem) {
  std::string text = format_position(problem.file, problem.line, problem.column) + ": ";
  if (!problem.key_path.empty()) text += problem.key_path + ": ";
  text += problem.message;
  return text;
}

std::string format_problems(const std::vector<ConfigProblem>& problems) {
  std::string text;
  for (const ConfigProblem& problem : problems) {
    if (!text.empty()) text += '\n';
    text += format_problem(problem);
  }
  return text;
}

void sort_by_position(std::vector<ConfigProblem>& problems) {
  std::stable_sort(problems.begin(), problems.end(),
                   [](const ConfigProblem& a, const ConfigProblem& b) {
                     return std::pair(a.line, a.column) < std::pair(b.line, b.column);
                   });
}

ConfigError::ConfigError(std::vector<ConfigProblem> problems)
    : std::runtime_error(format_problems(problems)), problems_(std::move(problems)) {}

}  // namespace jobhost::config
