// Read-only queries (ABI 1.4): a job type declared read_only run here and now, outside the job
// queue, for the HTTP API and the dashboard ("what is the plugin's status?"). No job row is
// written, the run's transaction is always rolled back (on PostgreSQL it is READ ONLY too), and
// the host's services that write (sql_exec, events, schedules, HTTP other than GET and HEAD)
// refuse. Polling a status every few seconds thus leaves no trace in the job history.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/time.h"
#include "jobs/runner.h"
#include "plugin/plugin_spec.h"
#include "plugin/registry.h"
#include "store/database.h"

namespace jobhost::jobs {

struct QueryOutcome {
  bool ok = false;                    // the run returned JH_OK
  std::optional<std::string> result;  // its result JSON (also when it reported failure)
  std::string error;                  // why not ok: the plugin's message, a refusal, a timeout
  Micros duration = 0;
};

// Runs read-only job type `type` with `params` (a JSON object, or null for none; checked like a
// job's: a missing required or unknown parameter throws ParamError with the same message).
// Runs on the calling thread, on `session`, which must have no transaction open; the deadline
// is the type's timeout (else options.default_timeout_s). Throws std::invalid_argument when no
// loaded plugin provides `type` ("no loaded plugin provides job type 'x' (loaded: ...)") or it
// is not read-only ("job type x is not a read-only query: ..."); a store error opening or ending
// the transaction propagates (store::StoreError). Everything the plugin does wrong is `error`.
QueryOutcome run_query(plugin::PluginRegistry& registry, store::Session& session,
                       const RunnerOptions& options, const std::string& type,
                       const nlohmann::json& params);

// The plugin's status query: its read-only job type named "<namespace>.status" (meraki.status,
// zabbix.status), or nullptr when it declares none (an API answers 404).
const plugin::JobTypeSpec* status_query_of(const plugin::PluginSpec& plugin);

}  // namespace jobhost::jobs
