// Lets a thread that asked the daemon to reload (the HTTP API, after storing a change) wait for
// that reload to finish and read what it reported. The signal loop reloads, as for SIGHUP, and
// counts each reload; a waiter waits for the count to pass the one it saw before asking.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace jobhost::daemon {

class ReloadTracker {
 public:
  uint64_t generation() const;
  // The signal loop, after each reload (also a failed one: its report says why).
  void finished(std::vector<std::string> report);
  // Waits until a reload after `seen` finished and returns its report. Throws
  // std::runtime_error after `timeout`, or at once once the daemon is stopping.
  std::vector<std::string> wait_after(uint64_t seen, std::chrono::milliseconds timeout);
  void stopping();

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  uint64_t generation_ = 0;
  bool stopping_ = false;
  std::vector<std::string> report_;
};

}  // namespace jobhost::daemon
