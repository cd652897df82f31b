#include "schedule/next_run.h"

#include <cstdint>

#include "schedule/cron.h"
#include "schedule/time_zone.h"

namespace jobhost::schedule {
namespace {

TimeZone zone_of(const ScheduleSpec& spec) {
  return TimeZone::locate(spec.time_zone);
}

// The plan on the schedule's own clock: `now` already has the jitter offset taken off.
NextRun plan_nominal(const ScheduleSpec& spec, Micros previous, Micros now) {
  if (spec.kind == ScheduleSpec::Kind::interval) {
    if (spec.interval <= 0) throw ScheduleError("interval must be at least 1s");
    if (previous == 0) return {now, now};
    const Micros due = previous + spec.interval;
    if (due >= now) return {due, due};
    const Micros missed = (now - previous) / spec.interval;  // >= 1
    return {now, previous + missed * spec.interval};
  }
  if (previous == 0) return {now, now};
  const TimeZone zone = zone_of(spec);
  const Micros due = next_fire(spec.cron, previous, zone);
  if (due >= now) return {due, due};
  return {now, last_fire_at_or_before(spec.cron, previous, now, zone)};
}

}  // namespace

NextRun plan_next_run(const ScheduleSpec& spec, Micros previous_scheduled, Micros now,
                      Micros offset) {
  NextRun plan = plan_nominal(spec, previous_scheduled, now - offset);
  plan.at += offset;
  return plan;
}

Micros next_run_after(const ScheduleSpec& spec, Micros previous_scheduled, Micros now) {
  return plan_next_run(spec, previous_scheduled, now).at;
}

Micros fired_slot(const ScheduleSpec& spec, Micros planned_slot, Micros now, Micros offset) {
  const Micros clock = now - offset;
  if (clock <= planned_slot) return planned_slot;
  if (spec.kind == ScheduleSpec::Kind::interval) {
    if (spec.interval <= 0) throw ScheduleError("interval must be at least 1s");
    return planned_slot + (clock - planned_slot) / spec.interval * spec.interval;
  }
  return last_fire_at_or_before(spec.cron, planned_slot, clock, zone_of(spec));
}

Micros jitter_offset(std::string_view schedule_key, Micros jitter) {
  if (jitter <= 0) return 0;
  uint64_t h = 14695981039346656037ULL;  // FNV-1a, 64 bit
  for (char c : schedule_key) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  // splitmix64's finaliser spreads keys that differ in their last characters.
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return static_cast<Micros>(h % static_cast<uint64_t>(jitter));
}

}  // namespace jobhost::schedule
