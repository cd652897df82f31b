#include "fakes/kubernetes/counters.h"

#include <algorithm>

namespace jobhost::testing::fake_kubernetes {

void Counters::begin_request(const TestRequest& request, CounterClock::time_point now) {
  std::lock_guard lock(mutex_);
  ++requests_;
  ++being_made_;
  last_request_ = request;
  // Answers due by now have gone out (or are going): those requests are no longer in flight.
  while (!answers_due_.empty() && answers_due_.top() <= now) answers_due_.pop();
  max_in_flight_ = std::max(max_in_flight_, answers_due_.size() + being_made_);
}

void Counters::answer_due(CounterClock::time_point due) {
  std::lock_guard lock(mutex_);
  answers_due_.push(due);
  --being_made_;
}

void Counters::abandon_request() {
  std::lock_guard lock(mutex_);
  --being_made_;
}

void Counters::count_list(std::string_view plural) {
  std::lock_guard lock(mutex_);
  auto it = lists_.find(plural);
  if (it == lists_.end()) it = lists_.emplace(std::string(plural), 0).first;
  ++it->second;
}

void Counters::count_gone() {
  std::lock_guard lock(mutex_);
  ++gone_;
}

std::size_t Counters::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::size_t Counters::list_requests(std::string_view plural) const {
  std::lock_guard lock(mutex_);
  auto it = lists_.find(plural);
  return it == lists_.end() ? 0 : it->second;
}

std::size_t Counters::gone_answers() const {
  std::lock_guard lock(mutex_);
  return gone_;
}

std::size_t Counters::max_in_flight() const {
  std::lock_guard lock(mutex_);
  return max_in_flight_;
}

std::optional<TestRequest> Counters::last_request() const {
  std::lock_guard lock(mutex_);
  return last_request_;
}

void Counters::reset() {
  std::lock_guard lock(mutex_);
  requests_ = 0;
  gone_ = 0;
  lists_.clear();
  last_request_.reset();
  // Requests still under way count again toward the maximum when the next one arrives.
  max_in_flight_ = 0;
}

}  // namespace jobhost::testing::fake_kubernetes
