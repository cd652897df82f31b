#include "fakes/meraki/paging.h"

namespace jobhost::testing::fake_meraki {

std::optional<PageQuery> read_page_query(const TestRequest& request, PerPageRange range) {
  PageQuery query;
  query.per_page = range.fallback;
  if (request.has_query_param("perPage")) {
    std::string text = request.query_param("perPage");
    // Digits only (no sign, no spaces), and few enough that the number cannot overflow.
    if (text.empty() || text.size() > 9 ||
        text.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;
    }
    std::size_t per_page = std::stoul(text);
    if (per_page < range.min || per_page > range.max) return std::nullopt;
    query.per_page = per_page;
  }
  query.starting_after = request.query_param("startingAfter");
  query.ending_before = request.query_param("endingBefore");
  return query;
}

}  // namespace jobhost::testing::fake_meraki
