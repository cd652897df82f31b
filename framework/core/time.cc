#include "core/time.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace jobhost {

Micros now_micros() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

std::string format_time(Micros t) {
  std::time_t secs = static_cast<std::time_t>(t / 1000000);
  long frac = static_cast<long>(t % 1000000);
  if (frac < 0) {
    frac += 1000000;
    secs -= 1;
  }
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
  return buf;
}

namespace {

std::optional<Micros> parse_relative(std::string_view text, Micros now) {
  if (text.size() < 2) return std::nullopt;
  Micros unit = 0;
  switch (text.back()) {
    case 's':
      unit = 1000000LL;
      break;
    case 'm':
      unit = 60LL * 1000000;
      break;
    case 'h':
      unit = 3600LL * 1000000;
      break;
    case 'd':
      unit = 86400LL * 1000000;
      break;
    default:
      return std::nullopt;
  }
  Micros n = 0;
  for (char c : text.substr(0, text.size() - 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return now - n * unit;
}

}  // namespace

std::optional<Micros> parse_time(std::string_view text, Micros now) {
  if (auto rel = parse_relative(text, now)) return rel;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, consumed = 0;
  std::string t(text);
  if (std::sscanf(t.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) != 3) return std::nullopt;
  std::string_view rest = text.substr(static_cast<size_t>(consumed));
  long frac_us = 0;
  if (!rest.empty()) {
    if (rest[0] != 'T' && rest[0] != ' ') return std::nullopt;
    int used = 0;
    std::string r(rest.substr(1));
    if (std::sscanf(r.c_str(), "%2d:%2d:%2d%n", &h, &mi, &s, &used) != 3) return std::nullopt;
    rest = rest.substr(1 + static_cast<size_t>(used));
    if (!rest.empty() && rest[0] == '.') {
      long scale = 100000;
      size_t i = 1;
      for (; i < rest.size() && rest[i] >= '0' && rest[i] <= '9'; ++i) {
        frac_us += (rest[i] - '0') * scale;
        scale /= 10;
      }
      rest = rest.substr(i);
    }
    if (!(rest.empty() || rest == "Z" || rest == "+00:00" || rest == "+0000")) return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return static_cast<Micros>(timegm(&tm)) * 1000000 + frac_us;
}

std::string format_duration(Micros d) {
  char buf[48];
  if (d < 1000) {
    std::snprintf(buf, sizeof buf, "%lld us", static_cast<long long>(d));
  } else if (d < 1000000) {
    std::snprintf(buf, sizeof buf, "%.1f ms", static_cast<double>(d) / 1000.0);
  } else if (d < 60LL * 1000000) {
    std::snprintf(buf, sizeof buf, "%.2f s", static_cast<double>(d) / 1e6);
  } else {
    long long secs = d / 1000000;
    std::snprintf(buf, sizeof buf, "%lld min %lld s", secs / 60, secs % 60);
  }
  return buf;
}

}  // namespace jobhost
