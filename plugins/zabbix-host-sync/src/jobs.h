// The plugin's job types; each returns its result JSON (see plugin.cc for their parameters).
#pragma once

#include <jobhost/sdk.hpp>

namespace zhs {

inline constexpr const char* kRefresh = "zabbix.host_config_sync_refresh";

// zabbix.host_config_sync_refresh: checks due HostConfigs against Zabbix and stamps them.
jobhost::Result refresh_sync_status(jobhost::Run& run);
// zabbix.import_host_configs: validates a file of desired HostConfigs and upserts them.
jobhost::Result import_host_configs(jobhost::Run& run);
// zabbix.remediate: pushes out-of-sync hosts' desired configs to Zabbix (dry run by default).
jobhost::Result remediate(jobhost::Run& run);
// zabbix.report: the HostConfigs' sync state (read-only).
jobhost::Result report(jobhost::Run& run);
// zabbix.status: counts, the hosts needing attention, the last and next refresh (read-only).
jobhost::Result status(jobhost::Run& run);

}  // namespace zhs
