#include "fakes/meraki/link_header.h"

namespace jobhost::testing::fake_meraki {

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    bool unreserved = (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') ||
                      u == '-' || u == '.' || u == '_' || u == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    }
  }
  return out;
}

std::string last_cursor(std::string_view sentinel, std::string_view greatest_id) {
  if (greatest_id < sentinel) return std::string(sentinel);
  return std::string(greatest_id) + "~";
}

std::optional<std::string> link_header(std::string_view list_url, const PageQuery& query,
                                       const Page& page, std::string_view end_cursor) {
  if (!page.more_before && !page.more_after) return std::nullopt;
  std::string base = std::string(list_url) + "?perPage=" + std::to_string(query.per_page);
  std::string links = "<" + base + ">; rel=first";
  if (page.more_before && page.count > 0) {
    links += ", <" + base + "&endingBefore=" + url_encode(page.first_key) + ">; rel=prev";
  }
  if (page.more_after && page.count > 0) {
    links += ", <" + base + "&startingAfter=" + url_encode(page.last_key) + ">; rel=next";
  }
  links += ", <" + base + "&endingBefore=" + url_encode(end_cursor) + ">; rel=last";
  return links;
}

}  // namespace jobhost::testing::fake_meraki
