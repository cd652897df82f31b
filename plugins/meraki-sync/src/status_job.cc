// meraki.status: what the seed's settings page showed (scheduling on or off, interval, mode,
// last and next scheduled sync) from the host's schedule registry, plus the last sync run, the
// inventory per organization and the change sets waiting for review.
#include <nlohmann/json.hpp>

#include "inventory_tables.h"
#include "jobs.h"
#include "meraki_settings.h"
#include "review_queue.h"

namespace mks {

namespace {

nlohmann::json time_or_null(const std::optional<int64_t>& t) {
  return t ? nlohmann::json(jobhost::rfc3339(*t)) : nlohmann::json();
}

}  // namespace

jobhost::Result status(jobhost::Run& run) {
  const auto settings = read_settings(run);
  nlohmann::json out = {{"enable_scheduled_sync", settings.enable_scheduled_sync},
                        {"sync_interval_minutes", settings.sync_interval_minutes},
                        {"scheduled_sync_mode", to_string(settings.scheduled_sync_mode)},
                        {"schedule", nullptr},
                        {"last_scheduled_sync", nullptr},
                        {"next_scheduled_sync", nullptr}};
  for (const auto& s : run.schedules(kSync)) {
    if (!s.key.empty()) continue;
    out["schedule"] = {{"when", s.schedule}, {"source", s.source}, {"enabled", s.enabled}};
    out["last_scheduled_sync"] = time_or_null(s.last_fired_at);
    out["last_scheduled_outcome"] = s.last_outcome ? nlohmann::json(*s.last_outcome) : nullptr;
    if (s.enabled) out["next_scheduled_sync"] = time_or_null(s.next_run_at);
  }
  out["last_sync"] = nullptr;
  for (const auto& j : run.latest_jobs(kSync))
    out["last_sync"] = {{"job_id", j.job_id},
                        {"status", j.status},
                        {"started_at", time_or_null(j.started_at)},
                        {"finished_at", time_or_null(j.finished_at)},
                        {"error", j.error ? nlohmann::json(*j.error) : nullptr},
                        {"retry_at", time_or_null(j.retry_at)}};
  nlohmann::json orgs = nlohmann::json::array();
  for (const auto& c : InventoryTables(run).counts())
    orgs.push_back({{"id", c.organization_id},
                    {"name", c.name},
                    {"sites", c.sites},
                    {"devices", c.devices},
                    {"last_synced_at", time_or_null(c.last_synced_at)}});
  out["organizations"] = orgs;
  nlohmann::json pending = nlohmann::json::array();
  for (const auto& s : ReviewQueue(run).list("pending", -1))
    pending.push_back({{"id", s.id},
                       {"changes", s.change_count},
                       {"created_at", jobhost::rfc3339(s.created_at)}});
  out["pending_change_sets"] = pending;
  return jobhost::Result::ok(out.dump());
}

}  // namespace mks
