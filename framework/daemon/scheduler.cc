// Boost.Asio lives in this file only (compile time).
#include "daemon/scheduler.h"

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/logging.h"
#include "host/host.h"
#include "schedule/firing.h"
#include "schedule/schedule_store.h"

namespace jobhost::daemon {

namespace asio = boost::asio;

class Scheduler::Impl {
  // While a backlog of due schedules fires, how often the workers are told about its jobs.
  static constexpr Micros kAnnounceEvery = 5000;

 public:
  Impl(Host& host, SchedulerOptions options, std::function<void()> on_enqueued)
      : host_(host),
        options_(options),
        on_enqueued_(std::move(on_enqueued)),
        fire_timer_(io_),
        poll_timer_(io_) {}

  void start() {
    session_ = host_.database().open();
    load_all();
    arm_fire();
    arm_poll();
    thread_ = std::thread([this] { io_.run(); });
  }

  void stop() {
    asio::post(io_, [this] {
      fire_timer_.cancel();
      poll_timer_.cancel();
      io_.stop();
    });
    if (thread_.joinable()) thread_.join();
  }

  void refresh() {
    asio::post(io_, [this] {
      load_all();
      arm_fire();
    });
  }

  SchedulerStats stats() const {
    std::lock_guard lock(stats_mutex_);
    return stats_;
  }

 private:
  // (re)places one schedule in the queue by its next run.
  void put(const schedule::ScheduleRecord& r) {
    drop(r.id);
    if (!r.enabled || !r.next_run_at) return;
    records_[r.id] = r;
    queue_.insert({*r.next_run_at, r.id});
  }
  void drop(int64_t id) {
    auto it = records_.find(id);
    if (it == records_.end()) return;
    if (it->second.next_run_at) queue_.erase({*it->second.next_run_at, id});
    records_.erase(it);
  }

  void load_all() {
    try {
      schedule::ScheduleStore store(*session_);
      const Micros started = now_micros();
      auto rows = store.list();
      queue_.clear();
      records_.clear();
      for (const auto& r : rows) {
        put(r);
        last_seen_ = std::max(last_seen_, r.updated_at);
      }
      last_full_load_ = started;
      host_log()->debug("scheduler: {} schedules loaded", rows.size());
    } catch (const std::exception& e) {
      host_log()->warn("scheduler: reading schedules failed: {}", e.what());
    }
  }

  void arm_fire() {
    fire_timer_.cancel();
    if (queue_.empty()) return;
    const Micros delay = std::max<Micros>(queue_.begin()->first - now_micros(), 0);
    fire_timer_.expires_after(std::chrono::microseconds(delay));
    fire_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) fire_due();
    });
  }

  // After the store restarted: a new connection, and every schedule read again (others may
  // have changed or fired them meanwhile). False while the store cannot be reached.
  bool connected() {
    try {
      if (!host_.database().reopen_if_broken(session_)) return true;
      host_log()->info("scheduler: connected to the store again");
      load_all();
      return true;
    } catch (const std::exception& e) {
      host_log()->warn("scheduler: {}", e.what());
      return false;
    }
  }

  void fire_due() {
    if (!connected()) {
      // Nothing fired: look again in a second (the poll timer re-arms this one too).
      fire_timer_.expires_after(std::chrono::seconds(1));
      fire_timer_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) fire_due();
      });
      return;
    }
    Micros now = now_micros();
    bool unannounced = false;  // jobs enqueued since on_enqueued was last called
    Micros announced_at = 0;
    while (!queue_.empty() && queue_.begin()->first <= now) {
      const int64_t id = queue_.begin()->second;
      schedule::ScheduleRecord record = records_[id];
      queue_.erase(queue_.begin());
      try {
        auto result = schedule::fire_schedule(*session_, host_.plugins(), record, now,
                                              host_.config().event_log);
        count(result.kind);
        switch (result.kind) {
          case schedule::FireResult::Kind::enqueued:
            // Not only after the loop: with a backlog of due schedules (after downtime, or a
            // busy store) the loop can take seconds, and the workers would find its jobs only by
            // their idle poll. The first at once, then at most every kAnnounceEvery, so that
            // the workers claim a backlog in batches rather than one transaction per job.
            unannounced = true;
            if (on_enqueued_ && (announced_at == 0 || now - announced_at >= kAnnounceEvery)) {
              on_enqueued_();
              unannounced = false;
              announced_at = now;
            }
            [[fallthrough]];
          case schedule::FireResult::Kind::skipped:
          case schedule::FireResult::Kind::failed:
          case schedule::FireResult::Kind::not_due:
            record.last_scheduled_at = result.kind == schedule::FireResult::Kind::not_due
                                           ? record.last_scheduled_at
                                           : std::optional<Micros>(result.slot);
            record.next_run_at = result.next_run_at;
            put(record);
            if (result.kind == schedule::FireResult::Kind::skipped ||
                result.kind == schedule::FireResult::Kind::failed)
              host_log()->warn("schedule {}: {}", record.name(), result.message);
            break;
          case schedule::FireResult::Kind::lost: {
            // Another process fired it: take the schedule as it is now.
            schedule::ScheduleStore store(*session_);
            if (auto fresh = store.get(id)) put(*fresh);
            break;
          }
        }
      } catch (const std::exception& e) {
        // The store failed; nothing changed. Try again shortly rather than spin.
        host_log()->warn("schedule {}: firing failed: {}", record.name(), e.what());
        record.next_run_at = now + 1000000;
        put(record);
      }
      now = now_micros();
    }
    if (unannounced && on_enqueued_) on_enqueued_();
    arm_fire();
  }

  void count(schedule::FireResult::Kind k) {
    std::lock_guard lock(stats_mutex_);
    switch (k) {
      case schedule::FireResult::Kind::enqueued:
        ++stats_.fired;
        break;
      case schedule::FireResult::Kind::skipped:
        ++stats_.skipped;
        break;
      case schedule::FireResult::Kind::lost:
        ++stats_.lost;
        break;
      case schedule::FireResult::Kind::failed:
        ++stats_.failed;
        break;
      default:
        break;
    }
  }

  // Schedules changed by other processes (a CLI enable, a plugin's per-key schedule, another
  // host's fire) reach the timers within poll_interval; a full reload now and then also
  // drops the ones that were deleted.
  void arm_poll() {
    poll_timer_.expires_after(std::chrono::microseconds(options_.poll_interval));
    poll_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      if (!connected()) {
        arm_poll();
        return;
      }
      if (now_micros() - last_full_load_ > options_.full_reload_interval) {
        load_all();
      } else {
        try {
          schedule::ScheduleStore store(*session_);
          for (const auto& r : store.changed_since(last_seen_)) {
            put(r);
            last_seen_ = std::max(last_seen_, r.updated_at);
          }
        } catch (const std::exception& e) {
          host_log()->warn("scheduler: polling schedules failed: {}", e.what());
        }
      }
      arm_fire();
      arm_poll();
    });
  }

  Host& host_;
  SchedulerOptions options_;
  std::function<void()> on_enqueued_;
  asio::io_context io_;
  asio::steady_timer fire_timer_, poll_timer_;
  std::thread thread_;
  std::unique_ptr<store::Session> session_;
  std::set<std::pair<Micros, int64_t>> queue_;
  std::map<int64_t, schedule::ScheduleRecord> records_;
  Micros last_seen_ = 0, last_full_load_ = 0;
  mutable std::mutex stats_mutex_;
  SchedulerStats stats_;
};

Scheduler::Scheduler(Host& host, SchedulerOptions options, std::function<void()> on_enqueued)
    : impl_(std::make_unique<Impl>(host, options, std::move(on_enqueued))) {}
Scheduler::~Scheduler() {
  impl_->stop();
}
void Scheduler::start() {
  impl_->start();
}
void Scheduler::stop() {
  impl_->stop();
}
void Scheduler::refresh() {
  impl_->refresh();
}
SchedulerStats Scheduler::stats() const {
  return impl_->stats();
}

}  // namespace jobhost::daemon
