#include "services/http/multi_pool.h"

#include <stdexcept>
#include <utility>

namespace jobhost::http::detail {

MultiPool::Lease MultiPool::borrow() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      MultiPtr multi = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(multi));
    }
  }
  MultiPtr multi(curl_multi_init());
  if (!multi) throw std::runtime_error("curl_multi_init failed");
  return Lease(*this, std::move(multi));
}

void MultiPool::give_back(MultiPtr multi) noexcept {
  if (!multi) return;
  std::lock_guard lock(mutex_);
  if (idle_.size() < kMaxIdle) idle_.push_back(std::move(multi));
}

}  // namespace jobhost::http::detail
