#pragma once

#include <string>
#include <string_view>

// Internal to services/http.
namespace jobhost::http::detail {

// The URL without user info, query and fragment, for logs: tokens sometimes travel in a
// query string or as "user:password@", and logs must never carry them.
std::string log_safe_url(std::string_view url);

}  // namespace jobhost::http::detail
