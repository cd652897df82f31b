// A histogram of durations in seconds (how long runs take, how late fires are), measured in
// the host's microseconds so that bucket bounds compare exactly and the sum is an integer.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string_view>

#include "core/time.h"
#include "metrics/exposition.h"

namespace jobhost::metrics {

struct Bucket {
  Micros upper;    // inclusive, as Prometheus' le ("less or equal")
  const char* le;  // the bound as the le label writes it
};

// From a millisecond (a no-op job) to an hour (a long sync, a fire after downtime).
inline constexpr std::array<Bucket, 19> kSecondsBuckets = {{
    {1'000, "0.001"},     {5'000, "0.005"},        {10'000, "0.01"},        {25'000, "0.025"},
    {50'000, "0.05"},     {100'000, "0.1"},        {250'000, "0.25"},       {500'000, "0.5"},
    {1'000'000, "1"},     {2'500'000, "2.5"},      {5'000'000, "5"},        {10'000'000, "10"},
    {30'000'000, "30"},   {60'000'000, "60"},      {120'000'000, "120"},    {300'000'000, "300"},
    {600'000'000, "600"}, {1'800'000'000, "1800"}, {3'600'000'000, "3600"},
}};

class SecondsHistogram {
 public:
  // Negative values (a clock step) count as 0.
  void observe(Micros value);

  // The family's _bucket (cumulative, ending with le="+Inf"), _sum and _count samples for one
  // series, labelled label=value. _count is the +Inf bucket, read once, so the two always agree
  // even while other threads observe.
  void write(Exposition& out, std::string_view name, std::string_view label,
             std::string_view value) const;

 private:
  // Observations per bucket, not cumulative (one increment per observation); the last counts
  // those above every bound.
  std::array<std::atomic<std::uint64_t>, kSecondsBuckets.size() + 1> counts_{};
  std::atomic<std::int64_t> sum_{0};  // microseconds
};

}  // namespace jobhost::metrics
