// zabbix.host_config_sync_refresh (the seed's SystemJobHostConfigSyncRefresh): checks every
// HostConfig not checked since the cutoff and records whether Zabbix matches it.
#include "config_table.h"
#include "jobs.h"
#include "sync_check.h"
#include "zabbix_client.h"

namespace zhs {

jobhost::Result refresh_sync_status(jobhost::Run& run) {
  const int64_t cutoff_minutes = run.param<std::optional<int64_t>>("cutoff").value_or(
      run.setting_or<int64_t>("cutoff_host_config_sync", 60));
  if (cutoff_minutes < 0)
    throw jobhost::Error("cutoff must be 0 or more minutes, got " + std::to_string(cutoff_minutes),
                         JH_INVALID_ARGUMENT);
  const int64_t now = jobhost::now_micros();
  const int64_t cutoff = now - cutoff_minutes * 60 * 1000000;

  ConfigTable table(run);
  const std::vector<StoredConfig> due = table.due(cutoff);
  ZabbixClient client(run, connection_from_settings(run));
  CheckSummary summary;
  if (!due.empty()) summary = check_and_stamp(run, client, table, due);

  const std::string result = jobhost::JsonObject()
                                 .add("total", static_cast<int64_t>(due.size()))
                                 .add("updated", summary.checked)
                                 .add("failed", summary.failed)
                                 .add("in_sync", summary.in_sync)
                                 .add("out_of_sync", summary.out_of_sync)
                                 .add("cutoff_in_minutes", cutoff_minutes)
                                 .add("cutoff", jobhost::rfc3339(cutoff))
                                 .add("zabbix_version", due.empty() ? "" : client.version())
                                 .add("requests", client.requests())
                                 .str();
  run.info("host config sync refresh: " + std::to_string(summary.checked) + " of " +
           std::to_string(due.size()) + " checked, " + std::to_string(summary.out_of_sync) +
           " out of sync, " + std::to_string(summary.failed) + " failed");
  return jobhost::Result::ok(result);
}

}  // namespace zhs
