// PostgreSQL wake-ups: a connection of its own that LISTENs on the channel the jobs table's
// insert trigger notifies, and calls `on_wake` for every notification, so that idle workers
// claim a job inserted by any host (or CLI) within milliseconds rather than at their next
// poll. The poll stays as the fallback: a notification lost with the connection costs one
// poll interval, and the listener wakes the workers once whenever it (re)connects.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

namespace jobhost {

class WakeListener {
 public:
  // `connection`: libpq key=value string. Returns at once; connects on its own thread.
  // `wake_on_connect`: also call on_wake after each (re)subscription, for what was sent while
  // nobody listened (right for new jobs, wrong for one-off requests such as reloads).
  WakeListener(std::string connection, std::string channel, std::function<void()> on_wake,
               bool wake_on_connect = true);
  ~WakeListener();  // stops and joins at once
  WakeListener(const WakeListener&) = delete;
  WakeListener& operator=(const WakeListener&) = delete;

  // Whether it is listening now (for tests and status).
  bool listening() const { return listening_.load(); }
  // Waits until it listens, at most `timeout`; false if it still does not.
  bool wait_listening(std::chrono::milliseconds timeout) const;

 private:
  void loop();

  std::string connection_, channel_;
  std::function<void()> on_wake_;
  bool wake_on_connect_;
  int stop_fd_ = -1;  // eventfd: ends the poll at once on destruction
  std::atomic<bool> listening_{false};
  std::thread thread_;
};

}  // namespace jobhost
