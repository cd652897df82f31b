// A schedule as written by people: in a plugin's default schedule, on the command line, and as
// the canonical text the store keeps.
//
//   schedule := "every" duration ["jitter" duration]
//             | "cron" expression ["in" time-zone] ["jitter" duration]
//   duration := one or more number+unit, units d h m s, largest first, each once:
//               30m  300s  2h  1d  1h30m
//   expression := five cron fields or a macro (cron.h): */15 * * * *   0 3 * * mon-fri   @daily
//   time-zone  := an IANA name (Europe/Berlin); cron schedules only, UTC when absent
//
//   every 30m
//   every 1h30m jitter 5m
//   cron 0 3 * * mon-fri in Europe/Berlin
//   cron @hourly jitter 10m
//
// Words are separated by spaces or tabs; the keywords and cron names may be in any case; zone
// names are spelled exactly. `every` is plain UTC arithmetic (no time zone, no DST effects);
// `cron` follows the wall clock of its zone.
//
// YAML spells the same parts as keys (`every: 30m` or `cron: "*/15 * * * *"` with `time_zone:`
// and `jitter:`): build those with parse_duration() and interval_schedule() / cron_schedule().
#pragma once

#include <string>
#include <string_view>

#include "core/time.h"
#include "schedule/cron.h"
#include "schedule/error.h"

namespace jobhost::schedule {

struct ScheduleSpec {
  enum class Kind { interval, cron };
  Kind kind = Kind::interval;
  Micros interval = 0;            // Kind::interval: whole seconds, at least 1 s
  CronExpr cron;                  // Kind::cron
  std::string time_zone = "UTC";  // Kind::cron: IANA name; always "UTC" for intervals
  Micros jitter = 0;              // whole seconds; see next_run.h
  // Canonical text: parse_schedule(text) gives this spec back, and two specs that mean the same
  // have the same text ("every 300s" and "every 5m" are both "every 5m"):
  // "every 1h30m jitter 10s", "cron 0 3 * * mon-fri in Europe/Berlin". `in UTC` is left out.
  std::string text;

  bool operator==(const ScheduleSpec&) const = default;
};

// Throws ScheduleError with a message naming the part at fault, e.g.
// "every: unknown unit 'x' in '30x' (allowed: d, h, m, s)", "interval must be at least 1s",
// "cron field 2 (hour): 25 is out of range 0-23", "unknown time zone 'Europe/Berln' (did you
// mean 'Europe/Berlin'?)".
ScheduleSpec parse_schedule(std::string_view text);

// "30m", "300s", "1h30m" (surrounding spaces ignored). `field` starts error messages: it is the
// YAML key or keyword the text came from ("every", "jitter"). At most 3650d.
Micros parse_duration(std::string_view text, std::string_view field = "duration");
// Canonical duration text, the inverse of parse_duration: 5400 s -> "1h30m", 0 -> "0s".
std::string duration_text(Micros d);

// Validating builders. interval_schedule: every >= 1 s, 0 <= jitter <= every.
ScheduleSpec interval_schedule(Micros every, Micros jitter = 0);
ScheduleSpec cron_schedule(std::string_view expression, std::string_view time_zone = "UTC",
                           Micros jitter = 0);

}  // namespace jobhost::schedule
