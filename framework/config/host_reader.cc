#include "config/host_reader.h"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <stdexcept>
#include <utility>
#include <variant>

#include <fmt/format.h>

#include "config/host_schema.h"
#include "config/value_checks.h"
#include "config/yaml_walk.h"

namespace jobhost::config {

namespace {

using HostValue = std::variant<std::string, std::int64_t, bool, std::vector<std::string>>;

// Where a value is checked: the file it came from and the values already reported as unexpanded.
struct CheckScope {
  const std::string& file;
  const std::set<std::string>& unexpanded_paths;
  std::vector<ConfigProblem>& problems;

  void report(const YAML::Mark& mark, std::string path, std::string message) {
    problems.push_back(problem_at(file, mark, std::move(path), std::move(message)));
  }
};

std::optional<std::string> check_string(const YAML::Node& value, const YAML::Mark& mark,
                                        const std::string& path, CheckScope& scope) {
  if (!value.IsScalar()) {
    scope.report(mark, path, "must be a string");
    return std::nullopt;
  }
  if (value.Scalar().empty()) {
    scope.report(mark, path, "must not be empty");
    return std::nullopt;
  }
  return value.Scalar();
}

std::optional<std::vector<std::string>> check_string_list(const YAML::Node& value,
                                                          const YAML::Mark& mark,
                                                          const std::string& path,
                                                          CheckScope& scope) {
  if (!value.IsSequence()) {
    scope.report(mark, path, "must be a list of strings");
    return std::nullopt;
  }
  std::vector<std::string> items;
  bool all_valid = true;
  std::size_t index = 0;
  for (const YAML::Node& item : value) {
    const std::string path_of_item = item_path(path, index++);
    if (scope.unexpanded_paths.contains(path_of_item)) {
      all_valid = false;
      continue;
    }
    const YAML::Mark item_mark = item.Mark().is_null() || item.IsNull() ? mark : item.Mark();
    std::optional<std::string> text = check_string(item, item_mark, path_of_item, scope);
    if (text) {
      items.push_back(std::move(*text));
    } else {
      all_valid = false;
    }
  }
  if (!all_valid) return std::nullopt;
  return items;
}

std::vector<std::string> choices_of(const HostKey& key) {
  return {key.choices.begin(), key.choices.end()};
}

// nullopt (and a problem) unless `value` fits `key`'s type and range. Not for maps.
std::optional<HostValue> check_host_value(const HostKey& key, const YAML::Node& value,
                                          const YAML::Mark& mark, const std::string& path,
                                          CheckScope& scope) {
  switch (key.type) {
    case HostKeyType::string:
      if (auto text = check_string(value, mark, path, scope)) return HostValue(std::move(*text));
      return std::nullopt;
    case HostKeyType::string_list:
      if (auto items = check_string_list(value, mark, path, scope)) {
        return HostValue(std::move(*items));
      }
      return std::nullopt;
    case HostKeyType::integer: {
      const std::optional<double> min = key.min ? std::optional<double>(*key.min) : std::nullopt;
      const std::optional<double> max = key.max ? std::optional<double>(*key.max) : std::nullopt;
      Checked<std::int64_t> number = value.IsScalar()
                                         ? check_integer(value.Scalar(), min, max)
                                         : Checked<std::int64_t>{.error = "must be an integer"};
      if (number.ok()) return HostValue(*number.value);
      scope.report(mark, path, std::move(number.error));
      return std::nullopt;
    }
    case HostKeyType::boolean: {
      Checked<bool> flag = value.IsScalar() ? check_boolean(value.Scalar())
                                            : Checked<bool>{.error = "must be true or false"};
      if (flag.ok()) return HostValue(*flag.value);
      scope.report(mark, path, std::move(flag.error));
      return std::nullopt;
    }
    case HostKeyType::choice: {
      const std::vector<std::string> choices = choices_of(key);
      std::string error =
          value.IsScalar() ? check_choice(value.Scalar(), choices) : must_be_one_of(choices);
      if (error.empty()) return HostValue(value.Scalar());
      scope.report(mark, path, std::move(error));
      return std::nullopt;
    }
    case HostKeyType::map:
    case HostKeyType::choice_map:
      break;
  }
  throw std::logic_error(fmt::format("host key '{}' is a map, not a value", key.path));
}

std::filesystem::path resolve_path(const std::filesystem::path& base_dir, const std::string& text) {
  if (text == ":memory:") return text;  // SQLite's in-memory database, not a file
  const std::filesystem::path path(text);
  return (path.is_absolute() ? path : base_dir / path).lexically_normal();
}

// The enum value whose YAML word is `word`; the table's choices and to_string() agree (tested).
template <typename Enum, std::size_t N>
Enum enum_for(std::string_view word, const std::array<Enum, N>& all) {
  for (Enum value : all) {
    if (to_string(value) == word) return value;
  }
  throw std::logic_error(fmt::format("no enum value for '{}'", word));
}

constexpr std::array kDrivers{StoreConfig::Driver::sqlite, StoreConfig::Driver::postgresql};
constexpr std::array kSynchronousModes{StoreConfig::Synchronous::full,
                                       StoreConfig::Synchronous::normal};
constexpr std::array kLogLevels{LogConfig::Level::trace, LogConfig::Level::debug,
                                LogConfig::Level::info,  LogConfig::Level::warn,
                                LogConfig::Level::error, LogConfig::Level::off};
constexpr std::array kLogFormats{LogConfig::Format::text, LogConfig::Format::json};
constexpr std::array kLogTargets{LogConfig::Target::auto_detect, LogConfig::Target::stderr_stream,
                                 LogConfig::Target::journald};

// One valid entry of a choice_map key: the word chosen and where its name is in the file.
struct ChoiceEntry {
  std::string word;
  Position position;
};

class HostReader {
 public:
  HostReader(const HostReadContext& context, std::vector<ConfigProblem>& problems)
      : context_(context),
        scope_{.file = context.file,
               .unexpanded_paths = context.unexpanded_paths,
               .problems = problems} {}

  HostConfig read(const YAML::Node& root) {
    section_marks_.emplace("", root.Mark());
    if (root.IsMap()) {
      read_section(root, "");
    } else if (!root.IsNull()) {
      scope_.report(root.Mark(), "", "the configuration must be a map of keys, like `workers: 4`");
    }
    apply_defaults();
    check_conditions();
    check_heartbeat();
    check_pairs();
    return build();
  }

 private:
  void read_section(const YAML::Node& map, const std::string& path) {
    std::vector<std::string> known_names;
    for (const HostKey& key : host_schema()) {
      if (host_key_parent(key) == path) known_names.emplace_back(host_key_name(key));
    }
    for (const MapEntry& entry : map_entries(map, context_.file, path, scope_.problems)) {
      const std::string key_path = child_path(path, entry.key);
      const HostKey* key = find_host_key(key_path);
      if (key == nullptr) {
        scope_.report(entry.key_mark, key_path, unknown_key_message(entry.key, known_names));
        continue;
      }
      if (entry.value.IsNull()) continue;  // `key:` with no value leaves the default
      set_keys_.emplace(key_path, entry.key_mark);
      if (context_.unexpanded_paths.contains(key_path)) continue;
      if (key->type == HostKeyType::choice_map) {
        if (entry.value.IsMap()) {
          read_choice_map(*key, entry.value, key_path);
        } else {
          scope_.report(entry.value_mark(), key_path, "must be a map");
        }
      } else if (key->type != HostKeyType::map) {
        if (auto value =
                check_host_value(*key, entry.value, entry.value_mark(), key_path, scope_)) {
          values_.emplace(key_path, std::move(*value));
        }
      } else if (!entry.value.IsMap()) {
        scope_.report(entry.value_mark(), key_path, "must be a map");
      } else if (key->free_keys) {
        read_named_sections(entry.value, key_path);
      } else {
        section_marks_.emplace(key_path, entry.key_mark);
        read_section(entry.value, key_path);
      }
    }
  }

  // `plugins:` and `schedules:`: one section per name, kept as YAML with its position; what
  // a section may hold is only known later (the plugin's schema, the job type).
  void read_named_sections(const YAML::Node& map, const std::string& path) {
    for (const MapEntry& entry : map_entries(map, context_.file, path, scope_.problems)) {
      if (!entry.value.IsNull() && !entry.value.IsMap()) {
        scope_.report(entry.value_mark(), child_path(path, entry.key), "must be a map");
        continue;
      }
      const Position position = position_of(entry.key_mark);
      sections_[path].emplace(entry.key, PluginSection{.file = context_.file,
                                                       .line = position.line,
                                                       .column = position.column,
                                                       .node = entry.value});
    }
  }

  // `log.plugins`: any name, each with one of the key's choices. An entry without a value is a
  // problem too: unlike a key of the table, it has no default to fall back on.
  void read_choice_map(const HostKey& key, const YAML::Node& map, const std::string& path) {
    const std::vector<std::string> choices = choices_of(key);
    std::map<std::string, ChoiceEntry>& read = choice_maps_[path];
    for (const MapEntry& entry : map_entries(map, context_.file, path, scope_.problems)) {
      const std::string entry_path = child_path(path, entry.key);
      if (context_.unexpanded_paths.contains(entry_path)) continue;
      std::string error = entry.value.IsScalar() ? check_choice(entry.value.Scalar(), choices)
                                                 : must_be_one_of(choices);
      if (!error.empty()) {
        scope_.report(entry.value_mark(), entry_path, std::move(error));
        continue;
      }
      read.emplace(entry.key, ChoiceEntry{.word = entry.value.Scalar(),
                                          .position = position_of(entry.key_mark)});
    }
  }

  void apply_defaults() {
    for (const HostKey& key : host_schema()) {
      if (!key.default_value || set_keys_.contains(key.path)) continue;
      // Defaults are YAML text, checked like a value from a file so the table cannot lie.
      const std::string table = "<host_schema>";
      const std::set<std::string> none;
      std::vector<ConfigProblem> problems;
      CheckScope defaults_scope{.file = table, .unexpanded_paths = none, .problems = problems};
      const YAML::Node node = YAML::Load(std::string(*key.default_value));
      std::optional<HostValue> value =
          check_host_value(key, node, node.Mark(), std::string(key.path), defaults_scope);
      if (!value) throw std::logic_error(format_problems(problems));
      values_.emplace(key.path, std::move(*value));
    }
  }

  void check_conditions() {
    for (const HostKey& key : host_schema()) {
      if (key.only_when && set_keys_.contains(key.path) && !holds(*key.only_when) &&
          has_value(key.only_when->key)) {
        scope_.report(
            set_keys_.at(std::string(key.path)), std::string(key.path),
            fmt::format("only valid when {} is {}", key.only_when->key, key.only_when->value));
      }
      if (key.required_when && holds(*key.required_when) && !set_keys_.contains(key.path)) {
        scope_.report(section_mark(host_key_parent(key)), std::string(key.path),
                      fmt::format("is required when {} is {}", key.required_when->key,
                                  key.required_when->value));
      }
    }
  }

  // A host declared lost while it still beats would have its running jobs taken away.
  void check_heartbeat() {
    if (!has_value("host.heartbeat_s") || !has_value("host.lost_after_s")) return;
    const auto beat = integer("host.heartbeat_s");
    const auto lost = integer("host.lost_after_s");
    if (lost >= 2 * beat) return;
    const std::string path =
        set_keys_.contains("host.lost_after_s") ? "host.lost_after_s" : "host.heartbeat_s";
    scope_.report(set_keys_.contains(path) ? set_keys_.at(path) : section_mark("host"), path,
                  fmt::format("host.lost_after_s ({}) must be at least twice host.heartbeat_s "
                              "({}), or a live host that misses one beat is declared lost",
                              lost, beat));
  }

  // Keys that only work together (a certificate without its key cannot serve HTTPS, and
  // falling back to plain HTTP would expose what the operator meant to protect).
  void check_pairs() {
    for (const HostKey& key : host_schema()) {
      if (key.paired_with.empty() || !set_keys_.contains(key.path) ||
          set_keys_.contains(key.paired_with))
        continue;
      scope_.report(section_mark(host_key_parent(key)), std::string(key.paired_with),
                    fmt::format("is required when {} is set (the two go together)", key.path));
    }
  }

  bool has_value(std::string_view path) const { return values_.contains(std::string(path)); }

  bool holds(const HostKeyCondition& condition) const {
    const auto found = values_.find(std::string(condition.key));
    return found != values_.end() && std::get<std::string>(found->second) == condition.value;
  }

  // The key of the innermost section present in the file (where "a key is missing" points).
  YAML::Mark section_mark(std::string_view path) const {
    while (true) {
      if (const auto found = section_marks_.find(std::string(path));
          found != section_marks_.end()) {
        return found->second;
      }
      const auto dot = path.rfind('.');
      path = dot == std::string_view::npos ? std::string_view{} : path.substr(0, dot);
    }
  }

  const std::string& text(std::string_view path) const {
    return std::get<std::string>(values_.at(std::string(path)));
  }

  int integer(std::string_view path) const {
    // The table's ranges keep every integer key well inside int.
    return static_cast<int>(std::get<std::int64_t>(values_.at(std::string(path))));
  }

  std::vector<std::filesystem::path> paths(std::string_view path) const {
    std::vector<std::filesystem::path> resolved;
    for (const std::string& item :
         std::get<std::vector<std::string>>(values_.at(std::string(path)))) {
      resolved.push_back(resolve_path(context_.base_dir, item));
    }
    return resolved;
  }

  // Reads every value through the table's names; a value missing here after apply_defaults()
  // means the file had a problem, and the caller will not use the result.
  HostConfig build() const {
    HostConfig config;
    config.host_name = has_value("host.name") ? text("host.name") : machine_host_name();
    if (has_value("host.heartbeat_s")) config.heartbeat_s = integer("host.heartbeat_s");
    if (has_value("host.lost_after_s")) config.lost_after_s = integer("host.lost_after_s");
    if (has_value("store.driver")) {
      config.store.driver = enum_for(text("store.driver"), kDrivers);
    }
    if (has_value("store.path")) {
      config.store.sqlite_path = resolve_path(context_.base_dir, text("store.path"));
    }
    if (has_value("store.synchronous")) {
      config.store.synchronous = enum_for(text("store.synchronous"), kSynchronousModes);
    }
    if (has_value("store.busy_timeout_ms")) {
      config.store.busy_timeout_ms = integer("store.busy_timeout_ms");
    }
    if (has_value("store.connection")) config.store.pg_connection = text("store.connection");
    if (has_value("plugin_dirs")) config.plugin_dirs = paths("plugin_dirs");
    if (has_value("plugin_files")) config.plugin_files = paths("plugin_files");
    if (has_value("workers")) config.workers = integer("workers");
    if (has_value("jobs.lease_s")) config.jobs.lease_s = integer("jobs.lease_s");
    if (has_value("jobs.default_timeout_s"))
      config.jobs.default_timeout_s = integer("jobs.default_timeout_s");
    if (has_value("jobs.timeout_grace_s"))
      config.jobs.timeout_grace_s = integer("jobs.timeout_grace_s");
    if (has_value("jobs.shutdown_grace_s"))
      config.jobs.shutdown_grace_s = integer("jobs.shutdown_grace_s");
    if (has_value("event_log")) config.event_log = std::get<bool>(values_.at("event_log"));
    if (has_value("log.level")) config.log.level = enum_for(text("log.level"), kLogLevels);
    if (has_value("log.format")) config.log.format = enum_for(text("log.format"), kLogFormats);
    if (has_value("log.target")) config.log.target = enum_for(text("log.target"), kLogTargets);
    if (auto it = choice_maps_.find("log.plugins"); it != choice_maps_.end()) {
      for (const auto& [plugin, entry] : it->second) {
        config.log.plugins.emplace(plugin,
                                   LogConfig::PluginLevel{.level = enum_for(entry.word, kLogLevels),
                                                          .line = entry.position.line,
                                                          .column = entry.position.column});
      }
    }
    if (has_value("http.enabled")) config.http.enabled = std::get<bool>(values_.at("http.enabled"));
    if (has_value("http.address")) config.http.address = text("http.address");
    if (has_value("http.port")) config.http.port = integer("http.port");
    if (has_value("http.token")) {
      config.http.token = text("http.token");
    } else if (const char* env = std::getenv("JOBHOST_HTTP_TOKEN"); env && *env) {
      config.http.token = env;
    }
    if (has_value("http.protect_reads"))
      config.http.protect_reads = std::get<bool>(values_.at("http.protect_reads"));
    if (has_value("http.tls_cert"))
      config.http.tls_cert = resolve_path(context_.base_dir, text("http.tls_cert"));
    if (has_value("http.tls_key"))
      config.http.tls_key = resolve_path(context_.base_dir, text("http.tls_key"));
    if (auto it = sections_.find("plugins"); it != sections_.end()) config.plugins = it->second;
    if (auto it = sections_.find("schedules"); it != sections_.end()) config.schedules = it->second;
    return config;
  }

  const HostReadContext& context_;
  CheckScope scope_;
  std::map<std::string, HostValue, std::less<>> values_;     // valid values, set or default
  std::map<std::string, YAML::Mark, std::less<>> set_keys_;  // keys set in the file -> key mark
  std::map<std::string, YAML::Mark, std::less<>> section_marks_;           // sections in the file
  std::map<std::string, std::map<std::string, PluginSection>> sections_;   // by schema path
  std::map<std::string, std::map<std::string, ChoiceEntry>> choice_maps_;  // by schema path
};

}  // namespace

HostConfig read_host_config(const YAML::Node& root, const HostReadContext& context,
                            std::vector<ConfigProblem>& problems) {
  return HostReader(context, problems).read(root);
}

}  // namespace jobhost::config
