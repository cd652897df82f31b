#include "daemon/schedules_sync.h"

#include "config/problem.h"
#include "core/logging.h"

namespace jobhost::daemon {

schedule::ReconcileReport sync_schedules(Host& host, const config::HostConfig& config) {
  auto desired = schedule::desired_schedules(config, host.plugins());
  for (const auto& p : desired.problems)
    host_log()->error("{} (this schedule is left as it was)", config::format_problem(p));
  // A job type whose YAML entry is broken keeps its stored schedule rather than losing it.
  std::vector<schedule::DesiredSchedule> keep = desired.schedules;
  if (!desired.problems.empty()) {
    schedule::ScheduleStore store(host.session());
    for (const auto& r : store.list()) {
      bool broken = false;
      for (const auto& p : desired.problems)
        if (p.key_path == "schedules." + r.job_type ||
            p.key_path.rfind("schedules." + r.job_type + ".", 0) == 0)
          broken = true;
      if (broken && r.source != "plugin")
        keep.push_back(
            {r.job_type, r.key,
             r.source == "default" ? schedule::Source::job_type_default : schedule::Source::config,
             r.spec, r.params, std::nullopt});
    }
  }
  auto report = schedule::reconcile_schedules(host.session(), keep, now_micros());
  if (report.created || report.updated || report.removed)
    host_log()->info("schedules: {} created, {} changed, {} removed, {} unchanged", report.created,
                     report.updated, report.removed, report.unchanged);
  return report;
}

}  // namespace jobhost::daemon
