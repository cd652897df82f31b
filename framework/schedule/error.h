// The one error type of schedule/: a schedule text, cron expression, duration or time zone that
// cannot be used. The message names the field and what is allowed, e.g.
// "cron field 2 (hour): 25 is out of range 0-23"; callers add where the text came from (file and
// line, plugin and job type).
#pragma once

#include <stdexcept>

namespace jobhost::schedule {

struct ScheduleError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

}  // namespace jobhost::schedule
