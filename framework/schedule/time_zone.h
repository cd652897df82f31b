// Time zones for cron schedules: IANA names ("Europe/Berlin") from the operating system's
// database (/usr/share/zoneinfo, Debian package tzdata), read through Howard Hinnant's date/tz
// library. Zones change by a tzdata upgrade alone; restart the host to pick one up.
//
// Wall clock to UTC (to_utc) follows the cron rules of cron.h:
//   - a local time that does not exist (the spring-forward gap, 02:30 on the last Sunday of March
//     in Europe/Berlin) maps to the first instant after the gap (03:00 CEST = 01:00 UTC);
//   - a local time that occurs twice (fall back, 02:30 on the last Sunday of October in
//     Europe/Berlin) maps to its first occurrence (02:30 CEST = 00:30 UTC).
//
// Beyond the last transition stored in a zone file (2037 in Debian's files) the zone's POSIX rule
// (the TZif footer, e.g. "CET-1CEST,M3.5.0,M10.5.0/3") continues the daylight-saving changes.
#pragma once

#include <compare>
#include <string>
#include <string_view>

#include "core/time.h"

namespace jobhost::schedule {

namespace detail {
struct ZoneData;
}

// A date and wall-clock time in some zone, to the second. Fields must form a valid date.
struct LocalTime {
  int year = 1970;
  int month = 1;  // 1-12
  int day = 1;    // 1-31
  int hour = 0;   // 0-23
  int minute = 0;
  int second = 0;
  friend auto operator<=>(const LocalTime&, const LocalTime&) = default;
};

// A cheap handle (one pointer) to a loaded zone; zones stay loaded for the life of the process.
// Thread-safe.
class TimeZone {
 public:
  TimeZone();  // UTC
  static TimeZone utc() { return {}; }
  // An IANA name, exactly as spelled in the database ("UTC" needs no database). Throws
  // ScheduleError "unknown time zone 'Europe/Berln' (did you mean 'Europe/Berlin'?)".
  static TimeZone locate(std::string_view name);

  const std::string& name() const;
  // Local time minus UTC at the instant `at`: +1 h for Europe/Berlin in winter, -4 h for
  // America/New_York in summer.
  Micros utc_offset(Micros at) const;
  // The wall-clock time at the instant `at`, truncated to the second.
  LocalTime to_local(Micros at) const;
  // The instant of a wall-clock time, with the gap and repeat rules above.
  Micros to_utc(const LocalTime& local) const;

  friend bool operator==(const TimeZone& a, const TimeZone& b) { return a.data_ == b.data_; }

 private:
  explicit TimeZone(const detail::ZoneData* data) : data_(data) {}
  const detail::ZoneData* data_;  // never null
};

}  // namespace jobhost::schedule
