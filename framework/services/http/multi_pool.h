#pragma once

#include <cstddef>
#include <mutex>
#include <utility>
#include <vector>

#include "services/http/curl_handles.h"

// Internal to services/http.
namespace jobhost::http::detail {

// Idle multi handles and, inside each, the keep-alive connections its last transfers left
// open. A call borrows one for its duration, so the next call reuses those connections; no
// two threads ever use one multi handle (or its connections) at the same time.
class MultiPool {
 public:
  class Lease {
   public:
    Lease(MultiPool& pool, MultiPtr multi) : pool_(pool), multi_(std::move(multi)) {}
    ~Lease() { pool_.give_back(std::move(multi_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

    CURLM* get() const { return multi_.get(); }

   private:
    MultiPool& pool_;
    MultiPtr multi_;
  };

  MultiPool() { idle_.reserve(kMaxIdle); }  // so that give_back never allocates

  // Throws std::runtime_error when curl cannot make a multi handle.
  Lease borrow();

 private:
  void give_back(MultiPtr multi) noexcept;

  // More idle handles than concurrent callers are never needed; beyond this, a returned
  // handle is closed with its connections.
  static constexpr std::size_t kMaxIdle = 8;

  std::mutex mutex_;
  std::vector<MultiPtr> idle_;
};

}  // namespace jobhost::http::detail
