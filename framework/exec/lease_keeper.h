// Leases: while this process runs jobs, a thread renews their leases every third of the lease
// time; it also rescues jobs of other processes whose lease expired (their host died) or whose
// daemon stopped heart-beating for host.lost_after_s (declared lost): each becomes errored
// "host lost ..." and is retried per its job type's policy, never left running forever.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "core/time.h"

namespace jobhost {

class Host;
class InFlightJobs;
namespace store {
class Session;
}
namespace plugin {
class PluginRegistry;
}

// Declares lost the daemons without a heartbeat for `lost_after`, then rescues every job whose
// lease expired before `now` or whose host is lost; returns how many jobs.
int rescue_expired_jobs(store::Session& session, const plugin::PluginRegistry& plugins, Micros now,
                        Micros lost_after, bool event_log);

class LeaseKeeper {
 public:
  // Renews the leases of the jobs in `running` (only those: a job this process no longer runs
  // must be able to expire). `rescue`: also rescue other processes' jobs (the daemon and
  // workers do; a one-off run-now only keeps its own lease).
  LeaseKeeper(Host& host, const InFlightJobs& running, bool rescue);
  ~LeaseKeeper();  // stops the thread
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

  // Renews and rescues now (also what the thread does periodically).
  void tick();

 private:
  void loop();

  Host& host_;
  const InFlightJobs& running_;
  bool rescue_;
  std::unique_ptr<store::Session> session_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace jobhost
