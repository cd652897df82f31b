#include "fakes/kubernetes/deterministic.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace jobhost::testing::fake_kubernetes {

std::string uuid_from(std::uint64_t a, std::uint64_t b) {
  // Version 4 and the RFC 4122 variant, as real apiservers' random uids have.
  a = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
  b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  char buffer[40];
  std::snprintf(
      buffer, sizeof buffer, "%08llx-%04llx-%04llx-%04llx-%012llx",
      static_cast<unsigned long long>(a >> 32), static_cast<unsigned long long>((a >> 16) & 0xffff),
      static_cast<unsigned long long>(a & 0xffff), static_cast<unsigned long long>(b >> 48),
      static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buffer;
}

std::string timestamp_at(std::uint64_t resource_version) {
  using namespace std::chrono;
  static const sys_seconds kEpoch =
      sys_days{year{2026} / January / 2} + hours{3} + minutes{4} + seconds{5};
  std::time_t t = system_clock::to_time_t(kEpoch + seconds{resource_version});
  std::tm parts{};
  gmtime_r(&t, &parts);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return buffer;
}

std::string numbered_name(std::string_view prefix, std::size_t i) {
  char digits[32];
  std::snprintf(digits, sizeof digits, "%05zu", i);
  std::string name(prefix);
  name += '-';
  name += digits;
  return name;
}

}  // namespace jobhost::testing::fake_kubernetes
