#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

// Everything the fake makes up (serials, MACs, names, statuses, mutations) comes from here, so
// one seed gives the same organizations and the same changes on every run and machine: no
// std:: distributions, whose results differ between standard libraries.
namespace jobhost::testing::fake_meraki {

// One splitmix64 step from state x: well spread even for consecutive inputs.
inline std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A bijection of the numbers below 2^bits (bits 8..62): distinct inputs give distinct
// outputs, so an identifier derived from a counter is unique by construction while it still
// looks random. Each step (xor with a right shift, multiplication by an odd number, both
// modulo 2^bits) can be undone.
inline std::uint64_t scramble(std::uint64_t x, unsigned bits, std::uint64_t key) {
  const std::uint64_t mask = (std::uint64_t{1} << bits) - 1;
  x = (x ^ key) & mask;
  x = (x * 0x9e3779b97f4a7c15ULL) & mask;
  x ^= x >> (bits / 2);
  x = (x * 0xbf58476d1ce4e5b9ULL) & mask;
  x ^= x >> (bits / 3);
  return x & mask;
}

// A small deterministic generator (splitmix64).
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return mix64(state_);
  }
  // Uniform enough in [0, n) for the fake's small n; 0 when n is 0.
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
  // True with a probability of percent/100.
  bool percent(unsigned percent) { return next() % 100 < percent; }
  // In [low, high).
  double between(double low, double high) {
    return low + (high - low) * static_cast<double>(next() >> 11) * 0x1.0p-53;
  }

 private:
  std::uint64_t state_;
};

// The generator of one generated thing: the seed and the thing's own number mixed, so each
// object is the same whatever else was generated before it.
inline Random random_for(std::uint64_t seed, std::uint64_t salt, std::uint64_t index) {
  return Random(mix64(seed ^ mix64(salt ^ mix64(index))));
}

// "2026-01-02T03:04:05.123456Z": RFC 3339, UTC, microseconds, as Meraki writes lastReportedAt.
std::string rfc3339_utc(std::chrono::system_clock::time_point time);

}  // namespace jobhost::testing::fake_meraki
