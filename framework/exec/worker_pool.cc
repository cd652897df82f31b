#include "exec/worker_pool.h"

#include <chrono>
#include <thread>
#include <vector>

#include "core/logging.h"
#include "host/host.h"
#include "jobs/job_store.h"
#include "jobs/runner.h"

namespace jobhost {

WorkerPool::WorkerPool(Host& host, PoolOptions options) : host_(host), options_(options) {}

PoolStats WorkerPool::run() {
  std::vector<std::thread> threads;
  const int n = options_.workers < 1 ? 1 : options_.workers;
  for (int i = 0; i < n; ++i) threads.emplace_back([this, i] { work(i); });
  for (auto& t : threads) t.join();
  return {completed_.load(), failed_.load(), errored_.load()};
}

void WorkerPool::stop() {
  stopping_.store(true);
  std::lock_guard lock(mutex_);
  wake_.notify_all();
}

void WorkerPool::notify() {
  std::lock_guard lock(mutex_);
  wake_.notify_all();
}

void WorkerPool::work(int index) {
  std::unique_ptr<store::Session> session;
  try {
    session = host_.database().open();
  } catch (const std::exception& e) {
    host_log()->error("worker {}: {}", index, e.what());
    return;
  }
  jobs::JobStore store(*session);
  jobs::Runner runner(host_.plugins(), *session, host_.runner_options(), host_.durations());
  // Claim one job at a time until the jobs prove fast; then claim many per transaction.
  size_t claim = 1;
  while (!stopping_.load()) {
    std::vector<jobs::ClaimedJob> jobs;
    try {
      jobs = store.claim(host_.name(), claim, now_micros(), options_.lease);
    } catch (const std::exception& e) {
      host_log()->warn("worker {}: claiming jobs failed: {}", index, e.what());
    }
    if (jobs.empty()) {
      if (options_.drain) return;
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, std::chrono::microseconds(options_.idle_poll));
      continue;
    }
    bool all_fast = true;
    for (const auto& outcome : runner.run(jobs)) {
      switch (outcome.status) {
        case jobs::JobStatus::completed:
          ++completed_;
          break;
        case jobs::JobStatus::failed:
          ++failed_;
          break;
        default:
          ++errored_;
      }
      all_fast = all_fast && host_.durations().is_fast(outcome.type);
    }
    claim = all_fast ? options_.max_claim : 1;
  }
}

}  // namespace jobhost
