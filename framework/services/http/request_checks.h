#pragma once

#include <optional>
#include <string>

#include "services/http/http_types.h"

// Internal to services/http.
namespace jobhost::http::detail {

// What is wrong with a request before it goes anywhere near the network, or nullopt. Catches
// header injection (CR/LF in a name or value) and values curl would silently reinterpret
// (negative timeouts).
std::optional<std::string> request_problem(const Request& request);

}  // namespace jobhost::http::detail
