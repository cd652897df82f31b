#pragma once

#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include "support/http_test_server.h"

// perPage, startingAfter and endingBefore: which part of a list, ordered by id or serial, one
// request gets. Pages follow ids, not positions, so objects added or removed between two
// requests never make a page repeat or skip the others.
namespace jobhost::testing::fake_meraki {

struct PerPageRange {
  std::size_t min;
  std::size_t max;
  std::size_t fallback;  // without perPage
};
inline constexpr PerPageRange kOrganizationsPerPage{3, 9000, 9000};
inline constexpr PerPageRange kNetworksPerPage{3, 100000, 1000};
inline constexpr PerPageRange kDevicesPerPage{3, 5000, 1000};
inline constexpr PerPageRange kStatusesPerPage{3, 1000, 1000};

struct PageQuery {
  std::size_t per_page = 0;
  std::string starting_after;  // empty: from the start
  std::string ending_before;   // empty: to the end
};
// The query's paging; nullopt when perPage is there but not a whole number in the range.
std::optional<PageQuery> read_page_query(const TestRequest& request, PerPageRange range);

// One page and where it lies in its list.
struct Page {
  std::string body;  // a JSON array of the objects' texts
  std::size_t count = 0;
  std::string first_key;     // of the first object on the page; empty for an empty page
  std::string last_key;      // of the last one
  bool more_before = false;  // objects before the page
  bool more_after = false;   // objects after it
};

// The page of `items` (a std::map by id, ordered as the list) that `query` asks for:
//   startingAfter S: the first perPage objects after S;
//   endingBefore E: the last perPage objects before E;
//   both: the first perPage objects between S and E.
// text_of(object) gives an object's JSON text.
template <typename Map, typename TextOf>
Page make_page(const Map& items, const PageQuery& query, TextOf&& text_of) {
  auto from = items.begin();
  auto to = items.end();
  bool after = !query.starting_after.empty();
  bool before = !query.ending_before.empty();
  if (after) from = items.upper_bound(query.starting_after);
  if (before) to = items.lower_bound(query.ending_before);
  if (after && before && !(query.starting_after < query.ending_before)) to = from;

  if (before && !after) {
    from = to;
    for (std::size_t n = 0; n < query.per_page && from != items.begin(); ++n) --from;
  } else {
    auto limit = to;
    to = from;
    for (std::size_t n = 0; n < query.per_page && to != limit; ++n) ++to;
  }

  Page page;
  std::size_t size = 2;
  for (auto it = from; it != to; ++it) {
    size += text_of(it->second).size() + 1;
    ++page.count;
  }
  page.body.reserve(size);
  page.body += '[';
  for (auto it = from; it != to; ++it) {
    if (it != from) page.body += ',';
    page.body += text_of(it->second);
  }
  page.body += ']';
  if (page.count > 0) {
    page.first_key = from->first;
    page.last_key = std::prev(to)->first;
  }
  page.more_before = from != items.begin();
  page.more_after = to != items.end();
  return page;
}

}  // namespace jobhost::testing::fake_meraki
