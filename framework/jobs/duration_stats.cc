#include "jobs/duration_stats.h"

namespace jobhost::jobs {

void DurationStats::record(const std::string& type, Micros duration) {
  std::lock_guard lock(mutex_);
  auto [it, inserted] = average_.try_emplace(type, static_cast<double>(duration));
  // Exponential moving average: recent runs weigh most, one slow run is noticed at once.
  if (!inserted) it->second = 0.8 * it->second + 0.2 * static_cast<double>(duration);
  if (duration >= kFastThreshold) it->second = std::max(it->second, static_cast<double>(duration));
}

bool DurationStats::is_fast(const std::string& type) const {
  std::lock_guard lock(mutex_);
  auto it = average_.find(type);
  return it != average_.end() && it->second < static_cast<double>(kFastThreshold);
}

}  // namespace jobhost::jobs
