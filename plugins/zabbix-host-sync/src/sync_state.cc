#include "sync_state.h"

namespace zhs {

const char* state_condition(const std::string& state) {
  if (state == "all") return "1 = 1";
  if (state == "in_sync") return "in_sync = 1";
  // A failed check also sets in_sync = 0: it is told apart by its error.
  if (state == "out_of_sync") return "in_sync = 0 AND last_error IS NULL";
  if (state == "failed") return "last_error IS NOT NULL";
  if (state == "unchecked") return "in_sync IS NULL";
  return nullptr;
}

nlohmann::json count_by_state(const jobhost::Run& run) {
  nlohmann::json counts = nlohmann::json::object();
  for (const char* s : {"in_sync", "out_of_sync", "failed", "unchecked"}) {
    auto rows = run.query(std::string("SELECT COUNT(*) FROM zabbix_host_configs WHERE ") +
                          state_condition(s));
    rows.next();
    counts[s] = rows.get<int64_t>(0);
  }
  return counts;
}

nlohmann::json hosts_in_state(const jobhost::Run& run, const std::string& state,
                              const std::optional<std::string>& host, int64_t limit) {
  const std::string sql =
      std::string(
          "SELECT host, hostid, in_sync, last_sync_update, last_difference, last_error "
          "FROM zabbix_host_configs WHERE ") +
      state_condition(state) + (host ? " AND host = :host" : "") + " ORDER BY host LIMIT :limit";
  auto rows = host ? run.query(sql, *host, limit) : run.query(sql, limit);
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
  return hosts;
}

std::optional<int64_t> last_host_check(const jobhost::Run& run) {
  auto rows = run.query("SELECT MAX(last_sync_update) FROM zabbix_host_configs");
  rows.next();
  return rows.get<std::optional<int64_t>>(0);
}

}  // namespace zhs
