#include "exec/worker_pool.h"

#include <chrono>
#include <thread>
#include <vector>

#include "core/logging.h"
#include "exec/lease_keeper.h"
#include "host/host.h"
#include "jobs/job_store.h"
#include "jobs/runner.h"

namespace jobhost {

WorkerPool::WorkerPool(Host& host, PoolOptions options) : host_(host), options_(options) {}

PoolStats WorkerPool::run() {
  if (options_.lease == 0)
    options_.lease = static_cast<Micros>(host_.config().jobs.lease_s) * 1000000;
  // Renews the leases of the jobs this process runs, and rescues those of dead processes.
  LeaseKeeper leases(host_, /*rescue=*/true);
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

void WorkerPool::cancel_running() {
  std::lock_guard lock(runners_mutex_);
  for (auto* r : runners_) r->cancel_current();
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
  {
    std::lock_guard lock(runners_mutex_);
    runners_.push_back(&runner);
  }
  struct Unregister {
    WorkerPool& pool;
    jobs::Runner* runner;
    ~Unregister() {
      std::lock_guard lock(pool.runners_mutex_);
      std::erase(pool.runners_, runner);
    }
  } unregister{*this, &runner};
  // Claim one job at a time until the jobs prove fast; then claim many per transaction.
  size_t claim = 1;
  while (!stopping_.load()) {
    std::vector<jobs::ClaimedJob> jobs;
    try {
      jobs = store.claim(host_.instance(), claim, now_micros(), options_.lease);
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
    auto outcomes = runner.run(jobs);
    if (outcomes.size() < jobs.size()) {
      // A slow run ended the batch early: the rest go back to the queue for idle workers.
      std::vector<int64_t> rest;
      for (size_t i = outcomes.size(); i < jobs.size(); ++i) rest.push_back(jobs[i].id);
      try {
        store.release(rest, host_.instance());
      } catch (const std::exception& e) {
        host_log()->warn("worker {}: {} (their leases will expire)", index, e.what());
      }
      notify();
      all_fast = false;
    }
    for (const auto& outcome : outcomes) {
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
