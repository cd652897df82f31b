#include "exec/lease_keeper.h"

#include <nlohmann/json.hpp>

#include "core/logging.h"
#include "daemon/host_registry.h"
#include "exec/in_flight_jobs.h"
#include "host/host.h"
#include "jobs/job_store.h"
#include "jobs/retry.h"
#include "metrics/metrics.h"
#include "schedule/schedule_store.h"

namespace jobhost {

int rescue_expired_jobs(store::Session& session, const plugin::PluginRegistry& plugins, Micros now,
                        Micros lost_after, bool event_log) {
  for (const auto& h : daemon::declare_lost_hosts(session, now, lost_after))
    host_log()->warn("host {} ({}, pid {}) declared lost: no heartbeat since {}", h.instance,
                     h.machine, h.pid, format_time(h.heartbeat_at));
  jobs::JobStore store(session);
  int rescued = 0;
  for (const auto& job : store.expired_leases(now)) {
    jobs::Completion c;
    c.status = jobs::JobStatus::errored;
    c.finished_at = now;
    c.error = "host lost: " + job.host +
              (job.host_lost ? " stopped its heartbeat and was declared lost"
                             : " stopped renewing the job's lease (it expired at " +
                                   format_time(job.lease_until) + ")") +
              "; its changes were rolled back";
    const auto type = plugins.find_job_type(job.type);
    if (jobs::retries_left(job.attempt, job.max_attempts))
      c.retry_at = now + (type ? jobs::retry_delay(type->retry, job.attempt) : 1000000);
    store::WriteTransaction tx(session);
    if (job.schedule_id) schedule::ScheduleStore(session).lock_for_outcome(*job.schedule_id);
    if (!store.rescue(job, c)) continue;  // its host came back and renewed it, or it ended
    if (event_log) {
      jobs::EventRecord e;
      e.created_at = now;
      e.name = job.type;
      e.job_id = job.id;
      e.level = "error";
      e.message =
          "rescued: " + *c.error +
          (c.retry_at ? "; next attempt at " + format_time(*c.retry_at) : "; no attempts left");
      e.exception = c.error;
      e.data = nlohmann::json({{"host", job.host}, {"attempt", job.attempt}}).dump();
      store.insert_event(e);
    }
    if (job.schedule_id)
      schedule::ScheduleStore(session).record_outcome(*job.schedule_id, job.id, "errored", now);
    tx.commit();
    ++rescued;
    metrics::jobs_rescued(job.host_lost ? "host_lost" : "lease", 1);
    if (c.retry_at) metrics::job_retried(job.type);
    host_log()->warn("job {} {} rescued: {}", job.id, job.type, *c.error);
  }
  return rescued;
}

LeaseKeeper::LeaseKeeper(Host& host, const InFlightJobs& running, bool rescue)
    : host_(host), running_(running), rescue_(rescue) {
  try {
    session_ = host_.database().open();
  } catch (const std::exception& e) {
    host_log()->warn("leases: {}; trying again at the next renewal", e.what());
  }
  thread_ = std::thread([this] { loop(); });
}

LeaseKeeper::~LeaseKeeper() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void LeaseKeeper::tick() {
  const Micros lease = static_cast<Micros>(host_.config().jobs.lease_s) * 1000000;
  const Micros now = now_micros();
  try {
    host_.database().reopen_if_broken(session_);
  } catch (const std::exception& e) {
    host_log()->warn("leases: {}", e.what());
    return;
  }
  try {
    const auto ids = running_.ids();
    if (!ids.empty()) {
      store::WriteTransaction tx(*session_);
      jobs::JobStore(*session_).renew_leases(host_.instance(), ids, now, lease);
      tx.commit();
    }
  } catch (const std::exception& e) {
    host_log()->warn("renewing leases failed: {}", e.what());
  }
  if (!rescue_) return;
  try {
    rescue_expired_jobs(*session_, host_.plugins(), now,
                        static_cast<Micros>(host_.config().lost_after_s) * 1000000,
                        host_.config().event_log);
  } catch (const std::exception& e) {
    host_log()->warn("rescuing jobs failed: {}", e.what());
  }
}

void LeaseKeeper::loop() {
  // A third of the lease, so that two renewals may fail before it expires; and at least as
  // often as hosts beat, so that a lost host's jobs are rescued soon after it is declared lost.
  const auto period = std::chrono::milliseconds(
      std::min(host_.config().jobs.lease_s * 1000 / 3, host_.config().heartbeat_s * 1000));
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    tick();
    lock.lock();
    wake_.wait_for(lock, period, [this] { return stopping_; });
  }
}

}  // namespace jobhost
