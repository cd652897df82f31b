// Leases: while this process runs jobs, a thread renews their leases every third of the lease
// time; it also rescues jobs of other processes whose lease expired (their host died): each
// becomes errored "host lost ..." and is retried per its job type's policy, never left
// running forever.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "core/time.h"

namespace jobhost {

class Host;
namespace store {
class Session;
}
namespace plugin {
class PluginRegistry;
}

// Rescues every job whose lease expired before `now`; returns how many.
int rescue_expired_jobs(store::Session& session, const plugin::PluginRegistry& plugins, Micros now,
                        bool event_log);

class LeaseKeeper {
 public:
  // `rescue`: also rescue other processes' expired jobs (the daemon and workers do; a one-off
  // run-now only keeps its own lease).
  LeaseKeeper(Host& host, bool rescue);
  ~LeaseKeeper();  // stops the thread
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

  // Renews and rescues now (also what the thread does periodically).
  void tick();

 private:
  void loop();

  Host& host_;
  bool rescue_;
  std::unique_ptr<store::Session> session_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace jobhost
