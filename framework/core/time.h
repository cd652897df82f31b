// Time as the store keeps it: microseconds since the Unix epoch, UTC, in a 64-bit integer.
// One representation for both dialects keeps comparisons and indexes simple and exact.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jobhost {

using Micros = int64_t;

Micros now_micros();
// "2026-11-24T08:15:02.123456Z"
std::string format_time(Micros t);
// Accepts RFC 3339 / ISO 8601 UTC ("2026-11-24T08:15:02Z", fractional seconds, "+00:00"),
// a date ("2026-11-24"), or a relative age ("90s", "15m", "2h", "7d" = that long ago).
std::optional<Micros> parse_time(std::string_view text, Micros now);
// "1.2 s", "350 ms", "2 min 5 s": for people reading durations.
std::string format_duration(Micros d);

}  // namespace jobhost
