#include "services/http/request_checks.h"

#include <string_view>

namespace jobhost::http::detail {

namespace {

// RFC 9110 "tchar": what a method or a header name may consist of.
bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

bool has_line_break(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

}  // namespace

std::optional<std::string> request_problem(const Request& request) {
  if (request.url.empty()) return "invalid request: the URL is empty";
  if (has_line_break(request.url)) return "invalid request: the URL contains a line break";
  if (!is_token(request.method)) return "invalid request: bad method '" + request.method + "'";
  if (request.method == "HEAD" && !request.body.empty()) {
    return "invalid request: a HEAD request cannot have a body";
  }
  for (const Header& header : request.headers) {
    // Neither a bad name nor a value is echoed: a caller that put "Authorization: Bearer x"
    // into the name would otherwise see its token in the error, and maybe in a log.
    if (!is_token(header.name)) return "invalid request: a header name is not a valid token";
    if (has_line_break(header.value)) {
      return "invalid request: the value of header " + header.name + " contains a line break";
    }
  }
  if (request.connect_timeout.count() < 0 || request.total_timeout.count() < 0) {
    return "invalid request: negative timeout";
  }
  if (request.max_redirects < 0) return "invalid request: negative max_redirects";
  return std::nullopt;
}

}  // namespace jobhost::http::detail
