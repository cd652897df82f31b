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

// What FakeKubernetes's counters report. A request is in flight from the moment it arrives
// until its answer is due to go out: the handler returns at once and the server holds the
// answer on a timer for the latency, so "due" is a time, not an event the fake sees.
namespace jobhost::testing::fake_kubernetes {

using CounterClock = std::chrono::steady_clock;

// Thread-safe.
class Counters {
 public:
  // A request arrived at `now`: in flight while its answer is being made...
  void begin_request(const TestRequest& request, CounterClock::time_point now);
  // ...then until `due`. One step under one lock, so that no request is ever counted both as
  // being made and as waiting.
  void answer_due(CounterClock::time_point due);
  // Its answer could not be made (the handler threw): nothing will be due.
  void abandon_request();

  void count_list(std::string_view plural);
  void count_gone();

  std::size_t requests() const;
  std::size_t list_requests(std::string_view plural) const;
  std::size_t gone_answers() const;
  std::size_t max_in_flight() const;
  std::optional<TestRequest> last_request() const;
  void reset();

 private:
  mutable std::mutex mutex_;
  std::size_t requests_ = 0;
  std::size_t gone_ = 0;
  std::size_t max_in_flight_ = 0;
  std::size_t being_made_ = 0;
  std::priority_queue<CounterClock::time_point, std::vector<CounterClock::time_point>,
                      std::greater<>>
      answers_due_;
  std::map<std::string, std::size_t, std::less<>> lists_;
  std::optional<TestRequest> last_request_;
};

}  // namespace jobhost::testing::fake_kubernetes
