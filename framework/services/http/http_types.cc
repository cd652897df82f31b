#include "services/http/http_types.h"

#include <algorithm>
#include <cctype>

namespace jobhost::http {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace

std::optional<std::string_view> Response::header(std::string_view name) const {
  for (const Header& h : headers) {
    if (iequals(h.name, name)) return std::string_view(h.value);
  }
  return std::nullopt;
}

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::none:
      return "none";
    case ErrorKind::timeout:
      return "timeout";
    case ErrorKind::connect:
      return "connect";
    case ErrorKind::tls:
      return "tls";
    case ErrorKind::cancelled:
      return "cancelled";
    case ErrorKind::other:
      return "other";
  }
  return "other";
}

}  // namespace jobhost::http
