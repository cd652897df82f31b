#include "config/loader.h"

#include <utility>

#include "config/file_text.h"
#include "config/host_reader.h"
#include "config/yaml_walk.h"

namespace jobhost::config {

namespace {

struct LoadResult {
  HostConfig config;
  std::vector<ConfigProblem> problems;
};

LoadResult load_text(const std::string& yaml_text, const std::string& file,
                     const std::filesystem::path& base_dir, const LoadOptions& options) {
  LoadResult result;
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& error) {
    // A syntax error hides everything after it: report it alone.
    result.problems.push_back(problem_at(file, error.mark, "", error.msg));
    return result;
  }
  const ExpansionContext expansion{.env = options.env, .base_dir = base_dir};
  HostReadContext context{.file = file, .base_dir = base_dir};
  context.unexpanded_paths = expand_document(root, expansion, file, result.problems);
  result.config = read_host_config(root, context, result.problems);
  result.config.source = file;
  sort_by_position(result.problems);
  return result;
}

std::filesystem::path directory_for_strings(const LoadOptions& options) {
  return std::filesystem::absolute(options.base_dir.empty() ? std::filesystem::current_path()
                                                            : options.base_dir);
}

LoadResult load_file(const std::string& path, const LoadOptions& options) {
  FileText file = read_file_text(path);
  if (!file.ok) {
    std::string message = file.missing ? "configuration file not found"
                                       : "cannot read configuration file: " + file.reason;
    // A relative path depends on the working directory, which is often not the one expected.
    if (std::filesystem::path(path).is_relative()) {
      message += " (looked for " + std::filesystem::absolute(path).string() + ")";
    }
    return {.problems = {ConfigProblem{.file = path, .message = message}}};
  }
  const std::filesystem::path directory = std::filesystem::absolute(path).parent_path();
  return load_text(file.text, path, directory, options);
}

HostConfig config_or_throw(LoadResult result) {
  if (!result.problems.empty()) throw ConfigError(std::move(result.problems));
  return std::move(result.config);
}

}  // namespace

HostConfig load_config_file(const std::string& path, const LoadOptions& options) {
  return config_or_throw(load_file(path, options));
}

HostConfig load_config_string(std::string_view yaml_text, std::string_view display_name,
                              const LoadOptions& options) {
  return config_or_throw(load_text(std::string(yaml_text), std::string(display_name),
                                   directory_for_strings(options), options));
}

std::vector<ConfigProblem> check_config_file(const std::string& path, const LoadOptions& options) {
  return load_file(path, options).problems;
}

ConfigCheck check_config_file_partially(const std::string& path, const LoadOptions& options) {
  LoadResult result = load_file(path, options);
  return {.config = std::move(result.config), .problems = std::move(result.problems)};
}

std::vector<ConfigProblem> check_config_string(std::string_view yaml_text,
                                               std::string_view display_name,
                                               const LoadOptions& options) {
  return load_text(std::string(yaml_text), std::string(display_name),
                   directory_for_strings(options), options)
      .problems;
}

}  // namespace jobhost::config
