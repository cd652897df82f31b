#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

// Everything the fake makes up (objects, uids, timestamps, mutations) comes from here, so one
// seed gives the same fabric and the same changes on every run and machine: no std::
// distributions, whose results differ between standard libraries.
namespace jobhost::testing::fake_kubernetes {

// One splitmix64 step from state x: well spread even for consecutive inputs.
inline std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// FNV-1a: a stable hash of a name, to mix into seeds.
inline std::uint64_t hash_text(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
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

 private:
  std::uint64_t state_;
};

// A version-4-shaped UUID ("8-4-4-4-12" lower-case hex) from two hashes.
std::string uuid_from(std::uint64_t a, std::uint64_t b);

// The fake's clock: resourceVersion r happened at 2026-01-02T03:04:05Z plus r seconds, so
// timestamps are deterministic and move forward with every write. RFC 3339, UTC, seconds.
std::string timestamp_at(std::uint64_t resource_version);

// "switch-00042": the generated name of object i of a kind.
std::string numbered_name(std::string_view prefix, std::size_t i);

}  // namespace jobhost::testing::fake_kubernetes
