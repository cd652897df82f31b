// Request's helpers and percent-decoding: plain string work, kept apart from the Beast server so
// that handlers' tests and the router can use them without it.
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "web/http_server.h"

namespace jobhost::web {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Decoded when possible; as sent otherwise (see query_param).
std::string decode_query_part(std::string_view text) {
  std::optional<std::string> decoded = percent_decode(text, true);
  return decoded ? std::move(*decoded) : std::string(text);
}

// Calls visit(name, value, has_value) for each '&'-separated pair of the query, in order, until
// it returns true. Empty pairs ("a=1&&b=2") are skipped.
template <class Visit>
void for_each_param(std::string_view query, Visit&& visit) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string_view name = pair.substr(0, eq);
    std::string_view value =
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    if (visit(name, value)) return;
  }
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;  // needs two more characters
      int high = hex_value(text[i + 1]);
      int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      char decoded = static_cast<char>(high * 16 + low);
      if (decoded == '\0') return std::nullopt;
      out.push_back(decoded);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string Request::header(std::string_view name) const {
  auto it = headers.find(lower(name));
  return it == headers.end() ? std::string() : it->second;
}

std::string Request::query_param(std::string_view name) const {
  std::string found;
  for_each_param(query, [&](std::string_view key, std::string_view value) {
    if (decode_query_part(key) != name) return false;
    found = decode_query_part(value);
    return true;
  });
  return found;
}

bool Request::has_query_param(std::string_view name) const {
  bool found = false;
  for_each_param(query, [&](std::string_view key, std::string_view) {
    found = decode_query_part(key) == name;
    return found;
  });
  return found;
}

}  // namespace jobhost::web
