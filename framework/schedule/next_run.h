// When a schedule runs next: the misfire rule of DESIGN.md as pure functions (no clock, no store).
//
// Slots. A schedule's rhythm is a series of slots: for `every P` the grid previous + k*P, anchored
// where the schedule first ran; for `cron` its fire times (cron.h). The store keeps, per schedule,
// `previous_scheduled`: the slot of the last run the schedule fired. A schedule that never fired
// passes either 0 ("run at once") or the time it was created (an anchor: "start the rhythm then").
//
// plan_next_run(spec, previous, now) -> {at, slot}, always at >= now.
//   every P:
//   - previous 0 (never fired): at = slot = now. A new schedule runs at once.
//   - previous + P >= now: at = slot = previous + P. On time, also when now is exactly the slot.
//   - previous + P < now (late, or downtime): at = now, slot = previous + k*P, the last slot
//     <= now. ONE overdue run now; the plan after it is slot + P, on the original grid.
//   cron:
//   - previous 0 (never fired): at = slot = now. Pass the creation time instead to wait for the
//     first fire time after it (a nightly job then does not run at install time).
//   - first fire time after previous >= now: at = slot = that fire time.
//   - otherwise: at = now, slot = the last fire time <= now. One run now, then the next fire
//     time after now.
//
// Jitter (spec.jitter, offset = jitter_offset(key, spec.jitter)) shifts the whole rhythm by a
// fixed offset in [0, jitter): every slot runs at slot + offset, and "overdue" is judged on that
// shifted clock. Slots themselves are never shifted, so the offset may change (say, jitter is
// edited) without moving the grid.
//
// How the schedule registry uses these (every step is safe to repeat, on any host):
//   1. plan = plan_next_run(spec, previous_scheduled, now, offset); arm a timer for plan.at.
//   2. When the timer fires, plan again with the new `now` from the stored previous_scheduled. If
//      plan.at <= now: enqueue ONE run and store fired_slot(spec, plan.slot, now, offset) as
//      previous_scheduled, in one transaction, as a conditional update on the old value (two
//      hosts, or a daemon and a tick: one wins). fired_slot is plan.slot unless the timer fired
//      so late (a suspended host) that more slots passed: the one run stands for all of them.
//   3. On start, reload or an edited schedule: step 1 with the stored previous_scheduled. After
//      downtime that gives one overdue run now, then the rhythm.
//   A skipped run (singleton still running) fired its slot; so did a failed or crashed one. A
//   manual trigger is not a slot and leaves previous_scheduled alone.
#pragma once

#include <string_view>

#include "core/time.h"
#include "schedule/spec.h"

namespace jobhost::schedule {

struct NextRun {
  Micros at = 0;    // when to run: now or later
  Micros slot = 0;  // the slot the run stands for; store it once the run is enqueued
  bool operator==(const NextRun&) const = default;
};

NextRun plan_next_run(const ScheduleSpec& spec, Micros previous_scheduled, Micros now,
                      Micros offset = 0);

// plan_next_run(spec, previous_scheduled, now).at: the next run without jitter.
Micros next_run_after(const ScheduleSpec& spec, Micros previous_scheduled, Micros now);

// The slot a planned run stands for when it fires at `now`: planned_slot, or the last slot
// <= now if `now` is later than the slot after it.
Micros fired_slot(const ScheduleSpec& spec, Micros planned_slot, Micros now, Micros offset = 0);

// A fixed offset in [0, jitter) for one schedule, the same on every host and in every build
// (FNV-1a of the key, mixed): spreads schedules that share a rhythm. 0 when jitter <= 0. Key: the
// job type, plus "/" and the object key for per-object schedules ("hedgehog.fabric_sync/fab-1").
Micros jitter_offset(std::string_view schedule_key, Micros jitter);

}  // namespace jobhost::schedule
