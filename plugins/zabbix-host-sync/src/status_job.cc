// zabbix.status: what an operator's dashboard shows, in one read-only answer: how many hosts are
// in sync, out of sync, failed to check or never checked; the hosts that need attention (capped);
// when the last check ran and how it ended; and when the next refresh is due. Declared
// read-only (ABI 1.4), so the host's API runs it as a query without recording a job.
#include <nlohmann/json.hpp>

#include "jobs.h"
#include "sync_state.h"

namespace zhs {

namespace {

nlohmann::json time_or_null(const std::optional<int64_t>& t) {
  return t ? nlohmann::json(jobhost::rfc3339(*t)) : nlohmann::json();
}

// The refresh that started last, as the host recorded it: an errored refresh rolled back its
// writes, so only the host can say that the table's state is older than it looks.
nlohmann::json last_refresh(const jobhost::Run& run) {
  for (const auto& j : run.latest_jobs(kRefresh))
    if (j.key.empty())
      return {{"job_id", j.job_id},
              {"status", j.status},
              {"started_at", time_or_null(j.started_at)},
              {"finished_at", time_or_null(j.finished_at)},
              {"error", j.error ? nlohmann::json(*j.error) : nlohmann::json()},
              {"retry_at", time_or_null(j.retry_at)}};
  return nullptr;
}

// The refresh's own schedule (the plugin sets it from host_config_sync_interval).
nlohmann::json refresh_schedule(const jobhost::Run& run) {
  for (const auto& s : run.schedules(kRefresh))
    if (s.key.empty())
      return {{"when", s.schedule},
              {"source", s.source},
              {"enabled", s.enabled},
              {"next_run_at", s.enabled ? time_or_null(s.next_run_at) : nlohmann::json()},
              {"last_outcome", s.last_outcome ? nlohmann::json(*s.last_outcome) : nullptr}};
  return nullptr;
}

// One word for a dashboard's badge, worst first.
std::string overall(const nlohmann::json& counts, const nlohmann::json& refresh) {
  const bool refresh_errored =
      refresh.is_object() && (refresh["status"] == "errored" || refresh["status"] == "failed" ||
                              (refresh["status"] == "scheduled" && !refresh["error"].is_null()));
  if (refresh_errored) return "error";
  if (counts["out_of_sync"].get<int64_t>() > 0 || counts["failed"].get<int64_t>() > 0)
    return "out_of_sync";
  if (counts["unchecked"].get<int64_t>() > 0) return "unchecked";
  if (counts["in_sync"].get<int64_t>() > 0) return "in_sync";
  return "empty";
}

// The hosts of one state with the details that matter there, and whether the list is cut.
nlohmann::json attention_list(const jobhost::Run& run, const std::string& state, int64_t total,
                              int64_t limit) {
  nlohmann::json hosts = nlohmann::json::array();
  for (auto& h : hosts_in_state(run, state, std::nullopt, limit)) {
    nlohmann::json item = {{"host", h["host"]}, {"last_sync_update", h["last_sync_update"]}};
    if (state == "failed")
      item["error"] = h["error"];
    else
      item["differences"] = h["differences"];
    hosts.push_back(std::move(item));
  }
  return {{"hosts", hosts}, {"truncated", total > static_cast<int64_t>(hosts.size())}};
}

}  // namespace

jobhost::Result status(jobhost::Run& run) {
  const int64_t limit = run.param<int64_t>("limit");
  if (limit < 0)
    throw jobhost::Error("limit must be 0 or more hosts, got " + std::to_string(limit),
                         JH_INVALID_ARGUMENT);
  const nlohmann::json counts = count_by_state(run);
  int64_t total = 0;
  for (const auto& [state, n] : counts.items()) total += n.get<int64_t>();
  const nlohmann::json refresh = last_refresh(run);
  const nlohmann::json schedule = refresh_schedule(run);

  nlohmann::json out = {
      {"status", overall(counts, refresh)},
      {"hosts", total},
      {"counts", counts},
      {"out_of_sync",
       attention_list(run, "out_of_sync", counts["out_of_sync"].get<int64_t>(), limit)},
      {"failed", attention_list(run, "failed", counts["failed"].get<int64_t>(), limit)},
      {"last_host_check", time_or_null(last_host_check(run))},
      {"last_refresh", refresh},
      {"refresh_schedule", schedule},
      {"next_refresh", schedule.is_object() ? schedule["next_run_at"] : nlohmann::json()}};
  return jobhost::Result::ok(out.dump());
}

}  // namespace zhs
