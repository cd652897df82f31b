// What `jobhost status` and GET /api/v1/status show: the hosts of the store, the schedules by
// next run, the running jobs and the recent failures, read in one place so that the command,
// the API and the dashboard never disagree.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "daemon/host_registry.h"
#include "host/host.h"
#include "jobs/job_store.h"
#include "schedule/schedule_store.h"

namespace jobhost::views {

struct StatusSnapshot {
  Micros now = 0;
  Micros lost_after = 0;
  std::vector<daemon::HostRecord> hosts;            // lost ones listed for a day
  std::vector<schedule::ScheduleRecord> schedules;  // soonest next run first
  std::vector<jobs::JobRecord> running;
  std::vector<jobs::JobRecord> errored, failed;  // the latest few of each

  bool lost(const daemon::HostRecord& h) const;
};

// Reads it through `session` (the caller's thread's). Throws store::StoreError.
StatusSnapshot read_status(store::Session& session, Micros lost_after);

// The JSON of `jobhost status --json`; `host` gives the store's description and the plugins.
nlohmann::json status_json(const StatusSnapshot& s, Host& host);

}  // namespace jobhost::views
