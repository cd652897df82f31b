// The plugin's table of desired HostConfigs and their sync state, through the run's SQL
// (all in the run's transaction: a run that errors leaves no trace here).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <jobhost/sdk.hpp>

#include "desired_config.h"

namespace zhs {

// Migration 1 (both dialects).
extern const char* const kSchemaV1;

struct StoredConfig {
  HostConfig config;
  std::optional<std::string> hostid;
  std::optional<bool> in_sync;
  std::optional<int64_t> last_sync_update;  // microseconds since the epoch
  std::optional<std::string> last_error;
};

// The outcome of checking one host, to be written back.
struct SyncStamp {
  std::string host;
  std::optional<std::string> hostid;  // learnt from Zabbix, or kept
  bool in_sync = false;
  bool checked = false;         // false: the check failed (last_sync_update not moved)
  std::string difference_json;  // "[]" when in sync
  std::string error;            // why the check failed
};

class ConfigTable {
 public:
  explicit ConfigTable(jobhost::Run& run) : run_(run) {}

  // Configs never checked or last checked before `cutoff` (microseconds), by host name.
  std::vector<StoredConfig> due(int64_t cutoff);
  // Out-of-sync configs and ones whose host Zabbix did not have; `host` narrows to one.
  std::vector<StoredConfig> needing_remediation(const std::string& host);
  // Writes many check outcomes, stamped at `now` (microseconds).
  void write_stamps(const std::vector<SyncStamp>& stamps, int64_t now);

  struct UpsertCounts {
    int64_t inserted = 0, changed = 0, unchanged = 0, removed = 0;
  };
  // Inserts or replaces `configs`; a changed config loses its sync state (it must be checked
  // again). With `replace`, configs not in the list are removed.
  UpsertCounts upsert(const std::vector<HostConfig>& configs, bool replace, int64_t now);
  int64_t count();

 private:
  jobhost::Run& run_;
};

}  // namespace zhs
