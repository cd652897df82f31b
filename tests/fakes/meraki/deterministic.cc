#include "fakes/meraki/deterministic.h"

#include <cstdio>

namespace jobhost::testing::fake_meraki {

std::string rfc3339_utc(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  auto micros = time_point_cast<microseconds>(time);
  auto days = floor<std::chrono::days>(micros);
  year_month_day date{days};
  hh_mm_ss clock{micros - days};
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%06lldZ",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(clock.hours().count()),
                static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()),
                static_cast<long long>(clock.subseconds().count()));
  return buffer;
}

}  // namespace jobhost::testing::fake_meraki
