#include "exec/worker_pool.h"

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

#include "core/logging.h"
#include "exec/lease_keeper.h"
#include "exec/wake_listener.h"
#include "host/host.h"
#include "jobs/job_store.h"
#include "jobs/runner.h"
#include "store/framework_schema.h"

namespace jobhost {

WorkerPool::WorkerPool(Host& host, PoolOptions options) : host_(host), options_(options) {}

PoolStats WorkerPool::run() {
  if (options_.lease == 0)
    options_.lease = static_cast<Micros>(host_.config().jobs.lease_s) * 1000000;
  // Renews the leases of the jobs this process runs, and rescues those of dead processes.
  LeaseKeeper leases(host_, in_flight_, /*rescue=*/true);
  std::unique_ptr<WakeListener> listener;
  if (host_.database().dialect() == store::Dialect::postgresql && !options_.drain)
    listener = std::make_unique<WakeListener>(host_.database().options().pg_connection,
                                              store::kJobsChannel, [this] { wake_one(); });
  const int n = options_.workers < 1 ? 1 : options_.workers;
  for (int i = 0; i < n; ++i) spawn(next_index_++);
  std::atomic<bool> done{false};
  std::thread watch([this, &done] {
    while (!done.load()) {
      watchdog();
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
  });
  // Wait until no worker is live (a replacement may be added meanwhile); then every thread in
  // threads_ has ended and joins at once, and the abandoned ones (maybe stuck forever) are
  // let go.
  {
    std::unique_lock lock(threads_mutex_);
    workers_done_.wait(lock, [this] { return live_ == 0; });
  }
  done.store(true);
  watch.join();
  std::lock_guard lock(threads_mutex_);
  for (auto& t : threads_) {
    if (std::find(abandoned_ids_.begin(), abandoned_ids_.end(), t.get_id()) != abandoned_ids_.end())
      t.detach();
    else
      t.join();
  }
  threads_.clear();
  return {completed_.load(), failed_.load(), errored_.load()};
}

void WorkerPool::spawn(int index) {
  std::lock_guard lock(threads_mutex_);
  ++live_;
  threads_.emplace_back([this, index] {
    work(index);  // an abandoned worker never returns from it (Runner parks it)
    std::lock_guard done_lock(threads_mutex_);
    --live_;
    workers_done_.notify_all();
  });
}

// A run that ignores its cancellation and outlives its timeout by the grace period is
// abandoned: recorded as timed out, its database work ended, and a new worker takes the
// stuck one's place.
void WorkerPool::watchdog() {
  const Micros grace = static_cast<Micros>(host_.config().jobs.timeout_grace_s) * 1000000;
  std::vector<jobs::Runner*> hung;
  try {
    host_.database().reopen_if_broken(watch_session_);
    std::lock_guard lock(runners_mutex_);
    for (auto& [r, thread] : runners_) {
      if (!r->abandon_if_hung(now_micros(), grace, *watch_session_)) continue;
      hung.push_back(r);
      ++errored_;
      // The stuck thread no longer counts as a live worker: the pool can end without it.
      std::lock_guard threads_lock(threads_mutex_);
      abandoned_ids_.push_back(thread);
      --live_;
      workers_done_.notify_all();
    }
  } catch (const std::exception& e) {
    host_log()->warn("watchdog: {}", e.what());
  }
  if (hung.empty()) return;
  host_.plugins().keep_loaded();
  for (size_t i = 0; i < hung.size(); ++i) {
    if (stopping_.load()) break;
    host_log()->warn("starting a worker in place of the one stuck in a hung run");
    spawn(next_index_++);
  }
}

void WorkerPool::stop() {
  stopping_.store(true);
  std::lock_guard lock(mutex_);
  wake_.notify_all();
}

void WorkerPool::cancel_running() {
  std::lock_guard lock(runners_mutex_);
  for (auto& [r, thread] : runners_) r->cancel_current();
}

void WorkerPool::notify() {
  std::lock_guard lock(mutex_);
  wake_.notify_all();
}

void WorkerPool::wake_one() {
  std::lock_guard lock(mutex_);
  wake_.notify_one();
}

void WorkerPool::work(int index) {
  // A worker outlives its connection: when the store goes away (PostgreSQL restarted, the
  // network cut) it opens a new one, every second until the store answers again.
  bool reported = false;
  while (!stopping_.load()) {
    std::unique_ptr<store::Session> session;
    try {
      session = host_.database().open();
    } catch (const std::exception& e) {
      if (options_.drain) {
        host_log()->error("worker {}: {}", index, e.what());
        return;
      }
      if (!reported) host_log()->warn("worker {}: {}; trying again every second", index, e.what());
      reported = true;
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_.load(); });
      continue;
    }
    if (reported) host_log()->info("worker {}: connected to the store again", index);
    reported = false;
    if (serve(index, *session)) return;  // stopped or drained, not disconnected
  }
}

bool WorkerPool::serve(int index, store::Session& session) {
  jobs::JobStore store(session);
  jobs::Runner runner(host_.plugins(), session, host_.runner_options(), host_.durations());
  {
    std::lock_guard lock(runners_mutex_);
    runners_.emplace_back(&runner, std::this_thread::get_id());
  }
  struct Unregister {
    WorkerPool& pool;
    jobs::Runner* runner;
    ~Unregister() {
      std::lock_guard lock(pool.runners_mutex_);
      std::erase_if(pool.runners_, [this](const auto& e) { return e.first == runner; });
    }
  } unregister{*this, &runner};
  // Claim one job at a time until the jobs prove fast; then claim many per transaction.
  size_t claim = 1;
  while (!stopping_.load()) {
    std::vector<jobs::ClaimedJob> jobs;
    try {
      jobs = store.claim(host_.instance(), claim, now_micros(), options_.lease);
    } catch (const std::exception& e) {
      if (session.broken()) {
        host_log()->warn("worker {}: lost the store connection: {}", index, e.what());
        return false;
      }
      host_log()->warn("worker {}: claiming jobs failed: {}", index, e.what());
    }
    if (jobs.empty()) {
      if (options_.drain) return true;
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, std::chrono::microseconds(options_.idle_poll));
      continue;
    }
    if (jobs.size() == claim) wake_one();  // there may be more
    in_flight_.add(jobs);
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
    // From here on nobody renews these leases: a job whose end could not be recorded (the
    // connection died under its run) is rescued and retried once its lease expires.
    in_flight_.remove(jobs);
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
    if (session.broken()) {
      host_log()->warn("worker {}: lost the store connection", index);
      return false;
    }
  }
  return true;
}

}  // namespace jobhost
