#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "fakes/meraki/paging.h"

// The RFC 5988 Link header of a page, as Meraki writes it (unquoted rel values):
//   <URL?perPage=N>; rel=first, <URL?perPage=N&endingBefore=FIRST>; rel=prev,
//   <URL?perPage=N&startingAfter=LAST>; rel=next, <URL?perPage=N&endingBefore=END>; rel=last
// URL is the list's absolute URL on the server that got the request; FIRST and LAST are the
// page's first and last ids (percent-encoded); END is past every id (last_cursor()).
namespace jobhost::testing::fake_meraki {

// nullopt when the page is the whole list (nothing before it, nothing after it): such an
// answer has no Link header. Otherwise first and last always; prev when objects come before
// the page, next when objects come after it (neither on an empty page).
std::optional<std::string> link_header(std::string_view list_url, const PageQuery& query,
                                       const Page& page, std::string_view end_cursor);

// An endingBefore value past every id of a list: `sentinel` ("zzzz-zzzz-zzzz" for serials)
// when it is past `greatest_id` (the list's greatest), else greatest_id + "~".
std::string last_cursor(std::string_view sentinel, std::string_view greatest_id);

// Percent-encodes all but RFC 3986's unreserved characters.
std::string url_encode(std::string_view text);

}  // namespace jobhost::testing::fake_meraki
