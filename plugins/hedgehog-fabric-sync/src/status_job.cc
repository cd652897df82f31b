// hedgehog.status: per fabric, what the seed's `start_periodic_sync --status --json` promised:
// status, last sync, next sync, counts and error. The plugin's table says what the last
// completed sync left; the host says whether a sync runs now or the last one errored (an
// errored run's writes are rolled back) and when the next one is due.
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "fabric_config.h"
#include "fabric_tables.h"
#include "jobs.h"

namespace hfs {

namespace {

nlohmann::json time_or_null(const std::optional<int64_t>& t) {
  return t ? nlohmann::json(jobhost::rfc3339(*t)) : nlohmann::json();
}

// The fabric's status word and its error, from what is stored and the latest run.
std::pair<std::string, nlohmann::json> status_of(const FabricRecord* record,
                                                 const jobhost::JobInfo* latest,
                                                 const Fabric* fabric, int64_t now) {
  if (latest && latest->status == "running") return {"syncing", nullptr};
  const bool errored = latest && (latest->status == "errored" || latest->status == "failed" ||
                                  (latest->status == "scheduled" && latest->error));
  if (errored) {
    std::string error = latest->error.value_or(latest->status);
    if (latest->retry_at) error += " (retrying at " + jobhost::rfc3339(*latest->retry_at) + ")";
    return {"error", error};
  }
  if (!record || !record->last_sync) return {"never_synced", nullptr};
  const nlohmann::json note =
      record->sync_error ? nlohmann::json(*record->sync_error) : nlohmann::json();
  if (fabric && fabric->scheduled() &&
      now - *record->last_sync > 2 * fabric->sync_interval_s * 1000000)
    return {"out_of_sync", "the last sync is older than two sync intervals"};
  return {record->sync_status, note};
}

}  // namespace

jobhost::Result status(jobhost::Run& run) {
  const auto fabrics = configured_fabrics(run);
  std::map<std::string, FabricRecord> records;
  for (auto& r : FabricTables(run).fabrics()) records.emplace(r.name, std::move(r));
  std::map<std::string, jobhost::JobInfo> latest;
  for (auto& j : run.latest_jobs(kFabricSync)) latest.emplace(j.key, std::move(j));
  std::map<std::string, jobhost::ScheduleInfo> schedules;
  for (auto& s : run.schedules(kFabricSync)) schedules.emplace(s.key, std::move(s));

  std::set<std::string> names;
  for (const auto& f : fabrics) names.insert(f.name);
  for (const auto& [name, r] : records) names.insert(name);

  const int64_t now = jobhost::now_micros();
  nlohmann::json out = nlohmann::json::array();
  nlohmann::json summary = nlohmann::json::object();
  for (const auto& name : names) {
    const Fabric* fabric = nullptr;
    for (const auto& f : fabrics)
      if (f.name == name) fabric = &f;
    const auto record = records.find(name);
    const auto job = latest.find(name);
    const auto schedule = schedules.find(name);
    const FabricRecord* r = record == records.end() ? nullptr : &record->second;
    auto [word, error] = status_of(r, job == latest.end() ? nullptr : &job->second, fabric, now);
    nlohmann::json f = {
        {"name", name}, {"configured", fabric != nullptr}, {"status", word}, {"error", error}};
    if (fabric) {
      f["sync_enabled"] = fabric->sync_enabled;
      f["sync_interval"] = fabric->sync_interval_s;
    } else {
      f["note"] = "not in the configuration: hedgehog.forget_fabric removes its synced data";
    }
    f["last_sync"] = time_or_null(r ? r->last_sync : std::nullopt);
    f["next_sync"] = schedule == schedules.end() || !schedule->second.enabled
                         ? nlohmann::json()
                         : time_or_null(schedule->second.next_run_at);
    f["schedule"] =
        schedule == schedules.end() ? nlohmann::json() : nlohmann::json(schedule->second.schedule);
    f["objects"] = r ? r->objects : 0;
    f["counts"] = nlohmann::json::parse(r ? r->counts : "{}");
    f["missing_kinds"] = nlohmann::json::parse(r ? r->missing_kinds : "[]");
    f["cluster_version"] = r ? r->cluster_version : "";
    if (job != latest.end())
      f["last_job"] = {{"id", job->second.job_id}, {"status", job->second.status}};
    summary[word] = summary.value(word, 0) + 1;
    out.push_back(std::move(f));
  }
  return jobhost::Result::ok(nlohmann::json({{"fabrics", out}, {"summary", summary}}).dump());
}

}  // namespace hfs
