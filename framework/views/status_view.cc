#include "views/status_view.h"

#include <algorithm>
#include <cstdint>

namespace jobhost::views {

namespace {

std::vector<jobs::JobRecord> jobs_with(jobs::JobStore& store, jobs::JobStatus status,
                                       int64_t limit) {
  jobs::JobFilter f;
  f.status = status;
  if (limit > 0) f.limit = limit;
  return store.list(f);
}

}  // namespace

bool StatusSnapshot::lost(const daemon::HostRecord& h) const {
  return h.lost_at.has_value() || h.heartbeat_at < now - lost_after;
}

StatusSnapshot read_status(store::Session& session, Micros lost_after) {
  StatusSnapshot s;
  s.now = now_micros();
  s.lost_after = lost_after;
  // Lost hosts stay listed for a day (then they are history, not news).
  s.hosts = daemon::live_hosts(session, s.now - 86400LL * 1000000);
  s.schedules = schedule::ScheduleStore(session).list();
  std::sort(s.schedules.begin(), s.schedules.end(), [](const auto& a, const auto& b) {
    return a.next_run_at.value_or(INT64_MAX) < b.next_run_at.value_or(INT64_MAX);
  });
  jobs::JobStore jobs(session);
  s.running = jobs_with(jobs, jobs::JobStatus::running, 0);
  s.errored = jobs_with(jobs, jobs::JobStatus::errored, 5);
  s.failed = jobs_with(jobs, jobs::JobStatus::failed, 5);
  return s;
}

nlohmann::json status_json(const StatusSnapshot& s, Host& host) {
  nlohmann::json j;
  j["now"] = format_time(s.now);
  j["store"] = host.database().describe();
  j["hosts"] = nlohmann::json::array();
  for (const auto& h : s.hosts) {
    auto runs = nlohmann::json::array();
    for (const auto& r : s.running)
      if (r.host == h.instance) runs.push_back({{"id", r.id}, {"type", r.type}});
    j["hosts"].push_back(
        {{"instance", h.instance},
         {"name", h.name},
         {"machine", h.machine},
         {"pid", h.pid},
         {"version", h.version},
         {"role", h.role},
         {"state", s.lost(h) ? "lost" : "live"},
         {"started_at", format_time(h.started_at)},
         {"heartbeat_at", format_time(h.heartbeat_at)},
         {"lost_at", h.lost_at ? nlohmann::json(format_time(*h.lost_at)) : nlohmann::json()},
         {"api_url", h.api_url.empty() ? nlohmann::json() : nlohmann::json(h.api_url)},
         {"running", runs}});
  }
  j["plugins"] = nlohmann::json::array();
  for (const auto& p : host.plugins().plugins())
    j["plugins"].push_back({{"name", p->spec.name}, {"version", p->spec.version}});
  j["plugins_refused"] = host.refusals().size();
  j["schedules"] = nlohmann::json::array();
  for (const auto& r : s.schedules) j["schedules"].push_back(r.to_json());
  j["running"] = nlohmann::json::array();
  for (const auto& r : s.running) j["running"].push_back(r.to_json());
  j["recent_failures"] = nlohmann::json::array();
  for (const auto* list : {&s.errored, &s.failed})
    for (const auto& r : *list) j["recent_failures"].push_back(r.to_json());
  return j;
}

}  // namespace jobhost::views
