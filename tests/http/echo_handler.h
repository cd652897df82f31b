#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>

#include "support/http_test_server.h"

// Shared by the HTTP tests: a handler that describes the request it got, and a stopwatch.
namespace jobhost::testing {

// Answers with the request as JSON: method, target, path, query, headers, body.
inline TestResponse echo_request(const TestRequest& request) {
  nlohmann::json described = {{"method", request.method},   {"target", request.target},
                              {"path", request.path},       {"query", request.query},
                              {"headers", request.headers}, {"body", request.body}};
  return TestResponse::json(described.dump());
}

class Stopwatch {
 public:
  std::chrono::milliseconds elapsed() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 start_);
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace jobhost::testing
