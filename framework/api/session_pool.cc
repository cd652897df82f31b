#include "api/session_pool.h"

namespace jobhost::api {

SessionPool::Lease::~Lease() {
  if (!session_) return;
  // A request that failed half-way must not leave its transaction to the next one.
  if (session_->in_transaction()) {
    try {
      session_->rollback();
    } catch (...) {
      return;  // dropped: the next lease opens a fresh connection
    }
  }
  std::lock_guard lock(pool_.mutex_);
  pool_.idle_.push_back(std::move(session_));
}

SessionPool::Lease SessionPool::lease() {
  std::unique_ptr<store::Session> session;
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      session = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!session)
    session = database_.open();
  else
    database_.reopen_if_broken(session);
  return Lease(*this, std::move(session));
}

}  // namespace jobhost::api
