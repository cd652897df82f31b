// Firing a due schedule: in one transaction, move the schedule on by one slot (a conditional
// update, so among several hosts, a daemon and a tick, exactly one fires each slot) and
// enqueue its job; when a singleton's previous run still holds the slot, record the fire as
// skipped with an event naming that run, instead of queueing a duplicate.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/time.h"
#include "plugin/registry.h"
#include "schedule/schedule_store.h"
#include "store/database.h"

namespace jobhost::schedule {

struct FireResult {
  enum class Kind { enqueued, skipped, not_due, lost, failed };
  Kind kind = Kind::not_due;
  int64_t job_id = 0;      // enqueued
  int64_t holder_id = 0;   // skipped: the job that holds the singleton slot
  Micros slot = 0;         // the slot fired
  Micros next_run_at = 0;  // the schedule's next run after this
  std::string message;     // skipped and failed: why
};
const char* fire_kind_name(FireResult::Kind k);

// Fires `record` if it is due at `now`. Never throws for a job-level problem (unknown job type,
// bad parameters: `failed`, the schedule still moves on); throws StoreError when the store
// fails (nothing changed).
FireResult fire_schedule(store::Session& session, const plugin::PluginRegistry& plugins,
                         const ScheduleRecord& record, Micros now, bool event_log);

}  // namespace jobhost::schedule
