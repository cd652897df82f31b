// How long each job type's runs take, smoothed: the runner batches runs of job types known
// to be fast into one transaction (group commit) and gives every other run its own.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "core/time.h"

namespace jobhost::jobs {

class DurationStats {
 public:
  // Runs faster than this (on average) may share a transaction with other runs.
  static constexpr Micros kFastThreshold = 2000;

  void record(const std::string& type, Micros duration);
  // False until the type has been seen: an unknown type runs alone.
  bool is_fast(const std::string& type) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, double> average_;
};

}  // namespace jobhost::jobs
