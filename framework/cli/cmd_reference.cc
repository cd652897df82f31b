// config reference: every key of the host's configuration, generated from the table the validator
// is driven by (config/host_schema.cc), so the reference cannot list a key the validator does not
// know, or miss one it does. docs/config-reference.md is this command's output; a test fails
// when the two differ.
#include <algorithm>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/open_host.h"
#include "cli/output.h"
#include "config/host_schema.h"
#include "host/plugin_candidates.h"
#include "views/plugin_view.h"

namespace jobhost::cli {

namespace {

constexpr std::string_view kRegenerate =
    "build/bin/jobhost config reference > docs/config-reference.md";

std::string code(std::string_view text) {
  return "`" + std::string(text) + "`";
}

std::string number_text(double n) {
  std::ostringstream s;
  s << n;
  return s.str();
}

// "1 to 3600", ">= 0", "`a`, `b`", "" for keys without a range.
std::string allowed_text(const config::HostKey& key) {
  if (!key.choices.empty()) {
    std::string out;
    for (const auto& c : key.choices) out += (out.empty() ? "" : ", ") + code(c);
    return out;
  }
  if (key.min && key.max) return std::to_string(*key.min) + " to " + std::to_string(*key.max);
  if (key.min) return ">= " + std::to_string(*key.min);
  if (key.max) return "<= " + std::to_string(*key.max);
  return "";
}

std::string default_text(const config::HostKey& key) {
  return key.default_value ? code(*key.default_value) : "(not set)";
}

// `value_yaml` at `path`, as it is written in the file: "store:\n  path: x".
std::string example_yaml(std::string_view path, std::string_view value_yaml) {
  std::string out;
  std::string indent;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = path.find('.', start);
    const std::string_view segment =
        path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    out += indent + std::string(segment) + ":";
    if (dot == std::string_view::npos) break;
    out += "\n";
    indent += "  ";
    start = dot + 1;
  }
  return out + " " + std::string(value_yaml);
}

std::string condition_text(const config::HostKeyCondition& c) {
  return code(c.key) + " is " + code(c.value);
}

// "one of `a`, `b`", "integer", ...
std::string type_text(const config::HostKey& key) {
  std::string out(config::to_string(key.type));
  if (!key.choices.empty()) out += " " + allowed_text(key);
  return out;
}

// GitHub's anchor of a "## `store.path`" heading.
std::string anchor_of(std::string_view path) {
  std::string anchor;
  for (char c : path)
    if (c != '.') anchor += c;
  return anchor;
}

void print_markdown_key(std::ostream& out, const config::HostKey& key) {
  out << "## " << code(key.path) << "\n\n" << key.description << "\n\n";
  out << "- Type: " << type_text(key) << "\n";
  if (key.type == config::HostKeyType::map) {
    out << "- Keys: "
        << (key.free_keys ? std::string("any name (see the description)")
                          : "the keys below that start with " + code(std::string(key.path) + "."))
        << "\n";
  } else {
    out << "- Default: " << default_text(key) << "\n";
    if (key.choices.empty() && (key.min || key.max))
      out << "- Range: " << allowed_text(key) << "\n";
  }
  if (key.only_when) out << "- Only when " << condition_text(*key.only_when) << "\n";
  if (key.required_when) out << "- Required when " << condition_text(*key.required_when) << "\n";
  if (key.relative_to_config_dir)
    out << "- Relative paths are resolved against the configuration file's directory\n";
  if (!key.paired_with.empty())
    out << "- Set together with " << code(key.paired_with) << " (both or neither)\n";
  out << "- Example:\n\n```yaml\n" << example_yaml(key.path, key.example) << "\n```\n\n";
}

std::string setting_allowed(const config::SettingSpec& s) {
  if (!s.choices.empty()) {
    std::string out;
    for (const auto& c : s.choices) out += (out.empty() ? "" : ", ") + code(c);
    return out;
  }
  if (s.min && s.max) return number_text(*s.min) + " to " + number_text(*s.max);
  if (s.min) return ">= " + number_text(*s.min);
  if (s.max) return "<= " + number_text(*s.max);
  return "";
}

// Table cells: a `|` would end the cell, a line end the row.
std::string cell(std::string text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n')
      out += ' ';
    else
      out += c;
  }
  return out;
}

void print_markdown_plugin(std::ostream& out, const plugin::PluginSpec& spec) {
  out << "## Plugin " << code(spec.name) << " " << spec.version << "\n\n";
  if (!spec.description.empty()) out << spec.description << "\n\n";
  if (spec.settings.empty()) {
    out << "Declares no settings.\n\n";
    return;
  }
  out << "Settings under " << code("plugins." + spec.name) << ":\n\n";
  out << "| Key | Type | Required | Default | Allowed | Description |\n";
  out << "|---|---|---|---|---|---|\n";
  for (const auto& s : spec.settings) {
    const std::string def = s.secret && s.default_value ? "(secret)"
                            : s.default_value           ? code(*s.default_value)
                                                        : "";
    out << "| " << code(s.path) << " | " << config::to_string(s.type)
        << (s.secret ? ", secret" : "") << " | " << (s.required ? "yes" : "no") << " | "
        << cell(def) << " | " << cell(setting_allowed(s)) << " | " << cell(s.description) << " |\n";
  }
  out << "\n";
}

void print_markdown(std::ostream& out, const std::vector<PluginCandidate>* plugins) {
  const auto& schema = config::host_schema();
  out << "<!-- Generated by `jobhost config reference`: do not edit. Regenerate with `"
      << kRegenerate << "`. -->\n\n";
  out << "# Configuration reference\n\n";
  out << "Every key of jobhost's configuration file (YAML), with its type, default, allowed values "
         "and an example. This reference and the validator (`jobhost config check`, and every "
         "command that loads the file) are driven by the same table, so a key is accepted exactly "
         "when it is listed here. `jobhost config reference --json` prints the same as JSON.\n\n";
  out << "The sections under `plugins:` belong to the plugins: each plugin declares the settings "
         "it takes, and its section is checked against them when the plugin is loaded. "
         "`jobhost plugins --json` shows the settings of the loaded plugins (`settings`), and "
         "`jobhost config reference --plugins` appends them to this reference.\n\n";
  out << "Values may name environment variables (`${NAME}`, missing = error) and files "
         "(`${file:/run/secrets/x}`).\n\n";
  out << "| Key | Type | Default | Allowed |\n|---|---|---|---|\n";
  for (const auto& key : schema) {
    out << "| [" << code(key.path) << "](#" << anchor_of(key.path) << ") | "
        << config::to_string(key.type) << " | "
        << (key.type == config::HostKeyType::map ? "" : default_text(key)) << " | "
        << cell(allowed_text(key)) << " |\n";
  }
  out << "\n";
  for (const auto& key : schema) print_markdown_key(out, key);
  if (plugins) {
    out << "# Plugin settings\n\n";
    if (plugins->empty()) out << "No plugin is loaded by this configuration.\n\n";
    for (const auto& p : *plugins) print_markdown_plugin(out, p.spec);
  }
}

nlohmann::json condition_json(const std::optional<config::HostKeyCondition>& c) {
  if (!c) return nullptr;
  return {{"key", c->key}, {"value", c->value}};
}

nlohmann::json reference_json(const std::vector<PluginCandidate>* plugins) {
  nlohmann::json keys = nlohmann::json::array();
  for (const auto& key : config::host_schema()) {
    std::vector<std::string> choices(key.choices.begin(), key.choices.end());
    keys.push_back({
        {"path", key.path},
        {"type", config::to_string(key.type)},
        {"default", key.default_value ? nlohmann::json(*key.default_value) : nullptr},
        {"min", key.min ? nlohmann::json(*key.min) : nullptr},
        {"max", key.max ? nlohmann::json(*key.max) : nullptr},
        {"choices", choices},
        {"description", key.description},
        {"example", key.example},
        {"only_when", condition_json(key.only_when)},
        {"required_when", condition_json(key.required_when)},
        {"relative_to_config_dir", key.relative_to_config_dir},
        {"paired_with",
         key.paired_with.empty() ? nlohmann::json(nullptr) : nlohmann::json(key.paired_with)},
        {"free_keys", key.free_keys},
    });
  }
  nlohmann::json out = {{"generated_by", "jobhost config reference"}, {"keys", keys}};
  if (plugins) {
    out["plugins"] = nlohmann::json::array();
    for (const auto& p : *plugins)
      out["plugins"].push_back({{"name", p.spec.name},
                                {"version", p.spec.version},
                                {"description", p.spec.description},
                                {"settings", views::settings_schema_json(p.spec)}});
  }
  return out;
}

}  // namespace

int config_reference(const GlobalOptions& g, const ConfigReferenceOptions& o) {
  // Without --plugins nothing is read: the reference is the same on every machine.
  std::vector<PluginCandidate> plugins;
  if (o.plugins) {
    const config::HostConfig cfg = load_config(g);
    std::vector<PluginRefusal> refusals;
    plugins = open_plugin_candidates(cfg, refusals);
    std::sort(plugins.begin(), plugins.end(),
              [](const auto& a, const auto& b) { return a.spec.name < b.spec.name; });
    for (const auto& r : refusals) std::cerr << r.file << ": plugin refused: " << r.reason << "\n";
  }
  if (o.json) {
    print_json(reference_json(o.plugins ? &plugins : nullptr));
  } else {
    std::ostringstream md;
    print_markdown(md, o.plugins ? &plugins : nullptr);
    std::string text = md.str();
    while (text.ends_with("\n\n")) text.pop_back();  // one line end at the end of the file
    std::cout << text;
  }
  return kOk;
}

}  // namespace jobhost::cli
