#include "fakes/meraki/failure_injection.h"

#include <utility>

namespace jobhost::testing::fake_meraki {

void InjectedFailures::add(FailureRule rule) {
  if (rule.remaining == 0) return;
  std::lock_guard lock(mutex_);
  rules_.push_back(std::move(rule));
}

void InjectedFailures::clear() {
  std::lock_guard lock(mutex_);
  rules_.clear();
}

std::optional<MerakiFailure> InjectedFailures::take(std::string_view target) {
  std::lock_guard lock(mutex_);
  for (auto it = rules_.begin(); it != rules_.end(); ++it) {
    if (!it->target_part.empty() && target.find(it->target_part) == std::string_view::npos) {
      continue;
    }
    if (it->skip > 0) {
      --it->skip;
      continue;
    }
    MerakiFailure failure = it->failure;
    if (--it->remaining == 0) rules_.erase(it);
    return failure;
  }
  return std::nullopt;
}

}  // namespace jobhost::testing::fake_meraki
