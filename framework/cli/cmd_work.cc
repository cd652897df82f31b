// work: run the worker pool in the foreground until the queue is drained or a signal stops it.
#include <pthread.h>
#include <csignal>
#include <ctime>
#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/open_host.h"
#include "cli/output.h"
#include "core/logging.h"
#include "exec/worker_pool.h"

namespace jobhost::cli {

namespace {

// SIGINT and SIGTERM, blocked from the start of the command (so one that arrives while the
// store opens and plugins load waits instead of killing the process) until StopOnSignal
// takes them.
class BlockStopSignals {
 public:
  BlockStopSignals() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, &previous_);
  }
  ~BlockStopSignals() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  const sigset_t& set() const { return set_; }

 private:
  sigset_t set_{}, previous_{};
};

// Waits for SIGINT/SIGTERM on one thread, which asks the pool to stop: running jobs finish,
// nothing new is claimed.
class StopOnSignal {
 public:
  StopOnSignal(WorkerPool& pool, const sigset_t& set) : pool_(pool), set_(set) {
    waiter_ = std::thread([this] {
      while (!done_.load()) {
        timespec timeout{0, 200 * 1000 * 1000};
        int sig = sigtimedwait(&set_, nullptr, &timeout);
        if (sig == SIGINT || sig == SIGTERM) {
          signal_ = sig;
          host_log()->info("received {}: finishing running jobs, claiming no more",
                           sig == SIGINT ? "SIGINT" : "SIGTERM");
          pool_.stop();
          return;
        }
      }
    });
  }
  ~StopOnSignal() {
    done_.store(true);
    waiter_.join();
  }
  int signal() const { return signal_.load(); }

 private:
  WorkerPool& pool_;
  sigset_t set_;
  std::atomic<bool> done_{false};
  std::atomic<int> signal_{0};
  std::thread waiter_;
};

}  // namespace

int work(const GlobalOptions& g, const WorkOptions& o) {
  BlockStopSignals blocked;
  auto host = open_host(g);
  PoolOptions options;
  options.workers = o.workers > 0 ? o.workers : host->config().workers;
  options.drain = o.drain;
  WorkerPool pool(*host, options);
  PoolStats stats;
  int signal = 0;
  const Micros started = now_micros();
  {
    StopOnSignal stop(pool, blocked.set());
    host_log()->info("{} worker{} on {}{}", options.workers, options.workers == 1 ? "" : "s",
                     host->database().describe(), o.drain ? ", until the queue is empty" : "");
    stats = pool.run();
    signal = stop.signal();
  }
  const double seconds = static_cast<double>(now_micros() - started) / 1e6;
  if (o.json) {
    print_json({{"completed", stats.completed},
                {"failed", stats.failed},
                {"errored", stats.errored},
                {"seconds", seconds},
                {"interrupted", signal != 0}});
  } else {
    std::cout << stats.completed << " completed, " << stats.failed << " failed, " << stats.errored
              << " errored in " << format_duration(now_micros() - started) << "\n";
  }
  if (signal == SIGINT) return kInterrupted;
  return (stats.failed || stats.errored) ? kJobErrored : kOk;
}

}  // namespace jobhost::cli
