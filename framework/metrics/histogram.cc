#include "metrics/histogram.h"

#include <algorithm>
#include <string>

namespace jobhost::metrics {

void SecondsHistogram::observe(Micros value) {
  value = std::max<Micros>(value, 0);
  const auto* bucket = std::lower_bound(kSecondsBuckets.begin(), kSecondsBuckets.end(), value,
                                        [](const Bucket& b, Micros v) { return b.upper < v; });
  counts_[static_cast<std::size_t>(bucket - kSecondsBuckets.begin())].fetch_add(
      1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

void SecondsHistogram::write(Exposition& out, std::string_view name, std::string_view label,
                             std::string_view value) const {
  const std::string bucket_name = std::string(name) + "_bucket";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kSecondsBuckets.size(); ++i) {
    cumulative += counts_[i].load(std::memory_order_relaxed);
    out.sample(bucket_name, {{label, value}, {"le", kSecondsBuckets[i].le}}, cumulative);
  }
  cumulative += counts_.back().load(std::memory_order_relaxed);
  out.sample(bucket_name, {{label, value}, {"le", "+Inf"}}, cumulative);
  const double sum_seconds =
      static_cast<double>(sum_.load(std::memory_order_relaxed)) / 1'000'000.0;
  out.sample(std::string(name) + "_sum", {{label, value}}, sum_seconds);
  out.sample(std::string(name) + "_count", {{label, value}}, cumulative);
}

}  // namespace jobhost::metrics
