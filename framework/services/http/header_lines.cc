#include "services/http/header_lines.h"

#include <string>

namespace jobhost::http::detail {

namespace {

std::string_view trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  std::size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  std::size_t last = text.find_last_not_of(kSpace);
  return text.substr(first, last - first + 1);
}

}  // namespace

void HeaderLines::add_line(std::string_view line) {
  if (line.starts_with("HTTP/")) {
    headers_.clear();
    return;
  }
  // Obsolete line folding (RFC 7230 3.2.4): a line starting with white space continues the
  // previous header's value.
  if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
    std::string_view more = trim(line);
    if (!headers_.empty() && !more.empty()) {
      std::string& value = headers_.back().value;
      if (!value.empty()) value += ' ';
      value += more;
    }
    return;
  }
  std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return;  // the blank line ending the block, or junk
  std::string_view name = trim(line.substr(0, colon));
  if (name.empty()) return;
  headers_.push_back(Header{std::string(name), std::string(trim(line.substr(colon + 1)))});
}

}  // namespace jobhost::http::detail
