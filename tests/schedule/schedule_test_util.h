// Helpers for the schedule tests: instants as RFC 3339 text, so a failure shows readable times.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "schedule/cron.h"
#include "schedule/error.h"
#include "schedule/time_zone.h"

namespace jobhost::schedule::testing {

constexpr Micros kSec = 1000000;
constexpr Micros kMin = 60 * kSec;
constexpr Micros kHour = 60 * kMin;
constexpr Micros kDay = 24 * kHour;

// "2025-03-30T01:00:00Z" -> Micros.
inline Micros T(std::string_view text) {
  auto t = parse_time(text, 0);
  if (!t) throw std::invalid_argument("bad test time " + std::string(text));
  return *t;
}

// Micros -> "2025-03-30T01:00:00Z" (fraction only when there is one).
inline std::string iso(Micros t) {
  std::string s = format_time(t);
  if (auto p = s.find(".000000Z"); p != std::string::npos) s = s.substr(0, p) + "Z";
  return s;
}

// The next `count` fire times of `expr` after `after`, each strictly after the one before.
inline std::vector<std::string> fires(std::string_view expr, std::string_view after,
                                      std::string_view zone = "UTC", int count = 1) {
  const CronExpr c = parse_cron(expr);
  const TimeZone z = TimeZone::locate(zone);
  std::vector<std::string> out;
  Micros t = T(after);
  for (int i = 0; i < count; ++i) {
    t = next_fire(c, t, z);
    out.push_back(iso(t));
  }
  return out;
}

inline std::string next(std::string_view expr, std::string_view after,
                        std::string_view zone = "UTC") {
  return fires(expr, after, zone, 1).front();
}

// The ScheduleError message `f` throws, or "<no error>".
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const ScheduleError& e) {
    return e.what();
  }
  return "<no error>";
}

}  // namespace jobhost::schedule::testing
