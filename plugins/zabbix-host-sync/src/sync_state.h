// The HostConfigs' sync state as the plugin's table has it, read-only: what zabbix.report lists
// for scripts and zabbix.status summarises for a dashboard. Queries only (no writes), so both
// may run as the host's read-only queries (ABI 1.4).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <jobhost/sdk.hpp>
#include <nlohmann/json.hpp>

namespace zhs {

// The WHERE condition of a state a user can ask for (all, in_sync, out_of_sync, failed,
// unchecked), or nullptr for any other word.
const char* state_condition(const std::string& state);

// HostConfigs per state: {"in_sync", "out_of_sync", "failed", "unchecked"}.
nlohmann::json count_by_state(const jobhost::Run& run);

// The HostConfigs in `state` (only `host` when given), by host name, at most `limit`: each with
// host, hostid, in_sync, last_sync_update, differences ([{field, expected, actual}]) and error.
// `state` must be one state_condition knows.
nlohmann::json hosts_in_state(const jobhost::Run& run, const std::string& state,
                              const std::optional<std::string>& host, int64_t limit);

// When a host was last found in or out of sync (the newest last_sync_update), if ever.
std::optional<int64_t> last_host_check(const jobhost::Run& run);

}  // namespace zhs
