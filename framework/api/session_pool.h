// Store sessions for the HTTP server's threads: a request borrows one for its duration. A
// session is one connection and must never be used by two threads at once; the pool grows to
// the number of threads serving at the same time and replaces a broken connection when it is
// borrowed (the store restarted).
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "store/database.h"

namespace jobhost::api {

class SessionPool {
 public:
  explicit SessionPool(store::Database& database) : database_(database) {}

  class Lease {
   public:
    Lease(SessionPool& pool, std::unique_ptr<store::Session> session)
        : pool_(pool), session_(std::move(session)) {}
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    store::Session& operator*() { return *session_; }
    store::Session* operator->() { return session_.get(); }

   private:
    SessionPool& pool_;
    std::unique_ptr<store::Session> session_;
  };

  // Throws store::StoreError when no connection can be opened.
  Lease lease();

 private:
  store::Database& database_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<store::Session>> idle_;
};

}  // namespace jobhost::api
