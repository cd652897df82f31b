// zabbix.report: the HostConfigs' sync state, read-only, for `jobhost run-now zabbix.report
// --json` and scripts: counts by state and the matching hosts with their differences.
#include <nlohmann/json.hpp>

#include "jobs.h"

namespace zhs {

namespace {

// The WHERE condition of each state a user can ask for.
const char* state_condition(const std::string& state) {
  if (state == "all") return "1 = 1";
  if (state == "in_sync") return "in_sync = 1";
  if (state == "out_of_sync") return "in_sync = 0 AND last_error IS NULL";
  if (state == "failed") return "last_error IS NOT NULL";
  if (state == "unchecked") return "in_sync IS NULL";
  return nullptr;
}

}  // namespace

jobhost::Result report(jobhost::Run& run) {
  const auto state = run.param<std::string>("state");
  const auto only = run.param<std::optional<std::string>>("host");
  const int64_t limit = run.param<int64_t>("limit");
  const char* condition = state_condition(state);
  if (!condition)
    throw jobhost::Error(
        "state must be all, in_sync, out_of_sync, failed or unchecked, got '" + state + "'",
        JH_INVALID_ARGUMENT);

  nlohmann::json counts = nlohmann::json::object();
  for (const char* s : {"in_sync", "out_of_sync", "failed", "unchecked"}) {
    auto rows = run.query(std::string("SELECT COUNT(*) FROM zabbix_host_configs WHERE ") +
                          state_condition(s));
    rows.next();
    counts[s] = rows.get<int64_t>(0);
  }

  std::string sql =
      std::string(
          "SELECT host, hostid, in_sync, last_sync_update, last_difference, last_error "
          "FROM zabbix_host_configs WHERE ") +
      condition + (only ? " AND host = :host" : "") + " ORDER BY host LIMIT :limit";
  auto rows = only ? run.query(sql, *only, limit) : run.query(sql, limit);
  nlohmann::json hosts = nlohmann::json::array();
  while (rows.next()) {
    nlohmann::json h = {{"host", rows.get<std::string>(0)}};
    h["hostid"] = rows.is_null(1) ? nlohmann::json() : nlohmann::json(rows.get<std::string>(1));
    h["in_sync"] = rows.is_null(2) ? nlohmann::json() : nlohmann::json(rows.get<int64_t>(2) != 0);
    h["last_sync_update"] =
        rows.is_null(3) ? nlohmann::json() : nlohmann::json(jobhost::rfc3339(rows.get<int64_t>(3)));
    h["differences"] =
        rows.is_null(4) ? nlohmann::json::array() : nlohmann::json::parse(rows.get<std::string>(4));
    h["error"] = rows.is_null(5) ? nlohmann::json() : nlohmann::json(rows.get<std::string>(5));
    hosts.push_back(std::move(h));
  }
  return jobhost::Result::ok(
      nlohmann::json{{"state", state}, {"counts", counts}, {"hosts", hosts}}.dump());
}

}  // namespace zhs
