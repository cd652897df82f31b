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

// What FakeMeraki's counters report, over both servers. A request is in flight from the
// moment it arrives until its answer is due to go out: the handler returns at once and the
// server holds the answer on a timer for the latency, so "due" is a time, not an event the
// fake sees.
namespace jobhost::testing::fake_meraki {

using CounterClock = std::chrono::steady_clock;

// Thread-safe.
class Counters {
 public:
  // A request arrived at `now` (at the shard when `at_shard`): in flight while its answer is
  // being made...
  void begin_request(const TestRequest& request, bool at_shard, CounterClock::time_point now);
  // ...then until `due`, counted by its status (401, 429, redirects). One step under one
  // lock, so that no request is ever counted both as being made and as waiting.
  void answer_due(int status, CounterClock::time_point due);
  // Its answer could not be made (the handler threw): nothing will be due.
  void abandon_request();

  // A 200 page of a list: "organizations", "networks", "devices", "statuses".
  void count_page(std::string_view endpoint);

  std::size_t requests() const;
  std::size_t rate_limited() const;
  std::size_t unauthorized() const;
  std::size_t redirects() const;
  std::size_t shard_requests() const;
  std::size_t pages(std::string_view endpoint) const;
  std::size_t max_in_flight() const;
  std::optional<TestRequest> last_request() const;
  std::vector<TestRequest> requests_log() const;
  void reset();

 private:
  mutable std::mutex mutex_;
  std::size_t rate_limited_ = 0;
  std::size_t unauthorized_ = 0;
  std::size_t redirects_ = 0;
  std::size_t shard_requests_ = 0;
  std::size_t max_in_flight_ = 0;
  std::size_t being_made_ = 0;
  std::priority_queue<CounterClock::time_point, std::vector<CounterClock::time_point>,
                      std::greater<>>
      answers_due_;
  std::map<std::string, std::size_t, std::less<>> pages_;
  std::vector<TestRequest> log_;  // every request; requests() is its size
};

}  // namespace jobhost::testing::fake_meraki
