#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "support/http_test_server.h"

// The HTTP answers around the JSON-RPC ones: what ui/api_jsonrpc.php and nginx send.
namespace jobhost::testing::fake_zabbix {

inline constexpr std::string_view kApiPath = "/api_jsonrpc.php";

// ui/api_jsonrpc.php sends the CORS headers before anything else.
TestResponse with_cors(TestResponse response);
TestResponse html(int status, std::string body);
// nginx's own error page: "404 Not Found", "500 Internal Server Error".
std::string nginx_page(std::string_view status);
// nginx's limit_req with `limit_req_status 429`, plus the Retry-After a proxy sets: whole
// seconds, or decimal seconds below a second's precision.
TestResponse too_many_requests(std::chrono::milliseconds retry_after);

}  // namespace jobhost::testing::fake_zabbix
