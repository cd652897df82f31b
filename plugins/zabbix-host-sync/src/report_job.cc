// zabbix.report: the HostConfigs' sync state, read-only, for `jobhost run-now zabbix.report
// --json` and scripts: counts by state and the matching hosts with their differences.
#include <nlohmann/json.hpp>

#include "jobs.h"
#include "sync_state.h"

namespace zhs {

jobhost::Result report(jobhost::Run& run) {
  const auto state = run.param<std::string>("state");
  const auto only = run.param<std::optional<std::string>>("host");
  const int64_t limit = run.param<int64_t>("limit");
  if (!state_condition(state))
    throw jobhost::Error(
        "state must be all, in_sync, out_of_sync, failed or unchecked, got '" + state + "'",
        JH_INVALID_ARGUMENT);
  return jobhost::Result::ok(nlohmann::json{{"state", state},
                                            {"counts", count_by_state(run)},
                                            {"hosts", hosts_in_state(run, state, only, limit)}}
                                 .dump());
}

}  // namespace zhs
