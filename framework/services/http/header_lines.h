#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "services/http/http_types.h"

// Internal to services/http; free of curl so it can be tested on its own.
namespace jobhost::http::detail {

// Collects response headers from the raw lines curl hands over one at a time. A status line
// ("HTTP/1.1 302 Found") starts a new response, so after redirects and "100 Continue" only
// the final response's headers remain.
class HeaderLines {
 public:
  void add_line(std::string_view line);

  const std::vector<Header>& headers() const { return headers_; }
  std::vector<Header> take() { return std::move(headers_); }

 private:
  std::vector<Header> headers_;
};

}  // namespace jobhost::http::detail
