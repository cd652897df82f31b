#include "exec/lease_keeper.h"

#include <nlohmann/json.hpp>

#include "core/logging.h"
#include "host/host.h"
#include "jobs/job_store.h"
#include "jobs/retry.h"
#include "schedule/schedule_store.h"

namespace jobhost {

int rescue_expired_jobs(store::Session& session, const plugin::PluginRegistry& plugins, Micros now,
                        bool event_log) {
  jobs::JobStore store(session);
  int rescued = 0;
  for (const auto& job : store.expired_leases(now)) {
    jobs::Completion c;
    c.status = jobs::JobStatus::errored;
    c.finished_at = now;
    c.error = "host lost: " + job.host + " stopped renewing the job's lease (it expired at " +
              format_time(job.lease_until) + "); its changes were rolled back";
    const auto* type = plugins.find_job_type(job.type);
    if (jobs::retries_left(job.attempt, job.max_attempts))
      c.retry_at = now + (type ? jobs::retry_delay(type->retry, job.attempt) : 1000000);
    store::WriteTransaction tx(session);
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
    host_log()->warn("job {} {} rescued: {}", job.id, job.type, *c.error);
  }
  return rescued;
}

LeaseKeeper::LeaseKeeper(Host& host, bool rescue) : host_(host), rescue_(rescue) {
  session_ = host_.database().open();
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
    store::WriteTransaction tx(*session_);
    jobs::JobStore(*session_).renew_leases(host_.instance(), now, lease);
    tx.commit();
  } catch (const std::exception& e) {
    host_log()->warn("renewing leases failed: {}", e.what());
  }
  if (!rescue_) return;
  try {
    rescue_expired_jobs(*session_, host_.plugins(), now, host_.config().event_log);
  } catch (const std::exception& e) {
    host_log()->warn("rescuing jobs failed: {}", e.what());
  }
}

void LeaseKeeper::loop() {
  const auto period = std::chrono::milliseconds(host_.config().jobs.lease_s * 1000 / 3);
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    tick();
    lock.lock();
    wake_.wait_for(lock, period, [this] { return stopping_; });
  }
}

}  // namespace jobhost
