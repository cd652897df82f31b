// PostgreSQL wake-ups: a connection of its own that LISTENs on the channel the jobs table's
// insert trigger notifies, and calls `on_wake` for every notification, so that idle workers
// claim a job inserted by any host (or CLI) within milliseconds rather than at their next
// poll. The poll stays as the fallback: a notification lost with the connection costs one
// poll interval, and the listener wakes the workers once whenever it (re)connects.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace jobhost {

class WakeListener {
 public:
  // `connection`: libpq key=value string. Returns at once; connects on its own thread.
  WakeListener(std::string connection, std::string channel, std::function<void()> on_wake);
  ~WakeListener();  // stops and joins at once
  WakeListener(const WakeListener&) = delete;
  WakeListener& operator=(const WakeListener&) = delete;

  // Whether it is listening now (for tests and status).
  bool listening() const { return listening_.load(); }

 private:
  void loop();

  std::string connection_, channel_;
  std::function<void()> on_wake_;
  int stop_fd_ = -1;  // eventfd: ends the poll at once on destruction
  std::atomic<bool> listening_{false};
  std::thread thread_;
};

}  // namespace jobhost
