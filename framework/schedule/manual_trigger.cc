#include "schedule/manual_trigger.h"

#include "core/time.h"
#include "jobs/job_store.h"
#include "jobs/new_job.h"
#include "jobs/params.h"
#include "schedule/schedule_store.h"

namespace jobhost::schedule {

int64_t trigger_job(store::Session& session, const plugin::JobTypeSpec& type,
                    const ManualTrigger& trigger) {
  ScheduleStore schedules(session);
  auto sched = schedules.find(type.name, trigger.key);
  if (sched && !sched->enabled && !trigger.force)
    throw TriggerRefused(TriggerRefused::Reason::schedule_disabled,
                         "the schedule of " + sched->name() +
                             " is disabled; use --force to run it anyway (\"force\": true over "
                             "HTTP), or `jobhost enable " +
                             type.name + (trigger.key.empty() ? "" : " --key " + trigger.key) +
                             "`");
  nlohmann::json params = trigger.params;
  if (!trigger.key.empty()) {
    if (type.key_param.empty())
      throw TriggerRefused(TriggerRefused::Reason::no_key_param,
                           "job type " + type.name + " takes no key (it has no key parameter)");
    if (!params.contains(type.key_param)) {
      params[type.key_param] = trigger.key;
      params = jobs::params_from_json(type, params);
    }
  }
  const Micros now = now_micros();
  jobs::JobStore jobs(session);
  return jobs.enqueue(jobs::make_new_job(type, params, trigger.origin, now), now);
}

}  // namespace jobhost::schedule
