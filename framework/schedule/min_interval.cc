#include "schedule/min_interval.h"

#include <algorithm>
#include <string>

#include "schedule/cron.h"
#include "schedule/error.h"
#include "schedule/time_zone.h"

namespace jobhost::schedule {

namespace {
constexpr int kMaxFires = 2000;
constexpr Micros kHorizon = 400LL * 24 * 3600 * 1000000;
}  // namespace

Micros shortest_gap(const ScheduleSpec& spec, Micros from, Micros stop_below) {
  if (spec.kind == ScheduleSpec::Kind::interval) return spec.interval;
  const TimeZone zone = TimeZone::locate(spec.time_zone);
  Micros previous = next_fire(spec.cron, from, zone);
  Micros least = kHorizon;
  for (int i = 0; i < kMaxFires && previous - from < kHorizon; ++i) {
    const Micros next = next_fire(spec.cron, previous, zone);
    least = std::min(least, next - previous);
    if (least < stop_below) break;
    previous = next;
  }
  return least;
}

void check_min_interval(const ScheduleSpec& spec, std::uint32_t min_interval_s,
                        std::string_view job_type, Micros from) {
  if (min_interval_s == 0) return;
  const Micros minimum = static_cast<Micros>(min_interval_s) * 1000000;
  const Micros gap = shortest_gap(spec, from, minimum);
  if (gap >= minimum) return;
  const std::string least = duration_text(minimum);
  throw ScheduleError(
      "'" + spec.text + "' runs " + std::string(job_type) +
      (spec.kind == ScheduleSpec::Kind::cron ? " as often as every " + duration_text(gap) + ", "
                                             : " ") +
      "more often than its minimum interval of " + least + ": give every " + least + " or more");
}

}  // namespace jobhost::schedule
