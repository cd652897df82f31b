// Failures a test asks a fake server for ("the next 3 requests to /devices answer 429"), by
// the fake's own failure type. Shared by the fake Meraki and the fake Kubernetes API.
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace jobhost::testing {

template <class Failure>
struct FailureRule {
  Failure failure;
  std::size_t remaining;    // requests still to fail
  std::string target_part;  // empty: any request
  std::size_t skip;         // matching requests served before the failures start
};

// Thread-safe. Rules apply in the order they were added; the first that matches a request
// takes it.
template <class Failure>
class InjectedFailures {
 public:
  // A rule for no request is ignored.
  void add(FailureRule<Failure> rule) {
    if (rule.remaining == 0) return;
    std::lock_guard lock(mutex_);
    rules_.push_back(std::move(rule));
  }

  void clear() {
    std::lock_guard lock(mutex_);
    rules_.clear();
  }

  // The failure due for a request to `target` (path and query), if any; counts it off.
  std::optional<Failure> take(std::string_view target) {
    std::lock_guard lock(mutex_);
    for (auto it = rules_.begin(); it != rules_.end(); ++it) {
      if (!it->target_part.empty() && target.find(it->target_part) == std::string_view::npos)
        continue;
      if (it->skip > 0) {
        --it->skip;
        continue;
      }
      Failure failure = it->failure;
      if (--it->remaining == 0) rules_.erase(it);
      return failure;
    }
    return std::nullopt;
  }

 private:
  std::mutex mutex_;
  std::deque<FailureRule<Failure>> rules_;
};

}  // namespace jobhost::testing
