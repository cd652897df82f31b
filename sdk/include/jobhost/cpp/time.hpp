// Wall-clock time as the host keeps it (microseconds since the Unix epoch: job and schedule
// times from the host services) and as people read it (RFC 3339, UTC).
#pragma once

#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>

namespace jobhost {

inline int64_t now_micros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "2026-11-24T13:05:00Z" (whole seconds).
inline std::string rfc3339(int64_t micros) {
  const std::time_t seconds = static_cast<std::time_t>(micros / 1000000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace jobhost
