// Cron expressions: the five classic fields, computed in a schedule's time zone.
//
//   minute hour day-of-month month day-of-week
//   0-59   0-23 1-31         1-12  0-7 (0 and 7 are Sunday)
//
// Each field is `*`, a value, a range `a-b`, a step `*/n`, `a-b/n` or `a/n` (= a to the field's
// end, every n), or a comma list of values, ranges and steps. Months may be named jan..dec and
// weekdays sun..sat, in any case; `sun` ending a range is day 7, so `fri-sun` works. Macros:
// @hourly, @daily (@midnight), @weekly (Sunday 00:00), @monthly, @yearly (@annually).
//
// Day of month and day of week (Vixie cron): when both fields are restricted a day matches if
// EITHER matches (`0 0 1,15 * mon`: the 1st, the 15th and every Monday). A field that begins with
// `*` (also `*/2`) is unrestricted, and then the day must match both fields.
//
// An expression that can never fire (`0 0 30 2 *`, `0 0 31 4,6,9,11 *`) is rejected by parse_cron;
// `0 0 29 2 *` fires on leap days only.
//
// Time zones and daylight saving time (see TimeZone::to_utc), as cron users expect:
//   - a wall-clock time the clock skips (spring forward; 02:00-02:59 on 2025-03-30 in
//     Europe/Berlin) fires once at the first instant after the gap (03:00 CEST). Several skipped
//     times of one expression (`*/15 2 * * *`) fire together, once.
//   - a wall-clock time that happens twice (fall back; 02:00-02:59 on 2025-10-26 in Europe/Berlin)
//     fires once, at its first occurrence (CEST). This holds for every expression: `*/15 * * * *`
//     does not fire during the repeated hour, so it pauses for 75 minutes. Use `every 15m`
//     (plain UTC arithmetic) for a steady rhythm.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/time.h"
#include "schedule/error.h"
#include "schedule/time_zone.h"

namespace jobhost::schedule {

struct CronExpr {
  uint64_t minutes = 0;        // bit m: minute m (0-59)
  uint32_t hours = 0;          // bit h: hour h (0-23)
  uint32_t days = 0;           // bit d: day of month d (1-31)
  uint16_t months = 0;         // bit m: month m (1-12)
  uint8_t weekdays = 0;        // bit d: 0 Sunday .. 6 Saturday
  bool days_star = false;      // the day-of-month field began with '*'
  bool weekdays_star = false;  // the day-of-week field began with '*'
  // Canonical form: fields lower-case, names for months and weekdays, lists ordered, runs as
  // ranges, macros expanded: "0 3 * * 1-5" and "0 3 * * MON-FRI" both give "0 3 * * mon-fri".
  std::string text;

  bool operator==(const CronExpr&) const = default;
};

// Throws ScheduleError naming the field: "cron field 2 (hour): 25 is out of range 0-23".
CronExpr parse_cron(std::string_view text);

// The first fire time strictly after `after`, computed on the wall clock of `zone`. Skips whole
// months, days and hours that cannot match, so a far fire time costs a few hundred steps at most.
// Throws ScheduleError for an expression without fire times (only an empty, hand-built CronExpr).
Micros next_fire(const CronExpr& cron, Micros after, const TimeZone& zone);

// The last fire time at or before `at` that is later than `after`, or `after` if there is none.
Micros last_fire_at_or_before(const CronExpr& cron, Micros after, Micros at, const TimeZone& zone);

}  // namespace jobhost::schedule
