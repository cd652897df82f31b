#pragma once

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

}  // namespace jobhost::testing::fake_zabbix
