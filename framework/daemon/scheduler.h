// The scheduler: one timer (Boost.Asio) for all schedules, armed for the earliest next run.
// It fires due schedules through the store (fire_schedule: exactly once across processes),
// keeps its copy of the schedules in step with the store, and never waits for a job: firing
// only enqueues, the worker pool runs.
#pragma once

#include <functional>
#include <memory>

#include "core/time.h"

namespace jobhost {
class Host;
}

namespace jobhost::daemon {

struct SchedulerOptions {
  Micros poll_interval = 1000000;  // how often to look for schedules changed by others
  Micros full_reload_interval = 60LL * 1000000;
};

struct SchedulerStats {
  uint64_t fired = 0, skipped = 0, lost = 0, failed = 0;
};

class Scheduler {
 public:
  // `on_enqueued` is called (on the scheduler's thread) after jobs were enqueued.
  Scheduler(Host& host, SchedulerOptions options, std::function<void()> on_enqueued);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  void start();  // its own thread
  void stop();   // waits for the thread
  // Re-reads every schedule from the store (after a reload changed them).
  void refresh();
  SchedulerStats stats() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jobhost::daemon
