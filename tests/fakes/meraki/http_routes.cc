#include <algorithm>
#include <cctype>
#include <vector>

#include "fakes/meraki/dashboard.h"
#include "fakes/meraki/error_answers.h"

// The Dashboard API's request chain as far as the fake goes, on either server:
//   1. authentication: a missing or wrong key answers 401 (no token taken);
//   2. an injected failure, in place of everything after;
//   3. an unknown organization answers 404 (no token taken); on the main server with a shard,
//      every request for an organization is redirected there (no token taken);
//   4. the per-IP bucket, then the organization's bucket: 429 with Retry-After;
//   5. the method (GET only: 405), then the endpoint (404 for an unknown path).
namespace jobhost::testing::fake_meraki {

namespace {

constexpr std::string_view kApiPrefix = "/api/v1/";

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    std::size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

enum class Caller { authenticated, missing_key, invalid_key };

// `Authorization: Bearer <key>` (the scheme in any case) or `X-Cisco-Meraki-API-Key: <key>`;
// either carrying the key will do. Any other Authorization is a key that is wrong.
Caller authenticate(const TestRequest& request, const std::string& api_key) {
  bool presented = false;
  if (request.has_header("authorization")) {
    presented = true;
    std::string value = request.header("authorization");
    std::string_view text = trim(value);
    std::size_t space = text.find(' ');
    if (space != std::string_view::npos) {
      std::string scheme(text.substr(0, space));
      std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      std::string_view key = trim(text.substr(space + 1));
      if (scheme == "bearer" && !key.empty() && key == api_key) return Caller::authenticated;
    }
  }
  if (request.has_header("x-cisco-meraki-api-key")) {
    presented = true;
    std::string value = request.header("x-cisco-meraki-api-key");
    std::string_view key = trim(value);
    if (!key.empty() && key == api_key) return Caller::authenticated;
  }
  return presented ? Caller::invalid_key : Caller::missing_key;
}

}  // namespace

Dashboard::Route Dashboard::route(std::string_view path) {
  Route route;
  if (path.substr(0, kApiPrefix.size()) != kApiPrefix) return route;
  std::vector<std::string_view> parts = segments(path.substr(kApiPrefix.size()));
  if (parts.empty() || parts[0] != "organizations") return route;
  if (parts.size() == 1) {
    route.target = Route::Target::organizations;
    return route;
  }
  if (parts[1].empty()) return route;
  route.org_id = std::string(parts[1]);
  if (parts.size() == 2) {
    route.target = Route::Target::organization;
  } else if (parts.size() == 3 && parts[2] == "networks") {
    route.target = Route::Target::networks;
  } else if (parts.size() == 3 && parts[2] == "devices") {
    route.target = Route::Target::devices;
  } else if (parts.size() == 4 && parts[2] == "devices" && parts[3] == "statuses") {
    route.target = Route::Target::statuses;
  } else {
    route.target = Route::Target::under_org;
  }
  return route;
}

TestResponse Dashboard::handle(const TestRequest& request, Server server) {
  counters_.begin_request(request, server == Server::shard, CounterClock::now());
  RequestSettings settings = settings_.for_request();
  TestResponse response;
  try {
    response = respond(request, server, settings);
  } catch (...) {
    counters_.abandon_request();
    throw;
  }
  // The latency is the server's timer, not a sleep: the handler thread serves others meanwhile.
  response.delay += settings.latency;
  counters_.answer_due(response.close_without_response ? 0 : response.status,
                       CounterClock::now() + response.delay);
  return response;
}

TestResponse Dashboard::respond(const TestRequest& request, Server server,
                                const RequestSettings& settings) {
  switch (authenticate(request, settings.api_key)) {
    case Caller::missing_key:
      return missing_api_key();
    case Caller::invalid_key:
      return invalid_api_key();
    case Caller::authenticated:
      break;
  }
  if (auto failure = failures_.take(request.target)) {
    return failure_answer(*failure, options_.retry_after_s, options_.hang_for);
  }

  Route where = route(request.path);
  bool for_organization = !where.org_id.empty();
  if (for_organization) {
    bool known = store_.read([&](const Inventory& inventory) {
      return inventory.find_organization(where.org_id) != nullptr;
    });
    if (!known) return organization_not_found();
    if (server == Server::main && shard_) {
      TestResponse redirect = TestResponse::text("", options_.redirect_status);
      return std::move(redirect).with_header("Location", shard_url() + request.target);
    }
  }

  auto now = BucketClock::now();
  if (int wait = rate_limits_.take_ip(kClientAddress, now)) return rate_limited(wait);
  if (for_organization) {
    if (int wait = rate_limits_.take_organization(where.org_id, now)) return rate_limited(wait);
  }
  if (request.method != "GET") return method_not_allowed();

  switch (where.target) {
    case Route::Target::organizations:
    case Route::Target::networks:
    case Route::Target::devices:
    case Route::Target::statuses:
      return list(request, where, base_url(server) + request.path);
    case Route::Target::organization:
      return get_organization(where.org_id);
    case Route::Target::under_org:
    case Route::Target::other:
      break;
  }
  return not_found();
}

}  // namespace jobhost::testing::fake_meraki
