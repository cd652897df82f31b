#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "services/http/http_types.h"

namespace jobhost::http {

// The one way plugins reach remote systems. Thread-safe: one client serves every plugin and
// worker. Idle keep-alive connections are kept between calls and reused, and DNS answers and
// TLS sessions are shared by all calls. Header values are never logged (they carry tokens).
class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // `cancelled` is polled on the calling thread at least every 100 ms; when it returns true
  // the transfer is aborted and the outcome has kind cancelled.
  Outcome perform(const Request& request, const std::function<bool()>& cancelled = {});

  // Runs the requests concurrently, at most `max_in_flight` (at least 1) at once, and returns
  // their outcomes in request order. Cancelling aborts every request not yet finished.
  std::vector<Outcome> perform_many(const std::vector<Request>& requests, std::size_t max_in_flight,
                                    const std::function<bool()>& cancelled = {});

  Stats stats() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jobhost::http
