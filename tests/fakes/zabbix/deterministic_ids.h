#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

// Mixing for everything the fake makes up (generated hosts, uuids, session ids): the same
// seed gives the same inventory and the same answers on every run and machine.
namespace jobhost::testing::fake_zabbix {

// One splitmix64 step from state x: well spread even for consecutive inputs.
inline std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// 32 lower-case hex digits, the shape of Zabbix uuids and session ids.
inline std::string hex128(std::uint64_t a, std::uint64_t b) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%016llx%016llx", static_cast<unsigned long long>(a),
                static_cast<unsigned long long>(b));
  return buffer;
}

}  // namespace jobhost::testing::fake_zabbix
