#include "schedule/firing.h"

#include <soci/soci.h>
#include <nlohmann/json.hpp>

#include "jobs/job_store.h"
#include "jobs/new_job.h"
#include "jobs/params.h"
#include "metrics/metrics.h"
#include "schedule/next_run.h"
#include "schedule/spec.h"

namespace jobhost::schedule {

const char* fire_kind_name(FireResult::Kind k) {
  switch (k) {
    case FireResult::Kind::enqueued:
      return "enqueued";
    case FireResult::Kind::skipped:
      return "skipped";
    case FireResult::Kind::not_due:
      return "not_due";
    case FireResult::Kind::lost:
      return "lost";
    case FireResult::Kind::failed:
      return "failed";
  }
  return "failed";
}

namespace {

void schedule_event(jobs::JobStore& jobs, const ScheduleRecord& r, const std::string& level,
                    const std::string& message, std::optional<int64_t> job_id, Micros now,
                    const nlohmann::json& data) {
  jobs::EventRecord e;
  e.created_at = now;
  e.name = r.job_type;
  e.job_id = job_id;
  e.level = level;
  e.message = message;
  e.data = data.dump();
  jobs.insert_event(e);
}

}  // namespace

FireResult fire_schedule(store::Session& session, const plugin::PluginRegistry& plugins,
                         const ScheduleRecord& record, Micros now, bool event_log) {
  FireResult result;
  if (!record.enabled) return result;
  const ScheduleSpec spec = parse_schedule(record.spec);
  const Micros offset = jitter_offset(record.name(), spec.jitter);
  const NextRun plan = plan_next_run(spec, rhythm_anchor(record, spec), now, offset);
  if (plan.at > now) {
    result.next_run_at = plan.at;
    return result;
  }
  result.slot = fired_slot(spec, plan.slot, now, offset);
  result.next_run_at = plan_next_run(spec, result.slot, now + 1, offset).at;

  ScheduleStore schedules(session);
  jobs::JobStore jobs(session);
  store::WriteTransaction tx(session);
  if (!schedules.advance(record.id, record.last_scheduled_at, record.spec, result.slot, now,
                         result.next_run_at, now)) {
    result.kind = FireResult::Kind::lost;  // another process fired this slot
    return result;
  }
  const nlohmann::json data = {{"schedule", record.name()},
                               {"slot", format_time(result.slot)},
                               {"next_run_at", format_time(result.next_run_at)}};
  const auto type = plugins.find_job_type(record.job_type);
  jobs::NewJob job;
  try {
    if (!type)
      throw std::invalid_argument("no loaded plugin provides job type '" + record.job_type + "'");
    auto given = nlohmann::json::parse(record.params, nullptr, false);
    if (given.is_discarded()) throw std::invalid_argument("its params are not valid JSON");
    if (!record.key.empty() && !type->key_param.empty()) given[type->key_param] = record.key;
    // scheduled_at is the slot the run stands for (never later than now: due at once). How
    // late it starts is measured against it; (schedule, slot) is unique among jobs.
    job = jobs::make_new_job(*type, jobs::params_from_json(*type, given), "schedule", result.slot);
    job.schedule_id = record.id;
  } catch (const std::exception& e) {
    result.kind = FireResult::Kind::failed;
    result.message = e.what();
    schedules.record_outcome(record.id, std::nullopt, "failed", now);
    if (event_log)
      schedule_event(jobs, record, "error",
                     "schedule " + record.name() + " could not fire: " + e.what(), std::nullopt,
                     now, data);
    tx.commit();
    metrics::schedule_fired(record.job_type, now - result.slot);
    return result;
  }

  // In this transaction, enqueue undoes only its own insert when the singleton slot is taken.
  try {
    result.job_id = jobs.enqueue(job, now);
    result.kind = FireResult::Kind::enqueued;
  } catch (const jobs::SingletonConflict& c) {
    result.kind = FireResult::Kind::skipped;
    result.holder_id = c.holder();
    result.message = "skipped: job " + std::to_string(c.holder()) + " (" +
                     jobs::status_name(c.holder_status()) + ") still holds the singleton slot";
    schedules.record_outcome(record.id, c.holder(), "skipped", now);
    if (event_log) {
      auto d = data;
      d["held_by_job"] = c.holder();
      schedule_event(jobs, record, "warn", result.message, c.holder(), now, d);
    }
  }
  tx.commit();
  // Here rather than in the daemon's scheduler: `jobhost tick` fires through here too.
  metrics::schedule_fired(record.job_type, now - result.slot);
  return result;
}

}  // namespace jobhost::schedule
