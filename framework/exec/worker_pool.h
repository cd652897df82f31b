// N workers, each with its own store session, that claim due jobs and run them through the
// atomic runner. Claims are conditional updates in the store, so any number of workers and
// processes can share one queue and each job is claimed once.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/time.h"
#include "exec/in_flight_jobs.h"

namespace jobhost {

class Host;
namespace jobs {
class Runner;
}
namespace store {
class Session;
}

struct PoolOptions {
  int workers = 4;
  bool drain = false;  // stop when no due job is left
  // How often an idle worker looks for new jobs. On PostgreSQL a notification wakes it at once
  // for jobs inserted anywhere; the poll finds jobs that become due later (retries, delays).
  Micros idle_poll = 200000;
  // How long a claim holds before another host may rescue it; 0: the configuration's
  // jobs.lease_s (the lease keeper renews it for that long, so a claim must start with it too).
  Micros lease = 0;
  size_t max_claim = 64;  // jobs one worker claims at once when they are fast
};

struct PoolStats {
  uint64_t completed = 0, failed = 0, errored = 0;
};

class WorkerPool {
 public:
  WorkerPool(Host& host, PoolOptions options);
  // Blocks until drained (drain) or stop() is called; returns what ran.
  PoolStats run();
  // Thread-safe; lets running jobs finish, then returns from run().
  void stop();
  // Wakes idle workers (new work was enqueued in this process).
  void notify();
  // Wakes one idle worker (a notification from the store: one job or more). A worker that
  // claims as many jobs as it asked for wakes the next, so a burst still spreads out, while
  // a single job does not send every idle worker of every host to the queue at once.
  void wake_one();
  // Asks every running job to stop (graceful shutdown ran out of time). Thread-safe.
  void cancel_running();

 private:
  void work(int index);
  // Claims and runs on one connection; false when the connection broke (work() opens another).
  bool serve(int index, store::Session& session);
  void spawn(int index);
  void watchdog();

  Host& host_;
  PoolOptions options_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<uint64_t> completed_{0}, failed_{0}, errored_{0};
  std::mutex runners_mutex_;
  std::vector<std::pair<jobs::Runner*, std::thread::id>> runners_;
  std::mutex threads_mutex_;
  std::condition_variable workers_done_;
  int live_ = 0;  // workers not yet ended, not counting abandoned ones
  std::vector<std::thread> threads_;
  std::vector<std::thread::id> abandoned_ids_;  // hung in plugin code: never joined
  std::atomic<int> next_index_{0};
  std::unique_ptr<store::Session> watch_session_;  // the watchdog's own connection
  InFlightJobs in_flight_;                         // claimed and not yet returned by a run
};

}  // namespace jobhost
