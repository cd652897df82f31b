#include "daemon/reload_tracker.h"

#include <stdexcept>

namespace jobhost::daemon {

uint64_t ReloadTracker::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

void ReloadTracker::finished(std::vector<std::string> report) {
  {
    std::lock_guard lock(mutex_);
    ++generation_;
    report_ = std::move(report);
  }
  changed_.notify_all();
}

std::vector<std::string> ReloadTracker::wait_after(uint64_t seen,
                                                   std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (!changed_.wait_for(lock, timeout, [&] { return generation_ > seen || stopping_; }))
    throw std::runtime_error("the daemon did not finish reloading within " +
                             std::to_string(timeout.count() / 1000) +
                             " s; the change is stored and applies at its next reload");
  if (generation_ <= seen)
    throw std::runtime_error(
        "the daemon is stopping; the change is stored and applies when it starts again");
  return report_;
}

void ReloadTracker::stopping() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
}

}  // namespace jobhost::daemon
