#pragma once

// Every key of the host's own configuration, as data: the validator (host_reader.cc) is driven by
// this table, and the configuration reference is generated from it, so a key exists exactly when
// it is listed here.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace jobhost::config {

enum class HostKeyType {
  string,       // any scalar, not empty
  integer,      // decimal, optionally signed; see HostKey::min/max
  boolean,      // true or false
  string_list,  // a list of non-empty strings
  choice,       // one of HostKey::choices
  map,          // a section: its keys are the table rows below it (or free, see free_keys)
  choice_map,   // a map from any name (e.g. a plugin's) to one of HostKey::choices
};

// "store.driver is postgresql"
struct HostKeyCondition {
  std::string_view key;
  std::string_view value;
};

struct HostKey {
  std::string_view path;  // dotted, e.g. "store.busy_timeout_ms"
  HostKeyType type;
  std::optional<std::string_view> default_value;  // YAML text; none: absent unless set
  std::optional<std::int64_t> min;                // integers only
  std::optional<std::int64_t> max;
  std::vector<std::string_view> choices;  // choice and choice_map only
  std::string_view description;
  std::string_view example;  // YAML text of a value
  // The key may only be set when the condition holds (e.g. sqlite-only store keys).
  std::optional<HostKeyCondition> only_when;
  // The key must be set when the condition holds (e.g. `connection` for postgresql).
  std::optional<HostKeyCondition> required_when;
  // A relative path, resolved against the config file's directory (strings and string lists).
  bool relative_to_config_dir = false;
  // Set only together with this key, both or neither (a TLS certificate and its private key).
  std::string_view paired_with;
  // map only: any key name is allowed and its value is kept for someone else to validate
  // (`plugins`: each plugin validates its own section).
  bool free_keys = false;
};

// The whole table, parents before their children, in the order of the configuration reference.
const std::vector<HostKey>& host_schema();

// The row for `path`, or nullptr.
const HostKey* find_host_key(std::string_view path);

// The key's last segment, "busy_timeout_ms" for "store.busy_timeout_ms".
std::string_view host_key_name(const HostKey& key);

// The key's section, "store" for "store.busy_timeout_ms", "" for top-level keys.
std::string_view host_key_parent(const HostKey& key);

// The type as the reference documentation names it: "string", "integer", "boolean",
// "list of strings", "one of", "map", "map of names to one of".
std::string_view to_string(HostKeyType type);

}  // namespace jobhost::config
