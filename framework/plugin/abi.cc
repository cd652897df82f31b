#include "plugin/abi.h"

#include <cstring>
#include <map>
#include <set>
#include <string>

namespace jobhost::plugin {

namespace {

// A descriptor the SDK never produces: only the plugin's author can fix it, so say so.
[[noreturn]] void malformed(const std::string& what) {
  throw AbiError(what +
                 " (a malformed plugin: a bug in it, or built without the SDK's JOBHOST_PLUGIN "
                 "macro; ask its author for a fixed build)");
}

std::string text(const char* s) {
  return s ? s : "";
}

std::string version_text(uint16_t major, uint16_t minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

bool valid_identifier(const std::string& s, bool allow_dots) {
  if (s.empty() || s.size() > 96) return false;
  if (!(s[0] >= 'a' && s[0] <= 'z')) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                    (allow_dots && c == '.');
    if (!ok) return false;
  }
  return true;
}

// Copies element i of an array whose elements are `element_size` bytes (the plugin's
// sizeof) into a zeroed host struct: fields the plugin does not know stay zero.
template <class T>
T element_at(const void* base, uint32_t element_size, uint32_t i) {
  T out;
  std::memset(&out, 0, sizeof out);
  const auto* p = static_cast<const unsigned char*>(base) + static_cast<size_t>(element_size) * i;
  std::memcpy(&out, p, std::min<size_t>(element_size, sizeof out));
  return out;
}

void check_array(const void* ptr, uint32_t count, uint32_t size, size_t min_size,
                 const std::string& what) {
  if (count == 0) return;
  if (ptr == nullptr)
    malformed(what + ": " + std::to_string(count) + " declared but the array is NULL");
  if (size < min_size)
    malformed(what + ": elements are " + std::to_string(size) + " bytes, smaller than the " +
              std::to_string(min_size) + " bytes of ABI 1.0 (struct sizes do not fit)");
}

ValueType param_type(int32_t t, const std::string& where) {
  switch (t) {
    case JH_TYPE_STRING:
      return ValueType::string;
    case JH_TYPE_INTEGER:
      return ValueType::integer;
    case JH_TYPE_NUMBER:
      return ValueType::number;
    case JH_TYPE_BOOLEAN:
      return ValueType::boolean;
  }
  malformed(where + ": unknown parameter type code " + std::to_string(t));
}

config::SettingType setting_type(int32_t t, const std::string& where) {
  switch (t) {
    case JH_TYPE_STRING:
      return config::SettingType::string;
    case JH_TYPE_INTEGER:
      return config::SettingType::integer;
    case JH_TYPE_NUMBER:
      return config::SettingType::number;
    case JH_TYPE_BOOLEAN:
      return config::SettingType::boolean;
    case JH_TYPE_LIST:
      return config::SettingType::list;
    case JH_TYPE_OBJECT:
      return config::SettingType::object;
  }
  malformed(where + ": unknown setting type code " + std::to_string(t));
}

std::optional<std::string> optional_text(const char* s) {
  if (!s) return std::nullopt;
  return std::string(s);
}

std::vector<std::string> split_choices(const char* s) {
  std::vector<std::string> out;
  if (!s) return out;
  std::string cur;
  for (const char* p = s; *p; ++p) {
    if (*p == '|') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += *p;
    }
  }
  out.push_back(cur);
  return out;
}

// A job type is named "<namespace>.<job>", the namespace being the plugin's name or its first
// dash-separated word: plugin zabbix-host-sync may name its types zabbix.* (as users know
// them). Two plugins claiming the same type are refused at load either way.
bool in_plugin_namespace(const std::string& name, const std::string& plugin) {
  const auto dot = name.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == name.size()) return false;
  const std::string ns = name.substr(0, dot);
  return ns == plugin || plugin.rfind(ns + "-", 0) == 0;
}

JobTypeSpec read_job_type(const jh_job_type_v1& jt, const std::string& plugin, uint16_t minor,
                          uint32_t index) {
  JobTypeSpec spec;
  spec.plugin = plugin;
  spec.name = text(jt.name);
  const std::string where =
      "job type #" + std::to_string(index + 1) + (spec.name.empty() ? "" : " '" + spec.name + "'");
  if (!valid_identifier(spec.name, true) || !in_plugin_namespace(spec.name, plugin))
    malformed(where + ": name must be '" + plugin + ".<job>'" +
              (plugin.find('-') != std::string::npos
                   ? " or '" + plugin.substr(0, plugin.find('-')) + ".<job>'"
                   : "") +
              " in lower case letters, digits, '_', '-' and '.'");
  if (jt.run == nullptr) malformed(where + ": no run function");
  spec.description = text(jt.description);
  spec.default_schedule = text(jt.default_schedule);
  spec.singleton = jt.singleton != 0;
  spec.key_param = text(jt.key_param);
  spec.timeout_s = jt.timeout_s;
  spec.min_interval_s = jt.min_interval_s;  // 0 from an older plugin (its struct is smaller)
  // 1.4's read_only sits in what was the 1.3 struct's tail padding (the size is the same), so
  // an older plugin's element may carry any byte there: only minor 4 and later say read-only.
  spec.read_only = minor >= 4 && jt.read_only != 0;
  spec.retry.max_attempts = jt.max_attempts == 0 ? 1 : jt.max_attempts;
  spec.retry.backoff_s = jt.retry_backoff_s;
  spec.retry.backoff_max_s = jt.retry_backoff_max_s;
  spec.run = jt.run;
  spec.user_data = jt.user_data;

  check_array(jt.params, jt.param_count, jt.param_size, kParamV1_0Size, where + " parameters");
  std::set<std::string> seen;
  for (uint32_t i = 0; i < jt.param_count; ++i) {
    auto p = element_at<jh_param_v1>(jt.params, jt.param_size, i);
    ParamSpec ps;
    ps.name = text(p.name);
    if (!valid_identifier(ps.name, false))
      malformed(where + ": parameter #" + std::to_string(i + 1) + " has an invalid name '" +
                ps.name + "'");
    if (!seen.insert(ps.name).second)
      malformed(where + ": parameter '" + ps.name + "' is declared twice");
    ps.type = param_type(p.type, where + " parameter '" + ps.name + "'");
    ps.required = p.required != 0;
    ps.default_value = optional_text(p.default_value);
    ps.description = text(p.description);
    spec.params.push_back(std::move(ps));
  }
  if (!spec.key_param.empty() && !spec.find_param(spec.key_param))
    malformed(where + ": key parameter '" + spec.key_param + "' is not a declared parameter");
  return spec;
}

}  // namespace

PluginSpec read_descriptor(const jh_plugin_v1* descriptor, const std::string& file) {
  if (descriptor == nullptr)
    malformed("its entry point " JH_PLUGIN_ENTRY_V1 " returned no descriptor (NULL)");
  // The frozen prefix first: size and versions decide whether anything else can be read.
  if (descriptor->struct_size < offsetof(jh_plugin_v1, name))
    malformed("descriptor of " + std::to_string(descriptor->struct_size) +
              " bytes is too small to hold even the version prefix");
  const uint16_t major = descriptor->abi_major, minor = descriptor->abi_minor;
  if (major != kHostAbiMajor)
    throw AbiError("built for jobhost ABI " + version_text(major, minor) +
                   ", but this host speaks ABI " + version_text(kHostAbiMajor, kHostAbiMinor) +
                   " (major " + std::to_string(kHostAbiMajor) +
                   " only): rebuild the plugin against this host's SDK");
  const bool prefix_fits = descriptor->struct_size >= kPluginV1_0Size;
  if (minor > kHostAbiMinor) {
    // Within major 1 the 1.0 fields keep their place, so the name can be read safely.
    const std::string who =
        prefix_fits && descriptor->name ? "plugin '" + text(descriptor->name) + "' " : "";
    throw AbiError(who + "needs jobhost ABI " + version_text(major, minor) +
                   ", newer than this host's ABI " + version_text(kHostAbiMajor, kHostAbiMinor) +
                   ": upgrade jobhost, or build the plugin against an SDK of ABI " +
                   version_text(kHostAbiMajor, kHostAbiMinor) + " or older");
  }
  if (!prefix_fits)
    malformed("descriptor is " + std::to_string(descriptor->struct_size) +
              " bytes, smaller than the " + std::to_string(kPluginV1_0Size) +
              " bytes of ABI 1.0 (struct sizes do not fit)");

  jh_plugin_v1 d;
  std::memset(&d, 0, sizeof d);
  std::memcpy(&d, descriptor, std::min<size_t>(descriptor->struct_size, sizeof d));

  PluginSpec spec;
  spec.file = file;
  spec.abi_major = major;
  spec.abi_minor = minor;
  spec.name = text(d.name);
  if (!valid_identifier(spec.name, false))
    malformed("plugin name '" + spec.name +
              "' is invalid: use lower case letters, digits, '_' and '-', starting with a letter");
  spec.version = text(d.version);
  spec.sdk_version = text(d.sdk_version);
  spec.description = text(d.description);
  spec.init = d.init;
  spec.shutdown = d.shutdown;
  // A 1.2 field: a plugin of an older minor has none (its smaller struct was zero-filled).
  spec.reconfigure = minor >= 2 ? d.reconfigure : nullptr;
  spec.user_data = d.user_data;

  check_array(d.job_types, d.job_type_count, d.job_type_size, kJobTypeV1_0Size, "job types");
  std::set<std::string> names;
  for (uint32_t i = 0; i < d.job_type_count; ++i) {
    auto jt = read_job_type(element_at<jh_job_type_v1>(d.job_types, d.job_type_size, i), spec.name,
                            minor, i);
    if (!names.insert(jt.name).second)
      throw AbiError("job type '" + jt.name +
                     "' is declared twice (a bug in the plugin: ask its author for a fixed build)");
    spec.job_types.push_back(std::move(jt));
  }

  check_array(d.migrations, d.migration_count, d.migration_size, kMigrationV1_0Size, "migrations");
  std::map<uint32_t, store::MigrationStep> steps;
  for (uint32_t i = 0; i < d.migration_count; ++i) {
    auto m = element_at<jh_migration_v1>(d.migrations, d.migration_size, i);
    const std::string dialect = text(m.dialect);
    const std::string where = "migration " + std::to_string(m.version);
    if (m.sql == nullptr) malformed(where + ": no SQL");
    auto& step = steps[m.version];
    step.version = m.version;
    if (step.description.empty()) step.description = text(m.description);
    auto set = [&](std::string& slot, const char* which) {
      if (!slot.empty()) malformed(where + ": given twice for " + std::string(which));
      slot = m.sql;
    };
    if (dialect == "any") {
      set(step.sqlite_sql, "sqlite");
      set(step.postgresql_sql, "postgresql");
    } else if (dialect == "sqlite") {
      set(step.sqlite_sql, "sqlite");
    } else if (dialect == "postgresql") {
      set(step.postgresql_sql, "postgresql");
    } else {
      malformed(where + ": dialect '" + dialect + "' is not sqlite, postgresql or any");
    }
  }
  for (auto& [v, step] : steps) spec.migrations.push_back(std::move(step));

  check_array(d.settings, d.setting_count, d.setting_size, kSettingV1_0Size, "settings");
  for (uint32_t i = 0; i < d.setting_count; ++i) {
    auto s = element_at<jh_setting_v1>(d.settings, d.setting_size, i);
    config::SettingSpec ss;
    ss.path = text(s.path);
    if (ss.path.empty()) malformed("setting #" + std::to_string(i + 1) + " has no path");
    ss.type = setting_type(s.type, "setting '" + ss.path + "'");
    ss.required = s.required != 0;
    ss.default_value = optional_text(s.default_value);
    ss.description = text(s.description);
    if (s.has_min) ss.min = s.min;
    if (s.has_max) ss.max = s.max;
    ss.choices = split_choices(s.choices);
    ss.secret = s.secret != 0;
    spec.settings.push_back(std::move(ss));
  }
  return spec;
}

std::string status_code_name(jh_status status) {
  switch (status) {
    case JH_ERROR:
      return "JH_ERROR";
    case JH_INVALID_ARGUMENT:
      return "JH_INVALID_ARGUMENT";
    case JH_NOT_FOUND:
      return "JH_NOT_FOUND";
    case JH_CANCELLED:
      return "JH_CANCELLED";
    case JH_SQL_ERROR:
      return "JH_SQL_ERROR";
    case JH_HTTP_ERROR:
      return "JH_HTTP_ERROR";
    case JH_UNSUPPORTED:
      return "JH_UNSUPPORTED";
    case JH_CONFLICT:
      return "JH_CONFLICT";
    default:
      return "status " + std::to_string(status);
  }
}

}  // namespace jobhost::plugin
