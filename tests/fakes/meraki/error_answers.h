#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "fakes/meraki/fake_meraki.h"
#include "support/http_test_server.h"

// The Dashboard API's error answers: {"errors":["..."]} with the status, and what an injected
// failure answers instead of a request.
namespace jobhost::testing::fake_meraki {

TestResponse errors_answer(int status, std::string_view message);  // {"errors":[message]}

TestResponse missing_api_key();         // 401 "Missing API key"
TestResponse invalid_api_key();         // 401 "Invalid API key"
TestResponse organization_not_found();  // 404 "Organization not found"
TestResponse not_found();               // 404 "Not found"
TestResponse method_not_allowed();      // 405 "Method not allowed"
// 429 "API rate limit exceeded for organization" with Retry-After.
TestResponse rate_limited(int retry_after_s);
// 400 "'perPage' must be between MIN and MAX".
TestResponse bad_per_page(std::size_t min, std::size_t max);

// What a request failed by injection gets instead of its answer.
TestResponse failure_answer(MerakiFailure failure, int retry_after_s,
                            std::chrono::milliseconds hang_for);

}  // namespace jobhost::testing::fake_meraki
