// What the host keeps of a plugin's descriptor: C++ copies of everything it declared, taken
// right after the ABI checks, so nothing later reads the plugin's memory by accident.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/plugin_settings.h"
#include "jobhost/plugin_api.h"
#include "store/migrations.h"

namespace jobhost::plugin {

enum class ValueType { string, integer, number, boolean, list, object };
const char* value_type_name(ValueType t);

struct ParamSpec {
  std::string name;
  ValueType type = ValueType::string;
  bool required = false;
  std::optional<std::string> default_value;
  std::string description;
};

struct RetryPolicy {
  uint32_t max_attempts = 1;
  uint32_t backoff_s = 0;
  uint32_t backoff_max_s = 0;
};

struct JobTypeSpec {
  std::string name;
  std::string plugin;  // the plugin that declares it
  std::string description;
  std::vector<ParamSpec> params;
  std::string default_schedule;  // empty = none
  bool singleton = false;
  std::string key_param;  // empty = none
  uint32_t timeout_s = 0;
  uint32_t min_interval_s = 0;  // ABI 1.3: no schedule of it runs more often (0: no minimum)
  // ABI 1.4: its runs only read, so it may also run as a query outside the job queue (no job
  // recorded, transaction rolled back; see jobs/query.h). False for older plugins.
  bool read_only = false;
  RetryPolicy retry;
  jh_run_fn run = nullptr;
  void* user_data = nullptr;

  const ParamSpec* find_param(const std::string& param) const;
};

struct PluginSpec {
  std::string file;  // the .so it came from
  std::string name;
  std::string version;
  std::string sdk_version;
  std::string description;
  uint16_t abi_major = 0, abi_minor = 0;
  std::vector<JobTypeSpec> job_types;
  std::vector<store::MigrationStep> migrations;
  std::vector<config::SettingSpec> settings;  // the schema of its YAML section
  jh_status (*init)(void*, const jh_host_api_v1*, jh_context*) = nullptr;
  void (*shutdown)(void*) = nullptr;
  // ABI 1.2: takes settings changed by a reload; nullptr for older plugins (or none given).
  jh_status (*reconfigure)(void*, const jh_host_api_v1*, jh_context*) = nullptr;
  void* user_data = nullptr;
};

}  // namespace jobhost::plugin
