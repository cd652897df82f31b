// Wall-clock time as the plugin stores it (microseconds since the epoch) and shows it.
#pragma once

#include <cstdint>
#include <string>

namespace zhs {

int64_t now_micros();
// "2026-11-24T13:05:00Z"
std::string rfc3339(int64_t micros);

}  // namespace zhs
