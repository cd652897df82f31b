// A job type's minimum interval (ABI 1.3): the shortest time a schedule of it may leave between
// two runs, whoever writes the schedule (the plugin's default, the YAML, schedule_set). A remote
// API's fair-use rule, say Meraki's "no more often than every 5 minutes", then holds however
// the schedule is changed.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/time.h"
#include "schedule/spec.h"

namespace jobhost::schedule {

// The least time between two consecutive runs: the interval of `every`; for `cron`, the least
// gap between consecutive fire times after `from`, over its next 2,000 fires or 400 days
// (enough to see every hour and minute list, day boundaries and DST changes), stopping early
// at a gap below `stop_below`.
Micros shortest_gap(const ScheduleSpec& spec, Micros from, Micros stop_below = 0);

// Throws ScheduleError when `spec` would run job type `job_type` more often than every
// `min_interval_s` seconds (0: no minimum), e.g. "'every 1m' runs meraki.sync more often
// than its minimum interval of 5m: give every 5m or more".
void check_min_interval(const ScheduleSpec& spec, std::uint32_t min_interval_s,
                        std::string_view job_type, Micros from);

}  // namespace jobhost::schedule
