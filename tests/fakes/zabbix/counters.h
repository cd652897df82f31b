#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <queue>
#include <string>
#include <string_view>
#include <vector>

#include "support/http_test_server.h"

// What FakeZabbix's counters report (requests, calls, hosts returned, requests in flight).
namespace jobhost::testing::fake_zabbix {

using Clock = std::chrono::steady_clock;

// Thread-safe.
class Counters {
 public:
  // A request arrived at `start`: in flight while its answer is being made...
  void begin_request(const TestRequest& request, Clock::time_point start);
  // ...then until `due` (latency, injected delays), when its answer goes out. One step under
  // one lock, so that no request is ever counted both as being made and as due.
  void answer_due(Clock::time_point due);
  // Its handler threw: no answer will be due.
  void abandon_request();

  void count_call(const std::string& method);  // "host.get", lower case
  void count_hosts_returned(std::size_t hosts);

  std::size_t requests() const;
  std::size_t calls(std::string_view method) const;  // any case
  std::size_t calls() const;
  std::size_t hosts_returned() const;
  std::optional<TestRequest> last_request() const;
  std::size_t max_in_flight() const;
  void reset();

 private:
  mutable std::mutex mutex_;
  std::size_t requests_ = 0;
  std::size_t hosts_returned_ = 0;
  std::size_t max_in_flight_ = 0;
  std::map<std::string, std::size_t, std::less<>> calls_;
  std::optional<TestRequest> last_request_;
  // When the answers handed back to the server go out: those still ahead are in flight.
  std::priority_queue<Clock::time_point, std::vector<Clock::time_point>, std::greater<>>
      answers_due_;
  std::size_t in_handler_ = 0;  // requests whose answer is being made
};

}  // namespace jobhost::testing::fake_zabbix
