#include "config/env_expand.h"

#include <cstdlib>
#include <utility>

#include <fmt/format.h>

#include "config/file_text.h"
#include "config/yaml_walk.h"

namespace jobhost::config {

namespace {

constexpr std::string_view kFilePrefix = "file:";

bool is_name_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

bool is_valid_name(std::string_view name) {
  if (name.empty() || !is_name_start(name.front())) return false;
  for (char c : name) {
    if (!is_name_char(c)) return false;
  }
  return true;
}

std::string trim_trailing_newlines(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

Expansion read_secret_file(std::string_view path_text, const ExpansionContext& context) {
  if (path_text.empty()) return {.error = "${file:...} needs a file path"};
  std::filesystem::path path(path_text);
  if (path.is_relative()) path = context.base_dir / path;
  FileText file = read_file_text(path);
  if (!file.ok) {
    return {.error = fmt::format("cannot read secret file '{}': {}", path.string(), file.reason)};
  }
  return {.text = trim_trailing_newlines(std::move(file.text))};
}

// The text between `${` and `}`.
Expansion expand_reference(std::string_view reference, const ExpansionContext& context) {
  if (reference.starts_with(kFilePrefix)) {
    return read_secret_file(reference.substr(kFilePrefix.size()), context);
  }
  std::string_view name = reference;
  std::optional<std::string_view> fallback;
  if (const auto separator = reference.find(":-"); separator != std::string_view::npos) {
    name = reference.substr(0, separator);
    fallback = reference.substr(separator + 2);
  }
  if (!is_valid_name(name)) {
    return {.error = fmt::format(
                "'${{{}}}' is not a valid reference (use ${{NAME}}, ${{NAME:-default}} or "
                "${{file:/path}})",
                reference)};
  }
  std::optional<std::string> value =
      context.env ? context.env(std::string(name)) : process_environment()(std::string(name));
  if (fallback && (!value || value->empty())) return {.text = std::string(*fallback)};
  if (!value) {
    return {.error = fmt::format(
                "environment variable '{0}' is not set: set it where jobhost runs (the systemd "
                "service reads /etc/jobhost/environment) or give a default, ${{{0}:-value}}",
                name)};
  }
  return {.text = std::move(*value)};
}

}  // namespace

EnvLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Expansion expand_string(std::string_view text, const ExpansionContext& context) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t dollar = text.find('$', pos);
    if (dollar == std::string_view::npos) {
      out.append(text.substr(pos));
      break;
    }
    out.append(text.substr(pos, dollar - pos));
    const char next = dollar + 1 < text.size() ? text[dollar + 1] : '\0';
    if (next == '$') {
      out += '$';
      pos = dollar + 2;
    } else if (next == '{') {
      const std::size_t close = text.find('}', dollar + 2);
      if (close == std::string_view::npos) {
        return {.error = fmt::format("'${{' at character {} has no closing '}}'", dollar + 1)};
      }
      const std::string_view reference = text.substr(dollar + 2, close - dollar - 2);
      if (reference.find("${") != std::string_view::npos) {
        return {.error = fmt::format("'${{' at character {} contains another '${{': references "
                                     "cannot be nested",
                                     dollar + 1)};
      }
      Expansion expanded = expand_reference(reference, context);
      if (!expanded.error.empty()) return expanded;
      out += expanded.text;
      pos = close + 1;
    } else if (is_name_start(next)) {
      // Do not echo the name: this text may be a literal secret that happens to contain a '$'.
      return {.error = fmt::format("'$' at character {} is followed by a name: write ${{NAME}} "
                                   "to use a variable, or $$ for a literal '$'",
                                   dollar + 1)};
    } else {
      out += '$';
      pos = dollar + 1;
    }
  }
  return {.text = std::move(out)};
}

namespace {

void expand_node(YAML::Node node, const std::string& path, const ExpansionContext& context,
                 const std::string& file, std::vector<ConfigProblem>& problems,
                 std::vector<YAML::Node>& expanded_nodes, std::set<std::string>& failed_paths) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      for (auto it = node.begin(); it != node.end(); ++it) {
        const std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string("?");
        expand_node(it->second, child_path(path, key), context, file, problems, expanded_nodes,
                    failed_paths);
      }
      break;
    case YAML::NodeType::Sequence: {
      std::size_t index = 0;
      for (YAML::Node item : node) {
        expand_node(item, item_path(path, index++), context, file, problems, expanded_nodes,
                    failed_paths);
      }
    } break;
    case YAML::NodeType::Scalar: {
      if (node.Scalar().find('$') == std::string::npos) return;
      // An alias (*name) is the same node as its anchor: expanding it twice would turn `$$$$`
      // into `$`. Few scalars contain a '$', so a linear search is fine.
      for (const YAML::Node& done : expanded_nodes) {
        if (done.is(node)) return;
      }
      expanded_nodes.push_back(node);
      Expansion expanded = expand_string(node.Scalar(), context);
      if (expanded.error.empty()) {
        node = expanded.text;
      } else {
        problems.push_back(problem_at(file, node.Mark(), path, std::move(expanded.error)));
        failed_paths.insert(path);
      }
      break;
    }
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
  }
}

}  // namespace

std::set<std::string> expand_document(YAML::Node document, const ExpansionContext& context,
                                      const std::string& file,
                                      std::vector<ConfigProblem>& problems) {
  std::set<std::string> failed_paths;
  std::vector<YAML::Node> expanded_nodes;
  expand_node(document, "", context, file, problems, expanded_nodes, failed_paths);
  return failed_paths;
}

}  // namespace jobhost::config
