// The jobs this process is running right now: the ones whose leases it renews. A job leaves
// the set when its run returned, whether or not its end could be recorded; one whose end was
// lost with the connection then expires and is rescued like the job of a dead host.
#pragma once

#include <cstdint>
#include <mutex>
#include <set>
#include <vector>

#include "jobs/job_store.h"

namespace jobhost {

class InFlightJobs {
 public:
  void add(const std::vector<jobs::ClaimedJob>& jobs);
  void remove(const std::vector<jobs::ClaimedJob>& jobs);
  std::vector<int64_t> ids() const;

 private:
  mutable std::mutex mutex_;
  std::multiset<int64_t> ids_;
};

}  // namespace jobhost
