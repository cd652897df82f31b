#include "fakes/zabbix/counters.h"

#include <algorithm>

#include "fakes/zabbix/params.h"

namespace jobhost::testing::fake_zabbix {

void Counters::begin_request(const TestRequest& request, Clock::time_point start) {
  std::lock_guard lock(mutex_);
  ++in_handler_;
  ++requests_;
  last_request_ = request;
  while (!answers_due_.empty() && answers_due_.top() <= start) answers_due_.pop();
  max_in_flight_ = std::max(max_in_flight_, answers_due_.size() + in_handler_);
}

void Counters::answer_due(Clock::time_point due) {
  std::lock_guard lock(mutex_);
  answers_due_.push(due);
  --in_handler_;
}

void Counters::abandon_request() {
  std::lock_guard lock(mutex_);
  --in_handler_;
}

void Counters::count_call(const std::string& method) {
  std::lock_guard lock(mutex_);
  ++calls_[method];
}

void Counters::count_hosts_returned(std::size_t hosts) {
  std::lock_guard lock(mutex_);
  hosts_returned_ += hosts;
}

std::size_t Counters::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::size_t Counters::calls(std::string_view method) const {
  std::lock_guard lock(mutex_);
  auto it = calls_.find(lower(method));
  return it == calls_.end() ? 0 : it->second;
}

std::size_t Counters::calls() const {
  std::lock_guard lock(mutex_);
  std::size_t total = 0;
  for (const auto& [method, count] : calls_) total += count;
  return total;
}

std::size_t Counters::hosts_returned() const {
  std::lock_guard lock(mutex_);
  return hosts_returned_;
}

std::optional<TestRequest> Counters::last_request() const {
  std::lock_guard lock(mutex_);
  return last_request_;
}

std::size_t Counters::max_in_flight() const {
  std::lock_guard lock(mutex_);
  return max_in_flight_;
}

void Counters::reset() {
  std::lock_guard lock(mutex_);
  requests_ = 0;
  hosts_returned_ = 0;
  max_in_flight_ = 0;
  calls_.clear();
  last_request_.reset();
}

}  // namespace jobhost::testing::fake_zabbix
