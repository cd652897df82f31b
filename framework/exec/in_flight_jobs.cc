#include "exec/in_flight_jobs.h"

namespace jobhost {

void InFlightJobs::add(const std::vector<jobs::ClaimedJob>& jobs) {
  std::lock_guard lock(mutex_);
  for (const auto& j : jobs) ids_.insert(j.id);
}

void InFlightJobs::remove(const std::vector<jobs::ClaimedJob>& jobs) {
  std::lock_guard lock(mutex_);
  for (const auto& j : jobs)
    if (auto it = ids_.find(j.id); it != ids_.end()) ids_.erase(it);
}

std::vector<int64_t> InFlightJobs::ids() const {
  std::lock_guard lock(mutex_);
  return {ids_.begin(), ids_.end()};
}

}  // namespace jobhost
