// The fake Meraki Dashboard API against real HTTP requests (libcurl): authentication, the
// shapes of every endpoint, perPage ranges, Link paging (also while objects come and go),
// the token buckets, the shard redirect, injected failures, mutations, counters, speed, and
// the fake-meraki program.

#include "fakes/meraki/fake_meraki.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/curl_client.h"
#include "support/process.h"

namespace jobhost::testing {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kKey = "fake-meraki-key";

// ---------------------------------------------------------------------------------------
// Requests

enum class Auth { bearer, legacy, none };

CurlResponse get(const std::string& url, const std::string& key = kKey, Auth auth = Auth::bearer,
                 bool follow = false) {
  CurlRequest request;
  request.url = url;
  request.headers = {"Accept: application/json"};
  if (auth == Auth::bearer) request.headers.push_back("Authorization: Bearer " + key);
  if (auth == Auth::legacy) request.headers.push_back("X-Cisco-Meraki-API-Key: " + key);
  request.follow_redirects = follow;
  return curl_perform(request);
}

// Options without rate limits, for tests about something else.
FakeMerakiOptions unlimited(std::size_t networks = 0, std::size_t devices = 0) {
  FakeMerakiOptions options;
  options.networks = networks;
  options.devices = devices;
  options.rate_per_s = 0;
  options.ip_rate_per_s = 0;
  return options;
}

std::string org_path(const FakeMeraki& fake, const std::string& org_id, const std::string& rest) {
  return fake.api_url() + "/organizations/" + org_id + rest;
}

// A 200 JSON answer, parsed.
json ok_json(const CurlResponse& answer) {
  EXPECT_EQ(answer.code, CURLE_OK) << answer.error();
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.header("content-type"), "application/json");
  return json::parse(answer.body, nullptr, false);
}

void expect_error(const CurlResponse& answer, long status, const std::string& message) {
  EXPECT_EQ(answer.code, CURLE_OK) << answer.error();
  EXPECT_EQ(answer.status, status) << answer.body;
  EXPECT_EQ(answer.header("content-type"), "application/json");
  EXPECT_EQ(json::parse(answer.body, nullptr, false), (json{{"errors", json::array({message})}}))
      << answer.body;
}

// The Link header's entries by rel, after checking it has exactly Meraki's form.
std::map<std::string, std::string> links_of(const CurlResponse& answer) {
  std::vector<std::string> lines = answer.header_values("link");
  std::map<std::string, std::string> links;
  if (lines.empty()) return links;
  EXPECT_EQ(lines.size(), 1u);
  static const std::regex whole(
      R"(^<[^<>\s]+>; rel=first(, <[^<>\s]+>; rel=prev)?(, <[^<>\s]+>; rel=next)?, <[^<>\s]+>; rel=last$)");
  EXPECT_TRUE(std::regex_match(lines[0], whole)) << lines[0];
  static const std::regex entry(R"(<([^<>]+)>; rel=(\w+))");
  for (std::sregex_iterator it(lines[0].begin(), lines[0].end(), entry), end; it != end; ++it) {
    links[(*it)[2]] = (*it)[1];
  }
  return links;
}

struct Paged {
  std::vector<json> items;
  std::size_t pages = 0;
  std::vector<std::map<std::string, std::string>> links;  // per page
};

// Every page of a list, following rel=next as given; `between` runs after each page.
Paged follow_next(std::string url, const std::function<void(std::size_t)>& between = {}) {
  Paged paged;
  while (!url.empty() && paged.pages < 10000) {
    CurlResponse answer = get(url);
    json page = ok_json(answer);
    if (!page.is_array()) break;
    ++paged.pages;
    for (auto& item : page) paged.items.push_back(item);
    paged.links.push_back(links_of(answer));
    url = paged.links.back().count("next") ? paged.links.back()["next"] : "";
    if (between) between(paged.pages);
  }
  return paged;
}

std::vector<std::string> values_of(const std::vector<json>& items, const std::string& key) {
  std::vector<std::string> out;
  for (const auto& item : items) out.push_back(item.at(key).get<std::string>());
  return out;
}

std::vector<std::string> values_of(const json& items, const std::string& key) {
  return values_of(std::vector<json>(items.begin(), items.end()), key);
}

bool all_unique(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  return std::adjacent_find(values.begin(), values.end()) == values.end();
}

std::set<std::string> keys_of(const json& object) {
  std::set<std::string> keys;
  for (const auto& item : object.items()) keys.insert(item.key());
  return keys;
}

// ---------------------------------------------------------------------------------------
// Authentication

TEST(FakeMerakiAuth, BearerAndLegacyHeaderAcceptedOthersAnswer401) {
  FakeMeraki fake(unlimited());
  std::string url = fake.api_url() + "/organizations";
  EXPECT_EQ(get(url, kKey, Auth::bearer).status, 200);
  EXPECT_EQ(get(url, kKey, Auth::legacy).status, 200);
  EXPECT_EQ(fake.unauthorized(), 0u);

  expect_error(get(url, "wrong-key", Auth::bearer), 401, "Invalid API key");
  expect_error(get(url, "wrong-key", Auth::legacy), 401, "Invalid API key");
  expect_error(get(url, "", Auth::none), 401, "Missing API key");
  CurlRequest basic;
  basic.url = url;
  basic.headers = {std::string("Authorization: Basic ") + kKey};
  expect_error(curl_perform(basic), 401, "Invalid API key");
  // The scheme in any case, as HTTP says.
  CurlRequest lower;
  lower.url = url;
  lower.headers = {std::string("Authorization: bearer ") + kKey};
  EXPECT_EQ(curl_perform(lower).status, 200);
  // 401 on every path, known or not.
  expect_error(get(org_path(fake, "500001", "/devices"), "", Auth::none), 401, "Missing API key");
  expect_error(get(fake.url() + "/nothing/here", "x"), 401, "Invalid API key");
  EXPECT_EQ(fake.unauthorized(), 6u);

  fake.set_api_key("rotated");
  expect_error(get(url), 401, "Invalid API key");
  EXPECT_EQ(get(url, "rotated").status, 200);
  EXPECT_EQ(fake.unauthorized(), 7u);
  EXPECT_EQ(fake.requests(), 11u);
}

// ---------------------------------------------------------------------------------------
// Shapes

TEST(FakeMerakiShapes, OrganizationsAndUnknownPaths) {
  FakeMerakiOptions options = unlimited();
  options.organizations = 3;
  FakeMeraki fake(options);
  EXPECT_EQ(fake.organization_ids(), (std::vector<std::string>{"500001", "500002", "500003"}));
  json orgs = ok_json(get(fake.api_url() + "/organizations"));
  ASSERT_EQ(orgs.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(keys_of(orgs[i]), (std::set<std::string>{"id", "name", "url", "api"}));
    EXPECT_EQ(orgs[i]["id"], std::to_string(500001 + i));
    EXPECT_EQ(orgs[i]["name"], "Org " + std::to_string(i + 1));
    EXPECT_EQ(orgs[i]["api"], (json{{"enabled", true}}));
    EXPECT_TRUE(std::regex_match(orgs[i]["url"].get<std::string>(),
                                 std::regex(R"(https://n\d+\.meraki\.com/o/\w+/manage/.*)")))
        << orgs[i];
  }
  EXPECT_TRUE(get(fake.api_url() + "/organizations").header_values("link").empty())
      << "a list that fits in one page has no Link header";
  EXPECT_EQ(ok_json(get(org_path(fake, "500002", ""))), orgs[1]);

  expect_error(get(org_path(fake, "999999", "")), 404, "Organization not found");
  expect_error(get(org_path(fake, "999999", "/devices")), 404, "Organization not found");
  expect_error(get(org_path(fake, "500001", "/clients")), 404, "Not found");
  expect_error(get(fake.api_url() + "/networks/L_1"), 404, "Not found");
  expect_error(get(fake.url() + "/"), 404, "Not found");
  CurlRequest post;
  post.method = "POST";
  post.url = fake.api_url() + "/organizations";
  post.headers = {std::string("Authorization: Bearer ") + kKey};
  post.body = R"({"name":"x"})";
  expect_error(curl_perform(post), 405, "Method not allowed");
  EXPECT_EQ(fake.pages("organizations"), 2u);
}

TEST(FakeMerakiShapes, NetworksLookLikeMerakisAndReflectTheirDevices) {
  FakeMerakiOptions options = unlimited(7, 40);
  options.organizations = 2;
  FakeMeraki fake(options);
  std::vector<std::string> all_ids;
  for (const std::string& org : fake.organization_ids()) {
    json networks = ok_json(get(org_path(fake, org, "/networks")));
    ASSERT_EQ(networks.size(), 7u);
    EXPECT_EQ(std::vector<json>(networks.begin(), networks.end()), fake.networks(org));
    std::vector<std::string> ids = values_of(networks, "id");
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
    all_ids.insert(all_ids.end(), ids.begin(), ids.end());

    std::map<std::string, std::set<std::string>> device_types;
    for (const json& device : fake.devices(org)) {
      device_types[device["networkId"]].insert(device["productType"].get<std::string>());
    }
    for (const json& network : networks) {
      EXPECT_EQ(keys_of(network),
                (std::set<std::string>{"id", "organizationId", "name", "productTypes", "timeZone",
                                       "tags", "notes", "isBoundToConfigTemplate", "url"}));
      EXPECT_TRUE(std::regex_match(network["id"].get<std::string>(), std::regex(R"(L_\d{15})")))
          << network;
      EXPECT_EQ(network["organizationId"], org);
      EXPECT_FALSE(network["name"].get<std::string>().empty());
      EXPECT_TRUE(std::regex_match(network["timeZone"].get<std::string>(),
                                   std::regex(R"([A-Z][a-z]+/[A-Za-z_]+)")))
          << network;
      EXPECT_TRUE(network["tags"].is_array());
      EXPECT_TRUE(network["notes"].is_string());
      EXPECT_TRUE(network["isBoundToConfigTemplate"].is_boolean());
      std::vector<std::string> types = network["productTypes"].get<std::vector<std::string>>();
      EXPECT_TRUE(std::is_sorted(types.begin(), types.end())) << network;
      std::set<std::string> expected = device_types[network["id"]];
      EXPECT_EQ(std::set<std::string>(types.begin(), types.end()), expected) << network;
      EXPECT_EQ(fake.network(network["id"].get<std::string>()), network);
    }
  }
  EXPECT_TRUE(all_unique(all_ids));
  EXPECT_FALSE(fake.network("L_000000000000000").has_value());
}

TEST(FakeMerakiShapes, DevicesLookLikeMerakis) {
  FakeMerakiOptions options = unlimited(6, 200);
  options.organizations = 2;
  FakeMeraki fake(options);
  const std::map<std::string, std::set<std::string>> models = {
      {"appliance", {"MX68", "MX85"}}, {"switch", {"MS120-8", "MS225-48LP"}},
      {"wireless", {"MR36", "MR46"}},  {"camera", {"MV12", "MV22"}},
      {"cellularGateway", {"MG21"}},   {"sensor", {"MT10", "MT14"}}};
  const std::map<std::string, std::string> trains = {{"appliance", "wired"},
                                                     {"switch", "switch"},
                                                     {"wireless", "wireless"},
                                                     {"camera", "camera"},
                                                     {"cellularGateway", "cellular-gateway"},
                                                     {"sensor", "sensor"}};
  std::vector<std::string> serials, macs, addresses;
  std::set<std::string> types_seen;
  for (const std::string& org : fake.organization_ids()) {
    json devices = ok_json(get(org_path(fake, org, "/devices?perPage=1000")));
    ASSERT_EQ(devices.size(), 200u);
    std::map<std::string, std::size_t> per_network;
    std::set<std::string> networks;
    for (const json& network : fake.networks(org)) networks.insert(network["id"]);
    std::vector<std::string> in_order = values_of(devices, "serial");
    EXPECT_TRUE(std::is_sorted(in_order.begin(), in_order.end()));
    for (const json& device : devices) {
      EXPECT_EQ(keys_of(device),
                (std::set<std::string>{"serial", "name", "mac", "model", "networkId", "productType",
                                       "lanIp", "firmware", "tags", "address", "notes", "lat",
                                       "lng", "url"}))
          << device;
      std::string serial = device["serial"];
      std::string type = device["productType"];
      EXPECT_TRUE(std::regex_match(serial, std::regex(R"(Q[A-Z0-9]{3}-[A-Z0-9]{4}-[A-Z0-9]{4})")))
          << serial;
      EXPECT_TRUE(std::regex_match(device["mac"].get<std::string>(),
                                   std::regex(R"([0-9a-f]{2}(:[0-9a-f]{2}){5})")))
          << device;
      EXPECT_TRUE(std::regex_match(device["lanIp"].get<std::string>(),
                                   std::regex(R"(10\.\d{1,3}\.\d{1,3}\.\d{1,3})")))
          << device;
      ASSERT_TRUE(models.count(type)) << device;
      EXPECT_TRUE(models.at(type).count(device["model"])) << device;
      EXPECT_TRUE(std::regex_match(device["firmware"].get<std::string>(),
                                   std::regex(trains.at(type) + R"(-\d+(-\d+)+)")))
          << device;
      EXPECT_TRUE(networks.count(device["networkId"])) << device;
      EXPECT_TRUE(device["tags"].is_array());
      EXPECT_TRUE(device["lat"].is_number() && device["lng"].is_number());
      EXPECT_FALSE(device["name"].get<std::string>().empty());
      EXPECT_FALSE(device["address"].get<std::string>().empty());
      EXPECT_EQ(fake.device(serial), device);
      serials.push_back(serial);
      macs.push_back(device["mac"]);
      addresses.push_back(device["lanIp"]);
      types_seen.insert(type);
      ++per_network[device["networkId"]];
    }
    // 200 over 6 networks: 34, 34, 33, 33, 33, 33.
    std::multiset<std::size_t> counts;
    for (const auto& [network, count] : per_network) counts.insert(count);
    EXPECT_EQ(counts, (std::multiset<std::size_t>{33, 33, 33, 33, 34, 34}));
  }
  EXPECT_TRUE(all_unique(serials));
  EXPECT_TRUE(all_unique(macs));
  EXPECT_TRUE(all_unique(addresses));
  EXPECT_EQ(types_seen.size(), 6u) << "400 devices show every product type";
  EXPECT_FALSE(fake.device("Q000-0000-0000").has_value());
}

TEST(FakeMerakiShapes, StatusesMostlyOnline) {
  FakeMeraki fake(unlimited(10, 400));
  json statuses = ok_json(get(org_path(fake, "500001", "/devices/statuses?perPage=1000")));
  ASSERT_EQ(statuses.size(), 400u);
  std::map<std::string, std::size_t> by_status;
  for (const json& status : statuses) {
    EXPECT_EQ(keys_of(status),
              (std::set<std::string>{"serial", "name", "networkId", "mac", "publicIp", "lanIp",
                                     "status", "lastReportedAt", "productType", "model", "tags"}))
        << status;
    ++by_status[status["status"]];
    EXPECT_TRUE(std::regex_match(status["lastReportedAt"].get<std::string>(),
                                 std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z)")))
        << status;
    json device = *fake.device(status["serial"].get<std::string>());
    for (const char* key : {"name", "networkId", "mac", "lanIp", "productType", "model", "tags"}) {
      EXPECT_EQ(status[key], device[key]) << key;
    }
    EXPECT_EQ(fake.status(status["serial"].get<std::string>()), status);
  }
  for (const auto& [status, count] : by_status) {
    EXPECT_TRUE(status == "online" || status == "offline" || status == "alerting" ||
                status == "dormant")
        << status;
  }
  EXPECT_GT(by_status["online"], 320u);
  EXPECT_GT(by_status["offline"] + by_status["alerting"] + by_status["dormant"], 4u);
}

TEST(FakeMerakiShapes, SameSeedSameDataOtherSeedOtherData) {
  FakeMeraki one(unlimited(3, 30));
  FakeMeraki two(unlimited(3, 30));
  FakeMerakiOptions other = unlimited(3, 30);
  other.seed = 2;
  FakeMeraki three(other);
  auto strip = [](std::vector<json> devices) { return values_of(devices, "serial"); };
  EXPECT_EQ(strip(one.devices("500001")), strip(two.devices("500001")));
  EXPECT_EQ(one.networks("500001"), two.networks("500001"));
  EXPECT_NE(strip(one.devices("500001")), strip(three.devices("500001")));
  EXPECT_THROW(FakeMeraki(unlimited(0, 5)), std::invalid_argument);
  FakeMerakiOptions no_burst = unlimited();
  no_burst.rate_per_s = 5;
  no_burst.burst = 0.5;
  EXPECT_THROW(FakeMeraki{no_burst}, std::invalid_argument);
}

// ---------------------------------------------------------------------------------------
// perPage and paging

TEST(FakeMerakiPaging, PerPageOutsideItsRangeAnswers400) {
  FakeMeraki fake(unlimited(2, 4));
  struct Case {
    std::string path;
    std::string max;
  };
  for (const Case& c : std::vector<Case>{{"/organizations", "9000"},
                                         {"/organizations/500001/networks", "100000"},
                                         {"/organizations/500001/devices", "5000"},
                                         {"/organizations/500001/devices/statuses", "1000"}}) {
    std::string message = "'perPage' must be between 3 and " + c.max;
    std::string url = fake.api_url() + c.path + "?perPage=";
    expect_error(get(url + "2"), 400, message);
    expect_error(get(url + std::to_string(std::stoul(c.max) + 1)), 400, message);
    expect_error(get(url + "ten"), 400, message);
    expect_error(get(url + "-5"), 400, message);
    expect_error(get(url), 400, message);
    expect_error(get(url + "99999999999999999999"), 400, message);
    EXPECT_EQ(get(url + "3").status, 200) << c.path;
    EXPECT_EQ(get(url + c.max).status, 200) << c.path;
  }
}

TEST(FakeMerakiPaging, FollowingNextGivesEveryDeviceOnceWithMerakisLinks) {
  FakeMeraki fake(unlimited(4, 23));
  std::string list = org_path(fake, "500001", "/devices");
  Paged paged = follow_next(list + "?perPage=5");
  EXPECT_EQ(paged.pages, 5u);
  EXPECT_EQ(fake.pages("devices"), 5u);
  EXPECT_EQ(values_of(paged.items, "serial"), values_of(fake.devices("500001"), "serial"));
  EXPECT_EQ(paged.items, fake.devices("500001"));

  ASSERT_EQ(paged.links.size(), 5u);
  std::vector<std::string> serials = values_of(paged.items, "serial");
  for (std::size_t page = 0; page < 5; ++page) {
    auto& links = paged.links[page];
    EXPECT_EQ(links["first"], list + "?perPage=5");
    EXPECT_EQ(links["last"], list + "?perPage=5&endingBefore=zzzz-zzzz-zzzz");
    EXPECT_EQ(links.count("prev"), page > 0 ? 1u : 0u) << page;
    EXPECT_EQ(links.count("next"), page < 4 ? 1u : 0u) << page;
    if (page > 0) {
      EXPECT_EQ(links["prev"], list + "?perPage=5&endingBefore=" + serials[page * 5]);
    }
    if (page < 4) {
      EXPECT_EQ(links["next"], list + "?perPage=5&startingAfter=" + serials[page * 5 + 4]);
    }
  }
  // rel=last: the last perPage devices; rel=prev of the second page: the first page.
  json last = ok_json(get(paged.links[0]["last"]));
  EXPECT_EQ(values_of(last, "serial"), std::vector<std::string>(serials.end() - 5, serials.end()));
  json first = ok_json(get(paged.links[1]["prev"]));
  EXPECT_EQ(values_of(first, "serial"),
            std::vector<std::string>(serials.begin(), serials.begin() + 5));
  // Both: what lies between, from the start.
  json between =
      ok_json(get(list + "?perPage=3&startingAfter=" + serials[2] + "&endingBefore=" + serials[5]));
  EXPECT_EQ(values_of(between, "serial"),
            std::vector<std::string>(serials.begin() + 3, serials.begin() + 5));
  // Past the end: an empty page, first and last only.
  CurlResponse past = get(list + "?perPage=5&startingAfter=" + serials.back());
  EXPECT_EQ(ok_json(past), json::array());
  auto past_links = links_of(past);
  EXPECT_EQ(past_links.count("first") + past_links.count("last"), 2u);
  EXPECT_EQ(past_links.count("prev") + past_links.count("next"), 0u);
}

TEST(FakeMerakiPaging, EveryListPagesTheSameWay) {
  FakeMerakiOptions options = unlimited(8, 11);
  options.organizations = 7;
  FakeMeraki fake(options);
  Paged orgs = follow_next(fake.api_url() + "/organizations?perPage=3");
  EXPECT_EQ(orgs.pages, 3u);
  EXPECT_EQ(values_of(orgs.items, "id"), fake.organization_ids());
  EXPECT_EQ(orgs.links[0]["last"],
            fake.api_url() + "/organizations?perPage=3&endingBefore=999999999999");

  Paged networks = follow_next(org_path(fake, "500004", "/networks?perPage=3"));
  EXPECT_EQ(networks.pages, 3u);
  EXPECT_EQ(networks.items, fake.networks("500004"));

  Paged statuses = follow_next(org_path(fake, "500007", "/devices/statuses?perPage=4"));
  EXPECT_EQ(statuses.pages, 3u);
  std::vector<json> expected;
  for (const json& device : fake.devices("500007")) {
    expected.push_back(*fake.status(device["serial"].get<std::string>()));
  }
  EXPECT_EQ(statuses.items, expected);
  EXPECT_EQ(fake.pages("organizations"), 3u);
  EXPECT_EQ(fake.pages("networks"), 3u);
  EXPECT_EQ(fake.pages("statuses"), 3u);
}

TEST(FakeMerakiPaging, ChangesBetweenPagesNeitherRepeatNorSkipOthers) {
  FakeMeraki fake(unlimited(3, 30));
  std::vector<std::string> before = values_of(fake.devices("500001"), "serial");
  std::string network = fake.networks("500001")[0]["id"];
  std::set<std::string> removed, added;
  Paged paged = follow_next(org_path(fake, "500001", "/devices?perPage=4"), [&](std::size_t page) {
    if (page == 1) {
      // Gone before its page: never seen. New after the cursor: seen; new before it: not.
      removed = {before[10], before[20]};
      for (const auto& serial : removed) ASSERT_TRUE(fake.remove_device(serial));
      fake.put_device({{"serial", "QZZZ-ZZZZ-ZZZZ"}, {"networkId", network}});
      fake.put_device({{"serial", "Q000-0000-0000"}, {"networkId", network}});
      added = {"QZZZ-ZZZZ-ZZZZ"};
    }
    if (page == 3) fake.mutate(2, 3, 2);
  });
  std::vector<std::string> seen = values_of(paged.items, "serial");
  EXPECT_TRUE(all_unique(seen));
  std::set<std::string> seen_set(seen.begin(), seen.end());
  std::set<std::string> now;
  for (const auto& serial : values_of(fake.devices("500001"), "serial")) now.insert(serial);
  // Every device there from start to end was seen exactly once.
  for (const std::string& serial : before) {
    if (now.count(serial)) {
      EXPECT_EQ(seen_set.count(serial), 1u) << serial;
    }
  }
  for (const auto& serial : removed) EXPECT_EQ(seen_set.count(serial), 0u) << serial;
  if (now.count("QZZZ-ZZZZ-ZZZZ")) {
    EXPECT_EQ(seen_set.count("QZZZ-ZZZZ-ZZZZ"), 1u);
  }
  EXPECT_EQ(seen_set.count("Q000-0000-0000"), 0u);
  EXPECT_EQ(added.size(), 1u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
}

// ---------------------------------------------------------------------------------------
// Rate limits

TEST(FakeMerakiRateLimit, BurstThen429WithRetryAfterThenRefill) {
  FakeMerakiOptions options = unlimited(1, 1);
  options.organizations = 2;
  options.rate_per_s = 20;
  options.burst = 3;
  FakeMeraki fake(options);
  std::string url = org_path(fake, "500001", "/devices");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(get(url).status, 200) << i;
  CurlResponse limited = get(url);
  expect_error(limited, 429, "API rate limit exceeded for organization");
  EXPECT_EQ(limited.header("retry-after"), "1");
  EXPECT_EQ(fake.rate_limited(), 1u);
  // Another organization has its own bucket; /organizations is nobody's.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(get(org_path(fake, "500002", "/networks")).status, 200);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(get(fake.api_url() + "/organizations").status, 200);
  // 20 a second, at most one held: one token back after 50 ms, and never two.
  fake.set_rate_limit(20, 1);
  EXPECT_EQ(get(url).status, 200);
  EXPECT_EQ(get(url).status, 429);
  std::this_thread::sleep_for(120ms);
  EXPECT_EQ(get(url).status, 200);
  EXPECT_EQ(get(url).status, 429);
  EXPECT_EQ(fake.rate_limited(), 3u);

  // A slow bucket says how long to wait.
  fake.set_rate_limit(0.5, 1);
  EXPECT_EQ(get(url).status, 200);
  CurlResponse slow = get(url);
  EXPECT_EQ(slow.status, 429);
  EXPECT_EQ(slow.header("retry-after"), "2");
  // Off.
  fake.set_rate_limit(0, 0);
  for (int i = 0; i < 30; ++i) ASSERT_EQ(get(url).status, 200) << i;
  EXPECT_THROW(fake.set_rate_limit(3, 0), std::invalid_argument);
}

TEST(FakeMerakiRateLimit, WhatTakesATokenAndWhatDoesNot) {
  FakeMerakiOptions options = unlimited(1, 1);
  options.rate_per_s = 0.1;  // no refill during the test
  options.burst = 3;
  FakeMeraki fake(options);
  std::string url = org_path(fake, "500001", "/devices");
  // 401s and unknown organizations take none...
  for (int i = 0; i < 4; ++i) EXPECT_EQ(get(url, "bad").status, 401);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(get(org_path(fake, "123456", "/devices")).status, 404);
  // ...an unknown path under the organization (404) and a 429 do.
  EXPECT_EQ(get(org_path(fake, "500001", "/nothing")).status, 404);
  EXPECT_EQ(get(url).status, 200);
  EXPECT_EQ(get(url).status, 200);
  CurlResponse limited = get(url);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.header("retry-after"), "10");
}

TEST(FakeMerakiRateLimit, PerIpBucketOverEveryAuthenticatedRequest) {
  FakeMerakiOptions options = unlimited(1, 1);
  options.organizations = 2;
  options.ip_rate_per_s = 0.1;
  options.ip_burst = 4;
  FakeMeraki fake(options);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(get(org_path(fake, "999999", "")).status, 404);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(get(fake.url(), "nope").status, 401);
  EXPECT_EQ(get(fake.api_url() + "/organizations").status, 200);
  EXPECT_EQ(get(org_path(fake, "500001", "/devices")).status, 200);
  EXPECT_EQ(get(org_path(fake, "500002", "/devices")).status, 200);
  EXPECT_EQ(get(fake.url() + "/unknown").status, 404);
  CurlResponse limited = get(org_path(fake, "500002", "/networks"));
  expect_error(limited, 429, "API rate limit exceeded for organization");
  EXPECT_EQ(limited.header("retry-after"), "10");
  EXPECT_EQ(get(fake.api_url() + "/organizations").status, 429);
}

// ---------------------------------------------------------------------------------------
// The shard

TEST(FakeMerakiShard, OrganizationRequestsRedirectToTheShardWhichWantsTheKeyToo) {
  FakeMerakiOptions options = unlimited(2, 12);
  options.shard = true;
  FakeMeraki fake(options);
  ASSERT_FALSE(fake.shard_url().empty());
  EXPECT_NE(fake.shard_url(), fake.url());
  EXPECT_EQ(fake.shard_url().rfind("http://127.0.0.1:", 0), 0u);

  std::string target = "/api/v1/organizations/500001/devices?perPage=5&startingAfter=Q";
  CurlResponse redirect = get(fake.url() + target);
  EXPECT_EQ(redirect.status, 308);
  EXPECT_EQ(redirect.header("location"), fake.shard_url() + target);
  EXPECT_EQ(fake.redirects(), 1u);
  EXPECT_EQ(get(org_path(fake, "500001", "")).status, 308);
  EXPECT_EQ(get(fake.url() + "/api/v1/organizations/500001/whatever").status, 308);
  EXPECT_EQ(fake.redirects(), 3u);
  // Unknown organizations: nothing to redirect to.
  expect_error(get(org_path(fake, "400000", "/devices")), 404, "Organization not found");
  // The main server keeps /organizations; the shard serves it too.
  EXPECT_EQ(get(fake.api_url() + "/organizations").status, 200);
  EXPECT_EQ(get(fake.shard_url() + "/api/v1/organizations").status, 200);
  EXPECT_EQ(fake.shard_requests(), 1u);

  // The shard wants the key: a client that drops it on the redirect gets 401.
  expect_error(get(fake.shard_url() + target, "", Auth::none), 401, "Missing API key");
  CurlResponse followed = get(org_path(fake, "500001", "/devices?perPage=5"), kKey, Auth::bearer,
                              /*follow=*/true);
  json page = ok_json(followed);
  EXPECT_EQ(page.size(), 5u);
  auto links = links_of(followed);
  std::string shard_list = fake.shard_url() + "/api/v1/organizations/500001/devices";
  EXPECT_EQ(links["first"], shard_list + "?perPage=5");
  EXPECT_EQ(links["next"].rfind(shard_list + "?perPage=5&startingAfter=", 0), 0u);
  Paged all = follow_next(links["first"]);
  EXPECT_EQ(all.items, fake.devices("500001"));
  EXPECT_EQ(fake.shard_requests(), 2u + 1u + all.pages);
  EXPECT_EQ(fake.redirects(), 4u);
}

TEST(FakeMerakiShard, ShardHostAndStatusAreOptionsAndRedirectsTakeNoToken) {
  FakeMerakiOptions options = unlimited(1, 8);
  options.shard = true;
  options.shard_host = "localhost";
  options.redirect_status = 307;
  options.rate_per_s = 0.1;
  options.burst = 2;
  FakeMeraki fake(options);
  EXPECT_EQ(fake.shard_url().rfind("http://localhost:", 0), 0u) << fake.shard_url();
  std::string port = fake.shard_url().substr(fake.shard_url().rfind(':') + 1);
  for (int i = 0; i < 5; ++i) {
    CurlResponse redirect = get(org_path(fake, "500001", "/networks"));
    EXPECT_EQ(redirect.status, 307);
    EXPECT_EQ(redirect.header("location"),
              "http://localhost:" + port + "/api/v1/organizations/500001/networks");
  }
  std::string shard = "http://127.0.0.1:" + port;  // where localhost lands anyway
  CurlResponse page = get(shard + "/api/v1/organizations/500001/devices?perPage=3");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(links_of(page)["next"].rfind("http://localhost:" + port + "/api/v1/", 0), 0u);
  EXPECT_EQ(get(shard + "/api/v1/organizations/500001/devices").status, 200);
  EXPECT_EQ(get(shard + "/api/v1/organizations/500001/devices").status, 429);
}

// ---------------------------------------------------------------------------------------
// Injected failures

TEST(FakeMerakiFailures, EveryKindAnswersAsDocumented) {
  FakeMerakiOptions options = unlimited(1, 3);
  options.retry_after_s = 7;
  options.hang_for = 300ms;
  FakeMeraki fake(options);
  std::string url = org_path(fake, "500001", "/devices");

  fake.fail_next(MerakiFailure::internal_error);
  expect_error(get(url), 500, "Internal server error");
  fake.fail_next(MerakiFailure::bad_gateway);
  expect_error(get(url), 502, "Bad gateway");
  fake.fail_next(MerakiFailure::service_unavailable);
  CurlResponse unavailable = get(url);
  expect_error(unavailable, 503, "Service unavailable");
  EXPECT_EQ(unavailable.header("retry-after"), "1");
  fake.fail_next(MerakiFailure::too_many_requests);
  CurlResponse throttled = get(url);
  expect_error(throttled, 429, "API rate limit exceeded for organization");
  EXPECT_EQ(throttled.header("retry-after"), "7");
  EXPECT_EQ(fake.rate_limited(), 1u);
  fake.fail_next(MerakiFailure::forbidden);
  expect_error(get(url), 403, "You don't have permissions to do that.");
  fake.fail_next(MerakiFailure::not_found);
  expect_error(get(url), 404, "Not found");
  fake.fail_next(MerakiFailure::malformed_json);
  CurlResponse malformed = get(url);
  EXPECT_EQ(malformed.status, 200);
  EXPECT_EQ(malformed.header("content-type"), "application/json");
  EXPECT_TRUE(json::parse(malformed.body, nullptr, false).is_discarded()) << malformed.body;
  fake.fail_next(MerakiFailure::close_connection);
  EXPECT_EQ(get(url).code, CURLE_GOT_NOTHING);
  fake.fail_next(MerakiFailure::hang);
  CurlResponse hung = get(url);
  EXPECT_EQ(hung.code, CURLE_GOT_NOTHING);
  EXPECT_GE(hung.elapsed, 250ms);
  EXPECT_EQ(get(url).status, 200) << "one each";
  EXPECT_EQ(fake.requests(), 10u);
  EXPECT_EQ(fake.pages("devices"), 1u);
  EXPECT_EQ(to_string(MerakiFailure::bad_gateway), "bad_gateway");
}

TEST(FakeMerakiFailures, AfterAuthenticationFilteredByTargetAndAfterNRequests) {
  FakeMeraki fake(unlimited(1, 3));
  std::string devices = org_path(fake, "500001", "/devices");
  std::string networks = org_path(fake, "500001", "/networks");
  fake.fail_next(MerakiFailure::internal_error, 2, "/networks");
  EXPECT_EQ(get(networks, "bad").status, 401) << "authentication comes first";
  EXPECT_EQ(get(devices).status, 200);
  EXPECT_EQ(get(networks).status, 500);
  EXPECT_EQ(get(networks + "?perPage=3").status, 500);
  EXPECT_EQ(get(networks).status, 200);

  fake.fail_after(2, MerakiFailure::service_unavailable, 2);
  EXPECT_EQ(get(devices).status, 200);
  EXPECT_EQ(get(networks).status, 200);
  EXPECT_EQ(get(devices).status, 503);
  EXPECT_EQ(get(networks).status, 503);
  EXPECT_EQ(get(devices).status, 200);

  fake.fail_next(MerakiFailure::forbidden, 5);
  fake.clear_failures();
  EXPECT_EQ(get(devices).status, 200);
}

// ---------------------------------------------------------------------------------------
// Changes

TEST(FakeMerakiChanges, MutateAddsChangesAndDeletesVisibly) {
  FakeMerakiOptions options = unlimited(4, 40);
  options.organizations = 2;
  FakeMeraki fake(options);
  std::map<std::string, json> before_devices, before_statuses;
  for (const json& device : fake.devices("500002")) {
    before_devices[device["serial"]] = device;
    before_statuses[device["serial"]] = *fake.status(device["serial"].get<std::string>());
  }
  std::vector<json> other_org = fake.devices("500001");

  FakeMeraki::Mutation mutation = fake.mutate(3, 5, 2, "500002");
  EXPECT_EQ(mutation.added.size(), 3u);
  EXPECT_EQ(mutation.changed.size(), 5u);
  EXPECT_EQ(mutation.deleted.size(), 2u);
  EXPECT_EQ(fake.devices("500002").size(), 41u);
  EXPECT_EQ(fake.devices("500001"), other_org);
  std::vector<std::string> touched = mutation.changed;
  touched.insert(touched.end(), mutation.deleted.begin(), mutation.deleted.end());
  EXPECT_TRUE(all_unique(touched));
  for (const auto& serial : mutation.added) {
    EXPECT_EQ(before_devices.count(serial), 0u);
    ASSERT_TRUE(fake.device(serial).has_value());
    EXPECT_EQ((*fake.status(serial))["status"], "online");
    // The device's network lists its product type.
    json device = *fake.device(serial);
    json network = *fake.network(device["networkId"].get<std::string>());
    auto types = network["productTypes"].get<std::vector<std::string>>();
    EXPECT_NE(std::find(types.begin(), types.end(), device["productType"]), types.end());
  }
  for (const auto& serial : mutation.changed) {
    ASSERT_TRUE(before_devices.count(serial));
    bool device_changed = *fake.device(serial) != before_devices[serial];
    bool status_changed = (*fake.status(serial))["status"] != before_statuses[serial]["status"];
    EXPECT_TRUE(device_changed || status_changed) << serial;
  }
  for (const auto& serial : mutation.deleted) {
    EXPECT_TRUE(before_devices.count(serial));
    EXPECT_FALSE(fake.device(serial).has_value());
  }
  // The same seed mutates the same way; the first organization by default.
  FakeMeraki twin(options);
  EXPECT_EQ(twin.mutate(3, 5, 2, "500002"), mutation);
  EXPECT_EQ(fake.mutate(1, 1, 1).added.size(), 1u);
  EXPECT_EQ(fake.devices("500001").size(), 40u);
  EXPECT_THROW(fake.mutate(1, 1, 1, "123"), std::invalid_argument);
  // More changes than devices: each device at most once.
  FakeMeraki small(unlimited(1, 3));
  FakeMeraki::Mutation all = small.mutate(0, 10, 10);
  EXPECT_EQ(all.changed.size() + all.deleted.size(), 3u);
}

TEST(FakeMerakiChanges, StatusesAndPutsAndRemoves) {
  FakeMeraki fake(unlimited(2, 6));
  std::string serial = fake.devices("500001")[0]["serial"];
  json before = *fake.status(serial);
  std::this_thread::sleep_for(2ms);
  fake.set_status(serial, "dormant");
  json after = *fake.status(serial);
  EXPECT_EQ(after["status"], "dormant");
  EXPECT_GT(after["lastReportedAt"].get<std::string>(),
            before["lastReportedAt"].get<std::string>());
  EXPECT_THROW(fake.set_status(serial, "sleeping"), std::invalid_argument);
  EXPECT_THROW(fake.set_status("Q000-0000-0000", "online"), std::invalid_argument);

  // A new organization with a network of its own and a device in it.
  std::string org = fake.add_organization("Lab");
  EXPECT_EQ(org, "500002");
  json network = fake.put_network(org, {{"id", "L_999999999999999"},
                                        {"name", "Lab"},
                                        {"productTypes", {"sensor"}},
                                        {"timeZone", "Europe/Zurich"}});
  EXPECT_EQ(network["organizationId"], org);
  EXPECT_EQ(network["productTypes"], json::array({"sensor"}));
  EXPECT_EQ(network["timeZone"], "Europe/Zurich");
  json device = fake.put_device({{"serial", "Q2AB-CDEF-GHIJ"},
                                 {"networkId", "L_999999999999999"},
                                 {"model", "MV22"},
                                 {"name", "Cam"},
                                 {"customField", 42}});
  EXPECT_EQ(device["productType"], "camera");
  EXPECT_EQ(device["customField"], 42);
  EXPECT_EQ((*fake.status("Q2AB-CDEF-GHIJ"))["status"], "online");
  EXPECT_EQ((*fake.network("L_999999999999999"))["productTypes"],
            json::array({"camera", "sensor"}));
  json devices = ok_json(get(org_path(fake, org, "/devices")));
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_EQ(devices[0], device);
  // A replace keeps what it does not name.
  json renamed = fake.put_device(
      {{"serial", "Q2AB-CDEF-GHIJ"}, {"networkId", "L_999999999999999"}, {"name", "Cam 2"}});
  EXPECT_EQ(renamed["name"], "Cam 2");
  EXPECT_EQ(renamed["mac"], device["mac"]);
  EXPECT_THROW(fake.put_device({{"serial", "Q1"}, {"networkId", "L_nope"}}), std::invalid_argument);
  EXPECT_THROW(fake.put_device({{"networkId", "L_999999999999999"}}), std::invalid_argument);
  EXPECT_THROW(
      fake.put_device({{"serial", "Q1"}, {"networkId", "L_999999999999999"}, {"tags", "x"}}),
      std::invalid_argument);
  EXPECT_THROW(fake.put_network("123", {{"id", "L_1"}}), std::invalid_argument);

  EXPECT_TRUE(fake.remove_device("Q2AB-CDEF-GHIJ"));
  EXPECT_FALSE(fake.remove_device("Q2AB-CDEF-GHIJ"));
  EXPECT_EQ((*fake.network("L_999999999999999"))["productTypes"], json::array({"sensor"}));
  std::string first_network = fake.networks("500001")[0]["id"];
  std::size_t devices_there = 0;
  for (const json& d : fake.devices("500001")) devices_there += d["networkId"] == first_network;
  EXPECT_TRUE(fake.remove_network(first_network));
  EXPECT_EQ(fake.devices("500001").size(), 6u - devices_there);
  EXPECT_TRUE(fake.remove_organization(org));
  EXPECT_FALSE(fake.remove_organization(org));
  EXPECT_FALSE(fake.network("L_999999999999999").has_value());
  expect_error(get(org_path(fake, org, "/devices")), 404, "Organization not found");
  EXPECT_EQ(fake.organization_ids(), std::vector<std::string>{"500001"});
}

// ---------------------------------------------------------------------------------------
// Latency, concurrency, counters

TEST(FakeMerakiServer, LatencyConcurrencyAndTheRequestLog) {
  FakeMeraki fake(unlimited(1, 2));
  std::string url = fake.api_url() + "/organizations";
  fake.set_latency(200ms);
  std::vector<std::thread> clients;
  std::vector<CurlResponse> answers(4);
  for (int i = 0; i < 4; ++i) clients.emplace_back([&, i] { answers[i] = get(url); });
  for (auto& client : clients) client.join();
  for (const auto& answer : answers) {
    EXPECT_EQ(answer.status, 200);
    EXPECT_GE(answer.elapsed, 190ms);
  }
  EXPECT_GE(fake.max_in_flight(), 2u);
  fake.set_latency(0ms);
  EXPECT_LT(get(url).elapsed, 150ms);

  fake.reset_counters();
  EXPECT_FALSE(fake.last_request().has_value());
  get(url + "?perPage=3", kKey, Auth::legacy);
  get(org_path(fake, "500001", "/devices"));
  auto log = fake.requests_log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].target, "/api/v1/organizations?perPage=3");
  EXPECT_EQ(log[0].header("x-cisco-meraki-api-key"), kKey);
  EXPECT_EQ(log[1].path, "/api/v1/organizations/500001/devices");
  EXPECT_TRUE(fake.last_request()->headers.contains("authorization"));
  EXPECT_EQ(fake.requests(), 2u);
  fake.stop();
  fake.stop();
  EXPECT_EQ(get(url).code, CURLE_COULDNT_CONNECT);
}

TEST(FakeMerakiServer, ClientsPageWhileTheDataChanges) {
  FakeMerakiOptions options = unlimited(5, 120);
  options.threads = 4;
  FakeMeraki fake(options);
  std::atomic<bool> done{false};
  std::vector<Paged> results(3);
  std::vector<std::thread> clients;
  for (std::size_t i = 0; i < results.size(); ++i) {
    clients.emplace_back([&, i] {
      std::string path = i == 1 ? "/devices/statuses?perPage=7" : "/devices?perPage=7";
      results[i] = follow_next(org_path(fake, "500001", path));
    });
  }
  std::thread writer([&] {
    for (int round = 0; round < 30; ++round) {
      fake.mutate(2, 2, 2);
      std::string serial = fake.devices("500001").front()["serial"];
      fake.set_status(serial, round % 2 ? "offline" : "online");
    }
    done = true;
  });
  for (auto& client : clients) client.join();
  writer.join();
  EXPECT_TRUE(done);
  for (const Paged& paged : results) {
    std::vector<std::string> serials = values_of(paged.items, "serial");
    EXPECT_GT(serials.size(), 80u);
    EXPECT_TRUE(all_unique(serials));
    EXPECT_TRUE(std::is_sorted(serials.begin(), serials.end()));
  }
  EXPECT_EQ(fake.devices("500001").size(), 120u);
}

TEST(FakeMerakiServer, LargeOrganizationsAreQuickToMakeAndToServe) {
  FakeMerakiOptions options = unlimited(5000, 50000);
  auto start = std::chrono::steady_clock::now();
  FakeMeraki fake(options);
  auto built = std::chrono::steady_clock::now() - start;

  std::string url = org_path(fake, "500001", "/devices?perPage=5000");
  get(url);  // warm up
  std::chrono::milliseconds best{1'000'000};
  CurlResponse page;
  for (int i = 0; i < 5; ++i) {
    page = get(url);
    best = std::min(best, page.elapsed);
  }
  ASSERT_EQ(page.status, 200);
  json devices = json::parse(page.body);
  EXPECT_EQ(devices.size(), 5000u);
  // Every page by its next link, counted without parsing (nlohmann::json is slow in Debug).
  std::size_t pages = 0, objects = 0;
  for (std::string next = url; !next.empty() && pages < 100; ++pages) {
    CurlResponse answer = get(next);
    ASSERT_EQ(answer.status, 200);
    for (std::size_t at = answer.body.find("{\"serial\":"); at != std::string::npos;
         at = answer.body.find("{\"serial\":", at + 1)) {
      ++objects;
    }
    next = links_of(answer)["next"];
  }
  EXPECT_EQ(pages, 10u);
  EXPECT_EQ(objects, 50000u);
  auto mutate_start = std::chrono::steady_clock::now();
  fake.mutate(100, 100, 100);
  auto mutated = std::chrono::steady_clock::now() - mutate_start;
  std::printf(
      "[ fake-meraki ] 5000 networks and 50000 devices built in %lld ms; a page of 5000 devices "
      "(%zu bytes) served in %lld ms; mutate(100,100,100) in %lld ms\n",
      static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(built).count()),
      page.body.size(), static_cast<long long>(best.count()),
      static_cast<long long>(
          std::chrono::duration_cast<std::chrono::milliseconds>(mutated).count()));
  EXPECT_LT(built, 10s);
  EXPECT_LT(best, 1000ms);
  EXPECT_LT(mutated, 2s);
}

// ---------------------------------------------------------------------------------------
// The program

std::string program() {
  return std::string(JOBHOST_BINARY_DIR) + "/bin/fake-meraki";
}

// The URL in "fake-meraki listening on <url> (...)".
std::string url_in(const std::string& line) {
  auto at = line.find("listening on ");
  if (at == std::string::npos) return "";
  at += 13;
  return line.substr(at, line.find(' ', at) - at);
}

TEST(FakeMerakiProgram, ServesUntilSigterm) {
  Process process = Process::spawn(
      ProcessOptions{.argv = {program(), "--organizations", "2", "--networks", "3", "--devices",
                              "10", "--api-key", "program-key", "--rate", "0"}});
  ASSERT_TRUE(process.wait_for_output("listening on", 20s)) << process.err();
  std::string line = process.out();
  EXPECT_NE(line.find("(2 organizations, 6 networks, 20 devices)\n"), std::string::npos) << line;
  std::string url = url_in(line);
  ASSERT_TRUE(std::regex_match(url, std::regex(R"(http://127\.0\.0\.1:\d+/api/v1)"))) << line;
  CurlResponse orgs = get(url + "/organizations", "program-key");
  ASSERT_EQ(orgs.status, 200) << orgs.body;
  EXPECT_EQ(orgs.parsed().size(), 2u);
  EXPECT_EQ(get(url + "/organizations/500002/devices", "program-key").parsed().size(), 10u);
  EXPECT_EQ(get(url + "/organizations").status, 401);
  process.kill(SIGTERM);
  auto status = process.wait(20s);
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(status->success()) << status->describe();
}

TEST(FakeMerakiProgram, ShardKeyFromTheEnvironmentAndMutations) {
  Process process = Process::spawn(ProcessOptions{
      .argv = {program(), "--networks", "2", "--devices", "6", "--shard", "--shard-host",
               "localhost", "--redirect-status", "302", "--mutate-every", "0.2"},
      .env = {{"FAKE_MERAKI_KEY", "from-env"}}});
  ASSERT_TRUE(process.wait_for_output("listening on", 20s)) << process.err();
  std::string line = process.out();
  std::smatch shard;
  ASSERT_TRUE(std::regex_search(line, shard, std::regex(R"(, shard (http://localhost:\d+)\)\n)")))
      << line;
  std::string url = url_in(line);
  CurlResponse redirect = get(url + "/organizations/500001/devices", "from-env");
  EXPECT_EQ(redirect.status, 302);
  EXPECT_EQ(redirect.header("location"), shard[1].str() + "/api/v1/organizations/500001/devices");
  EXPECT_TRUE(process.wait_for_output("mutated organization 500001: added", 20s)) << process.out();
  process.kill(SIGINT);
  auto status = process.wait(20s);
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(status->success()) << status->describe();
}

TEST(FakeMerakiProgram, BadOptionsExit2) {
  struct Case {
    std::vector<std::string> args;
    std::string named;
  };
  for (const Case& c : std::vector<Case>{{{"--devices", "many"}, "--devices"},
                                         {{"--colour", "blue"}, "--colour"},
                                         {{"--devices", "5"}, "--devices"},
                                         {{"--rate", "-1"}, "--rate"},
                                         {{"--burst", "0"}, "--burst"},
                                         {{"--redirect-status", "200"}, "--redirect-status"},
                                         {{"--mutate-every", "0"}, "--mutate-every"},
                                         {{"--mutate-count", "3"}, "--mutate-count"},
                                         {{"--port"}, "--port"},
                                         {{"--api-key", ""}, "--api-key"}}) {
    std::vector<std::string> argv = {program()};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    RunResult result = run_process(argv);
    EXPECT_EQ(result.exit_code, 2) << c.named;
    EXPECT_EQ(result.err.rfind("fake-meraki: ", 0), 0u) << result.err;
    EXPECT_NE(result.err.find(c.named), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("(fake-meraki --help lists the options)"), std::string::npos);
  }
  RunResult help = run_process({program(), "--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* option : {"--shard-host", "--ip-rate", "--mutate-every", "Retry-After"}) {
    EXPECT_NE(help.out.find(option), std::string::npos) << option;
  }
}

}  // namespace
}  // namespace jobhost::testing
