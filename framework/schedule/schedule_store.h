// The jh_schedules table: one row per (job type, key) with its rhythm (the last slot fired),
// the next run, the last outcome and the enabled flag. Every change is a single statement or
// a conditional update, so several processes can share the table.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/time.h"
#include "schedule/spec.h"
#include "store/database.h"

namespace jobhost::schedule {

enum class Source { job_type_default, config, plugin };
const char* source_name(Source s);  // "default", "config", "plugin"

struct ScheduleRecord {
  int64_t id = 0;
  std::string job_type;
  std::string key;
  std::string source;
  std::string spec;  // canonical schedule text
  std::string params = "{}";
  bool enabled = true;
  std::optional<Micros> next_run_at;
  std::optional<Micros> last_scheduled_at;  // the slot of the last fire: the rhythm's anchor
  std::optional<Micros> last_fired_at;
  std::optional<int64_t> last_job_id;
  std::optional<std::string> last_outcome;  // completed, failed, errored, skipped
  std::optional<Micros> last_finished_at;
  Micros created_at = 0;
  Micros updated_at = 0;

  // "hedgehog.fabric_sync/fab-1", or the job type alone; also the jitter key.
  std::string name() const { return key.empty() ? job_type : job_type + "/" + key; }
  nlohmann::json to_json() const;
};

// What should exist: from a job type's default, the YAML, or a plugin.
struct DesiredSchedule {
  std::string job_type;
  std::string key;
  Source source = Source::config;
  std::string spec;  // canonical text (ScheduleSpec::text)
  std::string params = "{}";
  // Set: the schedule is (re)enabled or disabled. Unset: a new schedule is enabled, an
  // existing one keeps its flag (so `jobhost disable` holds across restarts).
  std::optional<bool> enabled;
};

class ScheduleStore {
 public:
  explicit ScheduleStore(store::Session& session) : session_(session) {}

  std::vector<ScheduleRecord> list();
  // Rows changed after `after` (updated_at), for a daemon keeping its timers in step.
  std::vector<ScheduleRecord> changed_since(Micros after);
  std::optional<ScheduleRecord> find(const std::string& job_type, const std::string& key);
  std::optional<ScheduleRecord> get(int64_t id);
  // Enabled schedules whose next run is due at `now`.
  std::vector<ScheduleRecord> due(Micros now);

  // Creates the row for (job type, key) or updates it in place: a changed rhythm replaces the
  // old one (there is only ever one row, so never a second chain). The last fired slot is kept,
  // so a new interval continues from the last run. Returns the row as stored.
  ScheduleRecord upsert(const DesiredSchedule& d, Micros now);
  bool remove(const std::string& job_type, const std::string& key);
  // False when there is no such schedule.
  bool set_enabled(const std::string& job_type, const std::string& key, bool enabled, Micros now);

  // In the caller's transaction: moves the schedule on by one fire, only if nobody else did
  // (its last slot is still `expected_last`) and it is still the schedule the caller planned
  // with (`expected_spec`: a reload elsewhere may have changed it). False otherwise.
  bool advance(int64_t id, std::optional<Micros> expected_last, const std::string& expected_spec,
               Micros fired_slot, Micros fired_at, Micros next_run_at, Micros now);
  // In the caller's transaction: the outcome of a run the schedule fired (or "skipped").
  void record_outcome(int64_t id, std::optional<int64_t> job_id, const std::string& outcome,
                      Micros at);
  // PostgreSQL: locks the schedule's row for the caller's transaction. Whoever ends a job of a
  // schedule (runner, rescue, watchdog) calls it before touching the job's row: a fire takes
  // the schedule's row first and then, inserting the next job, waits on the singleton slot of
  // the ending one; locking in the other order deadlocked the two. SQLite: one writer, no-op.
  void lock_for_outcome(int64_t id);

 private:
  std::vector<ScheduleRecord> select(const std::string& where, const std::vector<long long>& ints,
                                     const std::vector<std::string>& texts);
  store::Session& session_;
};

// The slot the rhythm continues from: the last one fired. A schedule that never fired has
// none: an interval then runs at once (a new sync should not wait a whole period), a cron
// schedule at its first time after it was created (a nightly job does not run at install).
Micros rhythm_anchor(const ScheduleRecord& r, const ScheduleSpec& spec);

// When the schedule `r` runs next, by the misfire rule (next_run.h), at `now`.
Micros planned_next_run(const ScheduleRecord& r, Micros now);

}  // namespace jobhost::schedule
