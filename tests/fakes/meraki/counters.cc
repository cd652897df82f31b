#include "fakes/meraki/counters.h"

#include <algorithm>

namespace jobhost::testing::fake_meraki {

void Counters::begin_request(const TestRequest& request, bool at_shard,
                             CounterClock::time_point now) {
  std::lock_guard lock(mutex_);
  log_.push_back(request);
  if (at_shard) ++shard_requests_;
  ++being_made_;
  // Answers due by now have gone out (or are going): those requests are no longer in flight.
  while (!answers_due_.empty() && answers_due_.top() <= now) answers_due_.pop();
  max_in_flight_ = std::max(max_in_flight_, answers_due_.size() + being_made_);
}

void Counters::answer_due(int status, CounterClock::time_point due) {
  std::lock_guard lock(mutex_);
  if (status == 401) ++unauthorized_;
  if (status == 429) ++rate_limited_;
  if (status >= 300 && status < 400) ++redirects_;
  answers_due_.push(due);
  --being_made_;
}

void Counters::abandon_request() {
  std::lock_guard lock(mutex_);
  --being_made_;
}

void Counters::count_page(std::string_view endpoint) {
  std::lock_guard lock(mutex_);
  auto it = pages_.find(endpoint);
  if (it == pages_.end()) it = pages_.emplace(std::string(endpoint), 0).first;
  ++it->second;
}

std::size_t Counters::requests() const {
  std::lock_guard lock(mutex_);
  return log_.size();
}

std::size_t Counters::rate_limited() const {
  std::lock_guard lock(mutex_);
  return rate_limited_;
}

std::size_t Counters::unauthorized() const {
  std::lock_guard lock(mutex_);
  return unauthorized_;
}

std::size_t Counters::redirects() const {
  std::lock_guard lock(mutex_);
  return redirects_;
}

std::size_t Counters::shard_requests() const {
  std::lock_guard lock(mutex_);
  return shard_requests_;
}

std::size_t Counters::pages(std::string_view endpoint) const {
  std::lock_guard lock(mutex_);
  auto it = pages_.find(endpoint);
  return it == pages_.end() ? 0 : it->second;
}

std::size_t Counters::max_in_flight() const {
  std::lock_guard lock(mutex_);
  return max_in_flight_;
}

std::optional<TestRequest> Counters::last_request() const {
  std::lock_guard lock(mutex_);
  if (log_.empty()) return std::nullopt;
  return log_.back();
}

std::vector<TestRequest> Counters::requests_log() const {
  std::lock_guard lock(mutex_);
  return log_;
}

void Counters::reset() {
  std::lock_guard lock(mutex_);
  rate_limited_ = 0;
  unauthorized_ = 0;
  redirects_ = 0;
  shard_requests_ = 0;
  pages_.clear();
  log_.clear();
  // Requests still under way count again toward the maximum when the next one arrives.
  max_in_flight_ = 0;
}

}  // namespace jobhost::testing::fake_meraki
