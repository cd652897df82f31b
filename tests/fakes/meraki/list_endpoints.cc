#include <utility>

#include "fakes/meraki/dashboard.h"
#include "fakes/meraki/error_answers.h"
#include "fakes/meraki/link_header.h"

// GET /organizations, /organizations/{id}/networks, /devices, /devices/statuses (paged, with
// Link headers) and GET /organizations/{id}.
namespace jobhost::testing::fake_meraki {

namespace {

// An endingBefore past every id, in the style of each list's ids.
constexpr std::string_view kOrganizationsEnd = "999999999999";
constexpr std::string_view kNetworksEnd = "zzzzzzzzzzzzzzzzz";
constexpr std::string_view kDevicesEnd = "zzzz-zzzz-zzzz";

// One page of `items` as the answer to `request`, counted as a page of `endpoint`.
template <typename Map, typename TextOf>
TestResponse page_answer(const TestRequest& request, const std::string& list_url,
                         PerPageRange range, std::string_view end_sentinel, const Map& items,
                         TextOf&& text_of, Counters& counters, std::string_view endpoint) {
  std::optional<PageQuery> query = read_page_query(request, range);
  if (!query) return bad_per_page(range.min, range.max);
  Page page = make_page(items, *query, text_of);
  std::string greatest = items.empty() ? std::string() : items.rbegin()->first;
  std::optional<std::string> links =
      link_header(list_url, *query, page, last_cursor(end_sentinel, greatest));
  TestResponse response = TestResponse::json(std::move(page.body));
  if (links) response.with_header("Link", std::move(*links));
  counters.count_page(endpoint);
  return response;
}

}  // namespace

TestResponse Dashboard::list(const TestRequest& request, const Route& where,
                             const std::string& list_url) {
  return store_.read([&](const Inventory& inventory) -> TestResponse {
    if (where.target == Route::Target::organizations) {
      return page_answer(
          request, list_url, kOrganizationsPerPage, kOrganizationsEnd, inventory.organizations,
          [](const Organization& org) -> const std::string& { return org.text; }, counters_,
          "organizations");
    }
    const Organization* org = inventory.find_organization(where.org_id);
    if (org == nullptr) return organization_not_found();  // removed since it was checked
    switch (where.target) {
      case Route::Target::networks:
        return page_answer(
            request, list_url, kNetworksPerPage, kNetworksEnd, org->networks,
            [](const Network& network) -> const std::string& { return network.text; }, counters_,
            "networks");
      case Route::Target::devices:
        return page_answer(
            request, list_url, kDevicesPerPage, kDevicesEnd, org->devices,
            [](const Device& device) -> const std::string& { return device.text; }, counters_,
            "devices");
      case Route::Target::statuses:
        return page_answer(
            request, list_url, kStatusesPerPage, kDevicesEnd, org->devices,
            [](const Device& device) -> const std::string& { return device.status_text; },
            counters_, "statuses");
      default:
        return not_found();
    }
  });
}

TestResponse Dashboard::get_organization(std::string_view org_id) const {
  return store_.read([&](const Inventory& inventory) {
    const Organization* org = inventory.find_organization(org_id);
    return org == nullptr ? organization_not_found() : TestResponse::json(org->text);
  });
}

}  // namespace jobhost::testing::fake_meraki
