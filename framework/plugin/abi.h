// ABI negotiation: checks a plugin's descriptor against what this host speaks and copies it
// into a PluginSpec. Every refusal names both versions or the exact field at fault.
#pragma once

#include <stdexcept>
#include <string>

#include "jobhost/plugin_api.h"
#include "plugin/plugin_spec.h"

namespace jobhost::plugin {

// The host's side of the handshake.
inline constexpr uint16_t kHostAbiMajor = JH_ABI_MAJOR;
inline constexpr uint16_t kHostAbiMinor = JH_ABI_MINOR;

// Sizes of the ABI 1.0 structs: the least a plugin of major 1 may hand over. Frozen: they
// must not follow later minors' growth (tests/sdk/abi_layout_test.cc pins them).
inline constexpr size_t kPluginV1_0Size = offsetof(jh_plugin_v1, user_data) + sizeof(void*);
inline constexpr size_t kJobTypeV1_0Size = offsetof(jh_job_type_v1, user_data) + sizeof(void*);
inline constexpr size_t kParamV1_0Size = offsetof(jh_param_v1, description) + sizeof(char*);
inline constexpr size_t kSettingV1_0Size = offsetof(jh_setting_v1, secret) + sizeof(int32_t);
inline constexpr size_t kMigrationV1_0Size = offsetof(jh_migration_v1, sql) + sizeof(char*);

class AbiError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "JH_ERROR", "JH_SQL_ERROR", ...: a status code as a plugin author reads it in the header;
// "status N" for a code this host does not know.
std::string status_code_name(jh_status status);

// `descriptor` is what the entry point returned. Throws AbiError with the reason.
PluginSpec read_descriptor(const jh_plugin_v1* descriptor, const std::string& file);

}  // namespace jobhost::plugin
