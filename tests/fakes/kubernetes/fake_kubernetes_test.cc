// The fake Kubernetes API server against real HTTP requests (libcurl): lists of every kind,
// paging over a consistent snapshot, continue tokens that expire, authentication and RBAC
// answers, missing CRDs, /version and discovery, object changes, injected failures, latency
// and concurrency, TLS, and the fake-kubernetes program.

#include "fakes/kubernetes/fake_kubernetes.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <map>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/curl_client.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/test_tls.h"

namespace jobhost::testing {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kToken = "fake-k8s-token";

// ---------------------------------------------------------------------------------------
// Requests through the shared libcurl client, with the token by default

using HttpAnswer = CurlResponse;

struct HttpCall {
  std::string url;
  std::string bearer = kToken;  // empty: no Authorization header (anonymous)
  std::string method = "GET";
  long timeout_ms = 20000;
  std::string ca_file;
  std::string authorization;  // a whole Authorization value instead of the bearer one
};

HttpAnswer send(const HttpCall& call) {
  CurlRequest request;
  request.method = call.method;
  request.url = call.url;
  request.headers = {"Accept: application/json"};
  std::string authorization = !call.authorization.empty() ? call.authorization
                              : call.bearer.empty()       ? std::string()
                                                          : "Bearer " + call.bearer;
  if (!authorization.empty()) request.headers.push_back("Authorization: " + authorization);
  request.ca_file = call.ca_file;
  request.timeout_ms = call.timeout_ms;
  return curl_perform(request);
}

HttpAnswer get(const FakeKubernetes& fake, const std::string& path,
               const std::string& bearer = kToken) {
  HttpCall call;
  call.url = fake.url() + path;
  call.bearer = bearer;
  return send(call);
}

const KubeKind& kind_of(const std::string& plural) {
  for (const auto& kind : hedgehog_kinds()) {
    if (kind.plural == plural) return kind;
  }
  throw std::invalid_argument("no kind " + plural);
}

std::string list_path(const std::string& plural, const std::string& ns = "default") {
  const KubeKind& kind = kind_of(plural);
  return "/apis/" + kind.group + "/" + kind.version + "/namespaces/" + ns + "/" + plural;
}

// One list request; the parsed body (checked to be a 200 list).
json list_page(const FakeKubernetes& fake, const std::string& plural, const std::string& query) {
  HttpAnswer answer = get(fake, list_path(plural) + (query.empty() ? "" : "?" + query));
  EXPECT_EQ(answer.code, CURLE_OK);
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.header("content-type"), "application/json");
  return answer.parsed();
}

// The items of one unlimited list, by value (a range-for over a member of a temporary would
// dangle).
json items_of(const FakeKubernetes& fake, const std::string& plural) {
  return list_page(fake, plural, "")["items"];
}

struct Listed {
  std::vector<json> items;
  std::size_t pages = 0;
  std::set<std::string> resource_versions;  // of the list, one per page
};

// Every page of a list, as a client pages through it.
Listed list_all(const FakeKubernetes& fake, const std::string& plural, int limit) {
  Listed listed;
  std::string token;
  do {
    std::string query = "limit=" + std::to_string(limit);
    if (!token.empty()) query += "&continue=" + token;
    json page = list_page(fake, plural, query);
    ++listed.pages;
    listed.resource_versions.insert(page["metadata"]["resourceVersion"].get<std::string>());
    for (auto& item : page["items"]) listed.items.push_back(item);
    token = page["metadata"].value("continue", "");
    if (listed.pages > 100000) break;
  } while (!token.empty());
  return listed;
}

std::vector<std::string> names_of(const std::vector<json>& items) {
  std::vector<std::string> names;
  for (const auto& item : items) names.push_back(item["metadata"]["name"].get<std::string>());
  return names;
}

// A Status error, checked field by field against what a real apiserver sends.
void expect_status(const HttpAnswer& answer, int code, const std::string& reason,
                   const std::string& message = "") {
  EXPECT_EQ(answer.code, CURLE_OK);
  EXPECT_EQ(answer.status, code) << answer.body;
  EXPECT_EQ(answer.header("content-type"), "application/json");
  json status = json::parse(answer.body, nullptr, false);
  ASSERT_TRUE(status.is_object()) << answer.body;
  EXPECT_EQ(status["kind"], "Status") << answer.body;
  EXPECT_EQ(status["apiVersion"], "v1");
  EXPECT_EQ(status["metadata"], json::object());
  EXPECT_EQ(status["status"], "Failure");
  EXPECT_EQ(status["reason"], reason) << answer.body;
  EXPECT_EQ(status["code"], code);
  if (!message.empty()) {
    EXPECT_EQ(status["message"], message);
  }
}

const std::string kExpiredMessage =
    "The provided continue parameter is too old to display a consistent list result. You can "
    "start a new list without the continue parameter.";

// ---------------------------------------------------------------------------------------
// Kinds and generated objects

TEST(FakeKubernetesKinds, FourteenInAFixedOrder) {
  std::vector<std::string> plurals;
  std::size_t synced = 0;
  for (const auto& kind : hedgehog_kinds()) {
    plurals.push_back(kind.plural);
    EXPECT_EQ(kind.version, "v1beta1");
    synced += kind.synced ? 1 : 0;
  }
  EXPECT_EQ(plurals,
            (std::vector<std::string>{"switches", "servers", "connections", "switchgroups",
                                      "vlannamespaces", "switchprofiles", "serverprofiles", "vpcs",
                                      "vpcattachments", "vpcpeerings", "ipv4namespaces",
                                      "externals", "externalattachments", "externalpeerings"}));
  EXPECT_EQ(synced, 12u);
  EXPECT_FALSE(kind_of("switchprofiles").synced);
  EXPECT_EQ(kind_of("vpcs").group, "vpc.githedgehog.com");
  EXPECT_EQ(kind_of("connections").group, "wiring.githedgehog.com");
  EXPECT_EQ(to_string(KubeFailure::too_many_requests), "too_many_requests");
}

TEST(FakeKubernetesObjects, ListsOfEveryKindWithTheGeneratedCounts) {
  // 30 over 12 kinds: the first 6 get 3, the others 2.
  FakeKubernetes fake({.objects = 30});
  EXPECT_EQ(fake.total(), 30u);
  std::size_t synced_seen = 0;
  std::set<std::string> uids;
  const std::regex uid_shape(
      "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  const std::regex time_shape("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$");
  for (const auto& kind : hedgehog_kinds()) {
    SCOPED_TRACE(kind.plural);
    json list = list_page(fake, kind.plural, "");
    EXPECT_EQ(list["kind"], kind.kind + "List");
    EXPECT_EQ(list["apiVersion"], kind.group + "/" + kind.version);
    EXPECT_FALSE(list["metadata"].contains("continue"));
    EXPECT_FALSE(list["metadata"].contains("remainingItemCount"));
    std::size_t expected = !kind.synced ? 2 : synced_seen < 6 ? 3 : 2;
    if (kind.synced) ++synced_seen;
    ASSERT_EQ(list["items"].size(), expected);
    EXPECT_EQ(fake.count(kind.plural), expected);
    std::vector<std::string> names = names_of(list["items"].get<std::vector<json>>());
    EXPECT_EQ(names, fake.names(kind.plural));
    EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
    std::string prefix = kind.kind;
    std::transform(prefix.begin(), prefix.end(), prefix.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    EXPECT_EQ(names.front(), prefix + "-00000");
    std::uint64_t list_version =
        std::stoull(list["metadata"]["resourceVersion"].get<std::string>());
    for (const auto& item : list["items"]) {
      EXPECT_EQ(item["apiVersion"], kind.group + "/" + kind.version);
      EXPECT_EQ(item["kind"], kind.kind);
      const json& metadata = item["metadata"];
      EXPECT_EQ(metadata["namespace"], "default");
      std::string uid = metadata["uid"].get<std::string>();
      EXPECT_TRUE(std::regex_match(uid, uid_shape)) << uid;
      uids.insert(uid);
      std::string rv = metadata["resourceVersion"].get<std::string>();
      EXPECT_LE(std::stoull(rv), list_version);
      EXPECT_EQ(metadata["generation"], 1);
      EXPECT_TRUE(std::regex_match(metadata["creationTimestamp"].get<std::string>(), time_shape));
      EXPECT_TRUE(metadata["labels"].is_object());
      EXPECT_TRUE(metadata["annotations"].is_object());
      EXPECT_TRUE(item["spec"].is_object());
      bool with_status = kind.plural == "switches" || kind.plural == "servers" ||
                         kind.plural == "connections" || kind.plural == "vpcs" ||
                         kind.plural == "externals";
      EXPECT_EQ(item.contains("status"), with_status);
      if (with_status) {
        const json& condition = item["status"]["conditions"][0];
        EXPECT_EQ(condition["type"], "Ready");
        EXPECT_TRUE(condition["status"] == "True" || condition["status"] == "False");
        EXPECT_TRUE(condition["reason"].is_string());
        EXPECT_TRUE(condition["message"].is_string());
        EXPECT_TRUE(
            std::regex_match(condition["lastTransitionTime"].get<std::string>(), time_shape));
      }
      EXPECT_EQ(fake.object(kind.plural, metadata["name"].get<std::string>()), item);
    }
  }
  EXPECT_EQ(uids.size(), 34u);  // every object its own
  EXPECT_FALSE(fake.object("switches", "switch-99999").has_value());
}

TEST(FakeKubernetesObjects, SpecsLookLikeHedgehogs) {
  FakeKubernetes fake({.objects = 1200});
  std::set<std::string> roles;
  for (const auto& item : items_of(fake, "switches")) {
    const json& spec = item["spec"];
    roles.insert(spec["role"].get<std::string>());
    for (const char* key : {"profile", "description", "redundancy", "asn", "ip", "protocolIP"}) {
      EXPECT_TRUE(spec.contains(key)) << key << " in " << spec.dump();
    }
    EXPECT_EQ(spec.contains("vtepIP"), spec["role"] != "spine") << spec.dump();
    EXPECT_TRUE(fake.object("switchprofiles", spec["profile"].get<std::string>()));
    for (const auto& group : spec.value("groups", json::array())) {
      EXPECT_TRUE(fake.object("switchgroups", group.get<std::string>()));
    }
  }
  EXPECT_EQ(roles, (std::set<std::string>{"spine", "server-leaf", "border-leaf"}));

  const std::map<std::string, std::string> type_labels = {{"unbundled", "unbundled"},
                                                          {"bundled", "bundled"},
                                                          {"mclag", "mclag"},
                                                          {"eslag", "eslag"},
                                                          {"fabric", "fabric"},
                                                          {"mesh", "mesh"},
                                                          {"vpcLoopback", "vpc-loopback"},
                                                          {"external", "external"},
                                                          {"staticExternal", "static-external"},
                                                          {"gateway", "gateway"}};
  std::set<std::string> types;
  json connections = list_page(fake, "connections", "")["items"];
  for (std::size_t i = 0; i < connections.size(); ++i) {
    const json& item = connections[i];
    std::vector<std::string> keys;
    for (const auto& [key, value] : item["spec"].items()) {
      if (type_labels.contains(key)) keys.push_back(key);
    }
    ASSERT_EQ(keys.size(), 1u) << item["spec"].dump();
    types.insert(keys[0]);
    EXPECT_EQ(item["metadata"]["labels"]["fabric.githedgehog.com/connection-type"],
              type_labels.at(keys[0]));
    if (i == 9) {
      EXPECT_EQ(types.size(), 10u) << "the first ten are one of each type";
    }
  }

  for (const auto& item : items_of(fake, "vpcs")) {
    const json& spec = item["spec"];
    EXPECT_FALSE(spec["subnets"].empty());
    EXPECT_TRUE(spec["subnets"].contains("subnet-01"));
    EXPECT_TRUE(fake.object("ipv4namespaces", spec["ipv4Namespace"].get<std::string>()));
    EXPECT_TRUE(fake.object("vlannamespaces", spec["vlanNamespace"].get<std::string>()));
    EXPECT_TRUE(spec["mode"] == "l2vni" || spec["mode"] == "l3vni");
  }
  std::size_t native = 0;
  for (const auto& item : items_of(fake, "vpcattachments")) {
    const json& spec = item["spec"];
    std::string subnet = spec["subnet"].get<std::string>();
    std::string vpc = subnet.substr(0, subnet.find('/'));
    ASSERT_TRUE(fake.object("vpcs", vpc)) << subnet;
    EXPECT_TRUE(fake.object("vpcs", vpc)
                    ->at("spec")["subnets"]
                    .contains(subnet.substr(subnet.find('/') + 1)));
    EXPECT_TRUE(fake.object("connections", spec["connection"].get<std::string>()));
    native += spec.value("nativeVLAN", false) ? 1 : 0;
  }
  EXPECT_GT(native, 0u);
  EXPECT_LT(native, 50u);
}

TEST(FakeKubernetesObjects, AboutFivePercentNotReady) {
  FakeKubernetes fake({.objects = 2400});
  std::size_t all = 0;
  std::size_t not_ready = 0;
  for (const char* plural : {"switches", "servers", "connections", "vpcs", "externals"}) {
    for (const auto& item : items_of(fake, plural)) {
      ++all;
      not_ready += item["status"]["conditions"][0]["status"] == "False" ? 1 : 0;
    }
  }
  EXPECT_EQ(all, 1000u);
  EXPECT_GT(not_ready, 20u);
  EXPECT_LT(not_ready, 90u);
}

TEST(FakeKubernetesObjects, DeterministicForOneSeed) {
  FakeKubernetes first({.objects = 240, .seed = 7});
  FakeKubernetes second({.objects = 240, .seed = 7});
  FakeKubernetes other({.objects = 240, .seed = 8});
  for (const auto& kind : hedgehog_kinds()) {
    EXPECT_EQ(get(first, list_path(kind.plural)).body, get(second, list_path(kind.plural)).body)
        << kind.plural;
  }
  EXPECT_NE(get(first, list_path("switches")).body, get(other, list_path("switches")).body);
  EXPECT_EQ(first.mutate(3, 3, 3).changed, second.mutate(3, 3, 3).changed);
}

// ---------------------------------------------------------------------------------------
// Paging

TEST(FakeKubernetesPaging, LimitAndContinueGiveEveryObjectOnce) {
  FakeKubernetes fake({.objects = 1200});
  for (int limit : {1, 7, 100, 101, 500}) {
    SCOPED_TRACE(limit);
    Listed listed = list_all(fake, "connections", limit);
    EXPECT_EQ(names_of(listed.items), fake.names("connections"));
    EXPECT_EQ(listed.pages, (100u + limit - 1) / limit);
    EXPECT_EQ(listed.resource_versions.size(), 1u);
  }
  json first = list_page(fake, "servers", "limit=30");
  EXPECT_EQ(first["items"].size(), 30u);
  EXPECT_EQ(first["metadata"]["remainingItemCount"], 70);
  EXPECT_FALSE(first["metadata"]["continue"].get<std::string>().empty());
  json second = list_page(fake, "servers",
                          "limit=30&continue=" + first["metadata"]["continue"].get<std::string>());
  EXPECT_EQ(second["items"][0]["metadata"]["name"], "server-00030");
  EXPECT_EQ(second["metadata"]["remainingItemCount"], 40);
  // limit 0 or less: everything.
  EXPECT_EQ(list_page(fake, "servers", "limit=0")["items"].size(), 100u);
  EXPECT_EQ(list_page(fake, "servers", "limit=-3")["items"].size(), 100u);
  expect_status(get(fake, list_path("servers") + "?limit=ten"), 400, "BadRequest");
  EXPECT_EQ(fake.list_requests("connections"), 100u + 15 + 1 + 1 + 1);
  EXPECT_EQ(fake.list_requests("servers"), 5u);
}

TEST(FakeKubernetesPaging, ContinuePagesStayOnTheFirstPagesSnapshot) {
  FakeKubernetes fake({.objects = 1200});
  std::vector<std::string> before = fake.names("switches");
  json original_60 = *fake.object("switches", "switch-00060");
  json first = list_page(fake, "switches", "limit=30");
  std::string list_version = first["metadata"]["resourceVersion"];

  // Writes between the pages, in the part not served yet.
  fake.mutate(5, 5, 5);
  fake.remove("switches", "switch-00050");
  json added = {{"metadata", {{"name", "switch-00040a"}}}, {"spec", {{"role", "spine"}}}};
  fake.put("switches", added);
  json changed = original_60;
  changed["spec"]["description"] = "moved to rack 99";
  fake.put("switches", changed);

  std::vector<json> items = first["items"].get<std::vector<json>>();
  std::string token = first["metadata"]["continue"];
  while (!token.empty()) {
    json page = list_page(fake, "switches", "limit=30&continue=" + token);
    EXPECT_EQ(page["metadata"]["resourceVersion"], list_version);
    for (auto& item : page["items"]) items.push_back(item);
    token = page["metadata"].value("continue", "");
  }
  EXPECT_EQ(names_of(items), before);
  for (const auto& item : items) {
    if (item["metadata"]["name"] == "switch-00060") {
      EXPECT_EQ(item, original_60);
    }
  }

  // A new list sees the writes.
  Listed now = list_all(fake, "switches", 30);
  std::vector<std::string> names = names_of(now.items);
  EXPECT_EQ(names, fake.names("switches"));
  EXPECT_TRUE(std::count(names.begin(), names.end(), "switch-00040a"));
  EXPECT_FALSE(std::count(names.begin(), names.end(), "switch-00050"));
  EXPECT_GT(std::stoull(*now.resource_versions.begin()), std::stoull(list_version));
  EXPECT_EQ(fake.object("switches", "switch-00060")->at("spec")["description"], "moved to rack 99");
}

TEST(FakeKubernetesPaging, ExpiredTokensAnswer410) {
  FakeKubernetes fake({.objects = 120, .continue_ttl = 400ms});
  json first = list_page(fake, "vpcs", "limit=3");
  std::string token = first["metadata"]["continue"];
  EXPECT_EQ(list_page(fake, "vpcs", "limit=3&continue=" + token)["items"].size(), 3u);
  EXPECT_EQ(list_page(fake, "vpcs", "limit=3&continue=" + token)["items"].size(), 3u)
      << "a token can be used again (a retried page)";

  fake.expire_continue_tokens();
  expect_status(get(fake, list_path("vpcs") + "?limit=3&continue=" + token), 410, "Expired",
                kExpiredMessage);
  EXPECT_EQ(fake.gone_answers(), 1u);
  // A new list works, and its tokens too.
  Listed again = list_all(fake, "vpcs", 3);
  EXPECT_EQ(again.items.size(), 10u);

  // A token older than continue_ttl.
  json fresh = list_page(fake, "vpcs", "limit=3");
  std::this_thread::sleep_for(700ms);
  HttpAnswer old = get(fake, list_path("vpcs") + "?limit=3&continue=" +
                                 fresh["metadata"]["continue"].get<std::string>());
  expect_status(old, 410, "Expired", kExpiredMessage);
  EXPECT_EQ(fake.gone_answers(), 2u);
  EXPECT_EQ(old.parsed().size(), 7u) << "no details in an Expired Status";
}

TEST(FakeKubernetesPaging, GarbageTokensAnswer400) {
  FakeKubernetes fake({.objects = 120});
  for (const char* token : {"not-a-token!", "aGVsbG8", "e30"}) {  // bad base64, "hello", "{}"
    SCOPED_TRACE(token);
    HttpAnswer answer = get(fake, list_path("vpcs") + "?continue=" + token);
    expect_status(answer, 400, "BadRequest");
    EXPECT_EQ(answer.parsed()["message"].get<std::string>().rfind(
                  "invalid continue token: continue key is not valid", 0),
              0u)
        << answer.body;
  }
  EXPECT_EQ(fake.gone_answers(), 0u);
}

// ---------------------------------------------------------------------------------------
// Authentication, authorization, routes

TEST(FakeKubernetesAuth, WrongTokenIs401OnEveryPath) {
  FakeKubernetes fake({.objects = 12});
  for (const std::string& path :
       std::vector<std::string>{"/version", "/apis/wiring.githedgehog.com/v1beta1",
                                list_path("switches"), "/nothing/here"}) {
    SCOPED_TRACE(path);
    HttpAnswer answer = get(fake, path, "wrong-token");
    expect_status(answer, 401, "Unauthorized", "Unauthorized");
    EXPECT_EQ(answer.body, R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",)"
                           R"("message":"Unauthorized","reason":"Unauthorized","code":401})");
  }
  HttpCall basic;
  basic.url = fake.url() + list_path("switches");
  basic.authorization = "Basic dXNlcjpwYXNz";
  expect_status(send(basic), 401, "Unauthorized");
  basic.authorization = "bearer fake-k8s-token";  // the scheme in any case
  EXPECT_EQ(send(basic).status, 200);

  fake.set_token("rotated");
  expect_status(get(fake, list_path("switches")), 401, "Unauthorized");
  EXPECT_EQ(get(fake, list_path("switches"), "rotated").status, 200);
}

TEST(FakeKubernetesAuth, AnonymousReadsVersionAndDiscoveryOnly) {
  FakeKubernetes fake({.objects = 12});
  HttpAnswer version = get(fake, "/version", "");
  EXPECT_EQ(version.status, 200);
  EXPECT_EQ(version.parsed()["gitVersion"], "v1.30.4+k3s1");
  EXPECT_EQ(get(fake, "/apis/vpc.githedgehog.com/v1beta1", "").status, 200);

  HttpAnswer list = get(fake, list_path("switches"), "");
  expect_status(list, 403, "Forbidden",
                "switches.wiring.githedgehog.com is forbidden: User \"system:anonymous\" cannot "
                "list resource \"switches\" in API group \"wiring.githedgehog.com\" in the "
                "namespace \"default\"");
  EXPECT_EQ(list.parsed()["details"],
            json({{"group", "wiring.githedgehog.com"}, {"kind", "switches"}}));
  expect_status(get(fake, list_path("vpcs", "other"), ""), 403, "Forbidden",
                "vpcs.vpc.githedgehog.com is forbidden: User \"system:anonymous\" cannot list "
                "resource \"vpcs\" in API group \"vpc.githedgehog.com\" in the namespace "
                "\"other\"");
  expect_status(get(fake, "/healthz", ""), 403, "Forbidden",
                "forbidden: User \"system:anonymous\" cannot get path \"/healthz\"");
}

TEST(FakeKubernetesRoutes, VersionDiscoveryAndOtherPaths) {
  FakeKubernetes fake({.objects = 12, .git_version = "v1.31.2"});
  json version = get(fake, "/version").parsed();
  EXPECT_EQ(version["major"], "1");
  EXPECT_EQ(version["minor"], "31");
  EXPECT_EQ(version["gitVersion"], "v1.31.2");
  EXPECT_EQ(version["gitTreeState"], "clean");
  EXPECT_EQ(version["goVersion"], "go1.22.5");
  EXPECT_EQ(version["compiler"], "gc");
  EXPECT_EQ(version["platform"], "linux/amd64");
  EXPECT_EQ(version["gitCommit"].get<std::string>().size(), 40u);
  EXPECT_TRUE(version.contains("buildDate"));

  for (const char* group : {"wiring.githedgehog.com", "vpc.githedgehog.com"}) {
    json discovery = get(fake, std::string("/apis/") + group + "/v1beta1").parsed();
    EXPECT_EQ(discovery["kind"], "APIResourceList");
    EXPECT_EQ(discovery["apiVersion"], "v1");
    EXPECT_EQ(discovery["groupVersion"], std::string(group) + "/v1beta1");
    std::vector<std::string> plurals;
    for (const auto& resource : discovery["resources"]) {
      std::string name = resource["name"];
      if (name.find('/') != std::string::npos) {
        EXPECT_EQ(name.substr(name.find('/')), "/status");
        continue;
      }
      plurals.push_back(name);
      const KubeKind& kind = kind_of(name);
      EXPECT_EQ(resource["kind"], kind.kind);
      EXPECT_EQ(resource["namespaced"], true);
      std::string singular = kind.kind;
      std::transform(singular.begin(), singular.end(), singular.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      EXPECT_EQ(resource["singularName"], singular);
      auto verbs = resource["verbs"].get<std::vector<std::string>>();
      for (const char* verb : {"get", "list", "watch"}) {
        EXPECT_TRUE(std::count(verbs.begin(), verbs.end(), verb)) << verb;
      }
    }
    EXPECT_EQ(plurals.size(), 7u) << group;
  }
  expect_status(get(fake, "/apis/apps/v1"), 404, "NotFound",
                "the server could not find the requested resource");
  expect_status(get(fake, "/apis/wiring.githedgehog.com/v1alpha2/namespaces/default/switches"), 404,
                "NotFound");
  expect_status(get(fake, "/apis/vpc.githedgehog.com/v1beta1/namespaces/default/switches"), 404,
                "NotFound");
  expect_status(get(fake, "/api/v1/namespaces/default/pods"), 404, "NotFound");
  expect_status(get(fake, "/"), 404, "NotFound");

  HttpCall post;
  post.url = fake.url() + list_path("switches");
  post.method = "POST";
  expect_status(send(post), 405, "MethodNotAllowed");

  // Another namespace is empty; a list of all namespaces and one object are served too.
  HttpAnswer elsewhere = get(fake, list_path("switches", "kube-system"));
  EXPECT_EQ(elsewhere.status, 200);
  EXPECT_EQ(elsewhere.parsed()["items"], json::array());
  json everywhere = get(fake, "/apis/wiring.githedgehog.com/v1beta1/switches").parsed();
  EXPECT_EQ(everywhere["items"].size(), 1u);
  HttpAnswer one = get(fake, list_path("switches") + "/switch-00000");
  EXPECT_EQ(one.status, 200);
  EXPECT_EQ(one.parsed(), *fake.object("switches", "switch-00000"));
  HttpAnswer none = get(fake, list_path("switches") + "/switch-00009");
  expect_status(none, 404, "NotFound",
                "switches.wiring.githedgehog.com \"switch-00009\" not found");
  EXPECT_EQ(
      none.parsed()["details"],
      json({{"name", "switch-00009"}, {"group", "wiring.githedgehog.com"}, {"kind", "switches"}}));
}

TEST(FakeKubernetesRoutes, MissingKinds) {
  EXPECT_THROW(FakeKubernetes({.missing_kinds = {"pods"}}), std::invalid_argument);
  FakeKubernetes fake({.objects = 24, .missing_kinds = {"externalpeerings", "switchprofiles"}});
  HttpAnswer missing = get(fake, list_path("externalpeerings"));
  expect_status(missing, 404, "NotFound", "the server could not find the requested resource");
  EXPECT_EQ(missing.parsed()["details"], json::object());
  EXPECT_EQ(fake.count("externalpeerings"), 2u) << "the objects are kept, just not served";

  auto discovered = [&](const std::string& group) {
    std::set<std::string> plurals;
    HttpAnswer answer = get(fake, "/apis/" + group + "/v1beta1");
    if (answer.status != 200) return plurals;
    json resources = answer.parsed()["resources"];
    for (const auto& resource : resources) {
      plurals.insert(resource["name"].get<std::string>());
    }
    return plurals;
  };
  EXPECT_FALSE(discovered("vpc.githedgehog.com").contains("externalpeerings"));
  EXPECT_FALSE(discovered("vpc.githedgehog.com").contains("externalpeerings/status"));
  EXPECT_TRUE(discovered("vpc.githedgehog.com").contains("externals"));
  EXPECT_FALSE(discovered("wiring.githedgehog.com").contains("switchprofiles"));

  fake.set_installed("externalpeerings", true);
  EXPECT_EQ(list_page(fake, "externalpeerings", "")["items"].size(), 2u);
  EXPECT_TRUE(discovered("vpc.githedgehog.com").contains("externalpeerings"));
  fake.set_installed("switches", false);
  expect_status(get(fake, list_path("switches")), 404, "NotFound");
  EXPECT_THROW(fake.set_installed("pods", false), std::invalid_argument);

  // A group none of whose kinds are installed is not served.
  for (const char* plural : {"vpcs", "vpcattachments", "vpcpeerings", "ipv4namespaces", "externals",
                             "externalattachments", "externalpeerings"}) {
    fake.set_installed(plural, false);
  }
  expect_status(get(fake, "/apis/vpc.githedgehog.com/v1beta1"), 404, "NotFound");
}

// ---------------------------------------------------------------------------------------
// Changing objects

TEST(FakeKubernetesChanges, PutRemoveAndResourceVersions) {
  FakeKubernetes fake({.objects = 24});
  auto list_version = [&] {
    return std::stoull(
        list_page(fake, "servers", "")["metadata"]["resourceVersion"].get<std::string>());
  };
  std::uint64_t start = list_version();
  EXPECT_EQ(start, 28u) << "one write per generated object";

  json created =
      fake.put("servers", {{"metadata", {{"name", "server-extra"}, {"labels", {{"rack", "7"}}}}},
                           {"spec", {{"description", "added by a test"}}}});
  EXPECT_EQ(created["kind"], "Server");
  EXPECT_EQ(created["metadata"]["namespace"], "default");
  EXPECT_EQ(created["metadata"]["generation"], 1);
  EXPECT_EQ(created["metadata"]["labels"]["rack"], "7");
  EXPECT_EQ(created["status"]["conditions"][0]["type"], "Ready");
  std::uint64_t created_version =
      std::stoull(created["metadata"]["resourceVersion"].get<std::string>());
  EXPECT_EQ(created_version, start + 1);
  EXPECT_EQ(list_version(), created_version);
  EXPECT_EQ(*fake.object("servers", "server-extra"), created);
  EXPECT_EQ(fake.total(), 25u);

  // Same spec: a new resourceVersion, the same generation; a new spec: the next generation.
  json relabeled = created;
  relabeled["metadata"]["labels"]["rack"] = "8";
  json same_spec = fake.put("servers", relabeled);
  EXPECT_EQ(same_spec["metadata"]["generation"], 1);
  EXPECT_EQ(same_spec["metadata"]["uid"], created["metadata"]["uid"]);
  EXPECT_EQ(same_spec["metadata"]["creationTimestamp"], created["metadata"]["creationTimestamp"]);
  json respecced = same_spec;
  respecced["spec"]["description"] = "changed";
  json new_spec = fake.put("servers", respecced);
  EXPECT_EQ(new_spec["metadata"]["generation"], 2);
  EXPECT_GT(std::stoull(new_spec["metadata"]["resourceVersion"].get<std::string>()),
            std::stoull(same_spec["metadata"]["resourceVersion"].get<std::string>()));

  EXPECT_TRUE(fake.remove("servers", "server-extra"));
  EXPECT_FALSE(fake.remove("servers", "server-extra"));
  EXPECT_FALSE(fake.object("servers", "server-extra"));
  EXPECT_GT(list_version(),
            std::stoull(new_spec["metadata"]["resourceVersion"].get<std::string>()));
  // Re-created under the same name: a new object with a new uid.
  json again = fake.put("servers", {{"metadata", {{"name", "server-extra"}}}});
  EXPECT_NE(again["metadata"]["uid"], created["metadata"]["uid"]);

  EXPECT_THROW(fake.put("pods", {{"metadata", {{"name", "x"}}}}), std::invalid_argument);
  EXPECT_THROW(fake.put("servers", {{"spec", json::object()}}), std::invalid_argument);
  EXPECT_THROW(fake.put("servers", {{"metadata", {{"name", ""}}}}), std::invalid_argument);
  // Objects of a kind whose CRD is missing can be written all the same.
  fake.set_installed("vpcs", false);
  fake.put("vpcs", {{"metadata", {{"name", "vpc-hidden"}}}});
  EXPECT_TRUE(fake.object("vpcs", "vpc-hidden"));
}

TEST(FakeKubernetesChanges, MutateAddsChangesAndDeletes) {
  FakeKubernetes fake({.objects = 240});
  std::map<std::string, json> before;
  for (const auto& kind : hedgehog_kinds()) {
    for (const auto& name : fake.names(kind.plural)) {
      before[kind.plural + "/" + name] = *fake.object(kind.plural, name);
    }
  }
  FakeKubernetes::Mutation mutation = fake.mutate(4, 6, 5);
  ASSERT_EQ(mutation.added.size(), 4u);
  ASSERT_EQ(mutation.changed.size(), 6u);
  ASSERT_EQ(mutation.deleted.size(), 5u);
  EXPECT_EQ(fake.total(), 240u + 4 - 5);
  std::set<std::string> touched;
  for (const auto& list : {mutation.added, mutation.changed, mutation.deleted}) {
    for (const auto& change : list) {
      EXPECT_TRUE(kind_of(change.plural).synced) << change.plural;
      touched.insert(change.plural + "/" + change.name);
    }
  }
  EXPECT_EQ(touched.size(), 15u) << "never the same object twice";
  std::uint64_t newest = 0;
  for (const auto& change : mutation.added) {
    EXPECT_FALSE(before.contains(change.plural + "/" + change.name));
    auto object = fake.object(change.plural, change.name);
    ASSERT_TRUE(object);
    EXPECT_EQ(object->at("metadata")["generation"], 1);
    newest = std::max<std::uint64_t>(
        newest, std::stoull(object->at("metadata")["resourceVersion"].get<std::string>()));
  }
  for (const auto& change : mutation.changed) {
    const json& old = before.at(change.plural + "/" + change.name);
    auto object = fake.object(change.plural, change.name);
    ASSERT_TRUE(object);
    EXPECT_NE(object->at("spec"), old["spec"]) << change.plural;
    EXPECT_EQ(object->at("metadata")["generation"], 2);
    EXPECT_EQ(object->at("metadata")["uid"], old["metadata"]["uid"]);
    EXPECT_GT(std::stoull(object->at("metadata")["resourceVersion"].get<std::string>()),
              std::stoull(old["metadata"]["resourceVersion"].get<std::string>()));
  }
  for (const auto& change : mutation.deleted) {
    EXPECT_TRUE(before.contains(change.plural + "/" + change.name));
    EXPECT_FALSE(fake.object(change.plural, change.name));
  }
  json list = list_page(fake, "switches", "");
  EXPECT_GT(std::stoull(list["metadata"]["resourceVersion"].get<std::string>()), newest);

  // Asking for more than there is changes what there is.
  FakeKubernetes small({.objects = 12});
  FakeKubernetes::Mutation all = small.mutate(0, 100, 100);
  EXPECT_EQ(all.changed.size(), 11u) << "switchgroups have no spec to change";
  EXPECT_EQ(all.deleted.size(), 1u);
  EXPECT_EQ(all.deleted[0].plural, "switchgroups");
  EXPECT_EQ(small.total(), 11u);
}

// ---------------------------------------------------------------------------------------
// Injected failures, knobs, counters

TEST(FakeKubernetesFailures, EachKind) {
  FakeKubernetes fake({.objects = 12, .hang_for = 3000ms});
  std::string path = list_path("switches");

  fake.fail_next(KubeFailure::internal_error);
  HttpAnswer internal = get(fake, path);
  expect_status(internal, 500, "InternalError");
  EXPECT_EQ(get(fake, path).status, 200) << "one only";

  fake.fail_next(KubeFailure::service_unavailable);
  HttpAnswer unavailable = get(fake, path);
  expect_status(unavailable, 503, "ServiceUnavailable");
  EXPECT_EQ(unavailable.header("retry-after"), "1");

  fake.fail_next(KubeFailure::too_many_requests);
  HttpAnswer throttled = get(fake, path);
  expect_status(throttled, 429, "TooManyRequests");
  EXPECT_EQ(throttled.header("retry-after"), "1");

  fake.fail_next(KubeFailure::forbidden);
  HttpAnswer forbidden = get(fake, path);
  expect_status(forbidden, 403, "Forbidden");
  std::string message = forbidden.parsed()["message"];
  EXPECT_NE(message.find("cannot list resource \"switches\" in API group "
                         "\"wiring.githedgehog.com\" in the namespace \"default\""),
            std::string::npos)
      << message;

  fake.fail_next(KubeFailure::malformed_json);
  HttpAnswer malformed = get(fake, path);
  EXPECT_EQ(malformed.status, 200);
  EXPECT_EQ(malformed.header("content-type"), "application/json");
  EXPECT_FALSE(json::accept(malformed.body)) << malformed.body;

  fake.fail_next(KubeFailure::close_connection);
  EXPECT_EQ(get(fake, path).code, CURLE_GOT_NOTHING);

  fake.fail_next(KubeFailure::hang);
  HttpCall hanging;
  hanging.url = fake.url() + path;
  hanging.timeout_ms = 300;
  EXPECT_EQ(send(hanging).code, CURLE_OPERATION_TIMEDOUT);

  EXPECT_EQ(get(fake, path).status, 200);
  EXPECT_EQ(fake.requests(), 9u);
  EXPECT_EQ(fake.list_requests("switches"), 2u) << "failed requests served nothing";
}

// Tests of clients that wait out a 429 set a short Retry-After; the Status keeps an integer.
TEST(FakeKubernetesFailures, TooManyRequestsWithAShortRetryAfter) {
  FakeKubernetes fake({.objects = 12, .retry_after = 50ms});
  fake.fail_next(KubeFailure::too_many_requests, 2, "/switches");
  for (int i = 0; i < 2; ++i) {
    HttpAnswer throttled = get(fake, list_path("switches"));
    expect_status(throttled, 429, "TooManyRequests");
    EXPECT_EQ(throttled.header("retry-after"), "0.050");
    EXPECT_EQ(throttled.parsed()["details"]["retryAfterSeconds"], 1);
  }
  EXPECT_EQ(get(fake, list_path("switches")).status, 200);
  EXPECT_EQ(fake.requests(), 3u);
  EXPECT_EQ(fake.list_requests("switches"), 1u) << "throttled requests served nothing";
}

TEST(FakeKubernetesFailures, ForAPathAfterNRequestsAndCleared) {
  FakeKubernetes fake({.objects = 12});
  fake.fail_next(KubeFailure::internal_error, 2, "/vpcs");
  EXPECT_EQ(get(fake, "/version").status, 200);
  EXPECT_EQ(get(fake, list_path("switches")).status, 200);
  EXPECT_EQ(get(fake, list_path("vpcs")).status, 500);
  EXPECT_EQ(get(fake, list_path("vpcs") + "?limit=1").status, 500);
  EXPECT_EQ(get(fake, list_path("vpcs")).status, 200);

  fake.fail_after(2, KubeFailure::service_unavailable, 2);
  std::vector<long> statuses;
  for (int i = 0; i < 5; ++i) statuses.push_back(get(fake, "/version").status);
  EXPECT_EQ(statuses, (std::vector<long>{200, 200, 503, 503, 200}));

  fake.fail_next(KubeFailure::internal_error, 5);
  fake.clear_failures();
  EXPECT_EQ(get(fake, "/version").status, 200);
}

TEST(FakeKubernetesKnobs, LatencyAndRequestsInFlight) {
  FakeKubernetes fake({.objects = 12, .latency = 250ms});
  HttpAnswer slow = get(fake, "/version");
  EXPECT_EQ(slow.status, 200);
  EXPECT_GE(slow.elapsed, 250ms);
  HttpAnswer slow_error = get(fake, "/version", "wrong");
  EXPECT_EQ(slow_error.status, 401);
  EXPECT_GE(slow_error.elapsed, 250ms) << "every answer waits";

  // The latency is a timer, not a sleep: four clients at once overlap on two threads.
  fake.set_latency(600ms);
  fake.reset_counters();
  std::vector<std::thread> clients;
  std::vector<HttpAnswer> answers(4);
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 4; ++i) {
    clients.emplace_back([&, i] { answers[i] = get(fake, list_path("servers")); });
  }
  for (auto& client : clients) client.join();
  auto took = std::chrono::steady_clock::now() - start;
  for (const auto& answer : answers) EXPECT_EQ(answer.status, 200);
  EXPECT_GE(fake.max_in_flight(), 3u);
  EXPECT_LE(fake.max_in_flight(), 4u);
  EXPECT_LT(took, 1800ms);
  EXPECT_EQ(fake.requests(), 4u);

  // One after another: never more than one in flight.
  fake.set_latency(0ms);
  fake.reset_counters();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(get(fake, "/version").status, 200);
  EXPECT_EQ(fake.max_in_flight(), 1u);
  EXPECT_LT(get(fake, "/version").elapsed, 200ms);
}

TEST(FakeKubernetesKnobs, Counters) {
  FakeKubernetes fake({.objects = 120, .continue_ttl = 60000ms});
  list_all(fake, "vpcs", 4);  // 3 pages
  get(fake, list_path("switches"));
  get(fake, "/apis/wiring.githedgehog.com/v1beta1", "");
  EXPECT_EQ(fake.requests(), 5u);
  EXPECT_EQ(fake.list_requests("vpcs"), 3u);
  EXPECT_EQ(fake.list_requests("switches"), 1u);
  EXPECT_EQ(fake.list_requests("servers"), 0u);
  auto last = fake.last_request();
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->method, "GET");
  EXPECT_EQ(last->path, "/apis/wiring.githedgehog.com/v1beta1");
  EXPECT_EQ(last->header("accept"), "application/json");
  EXPECT_TRUE(last->headers.contains("accept"));
  EXPECT_FALSE(last->has_header("authorization"));
  fake.reset_counters();
  EXPECT_EQ(fake.requests(), 0u);
  EXPECT_EQ(fake.list_requests("vpcs"), 0u);
  EXPECT_EQ(fake.gone_answers(), 0u);
  EXPECT_FALSE(fake.last_request().has_value());
}

TEST(FakeKubernetesKnobs, TlsVerifiedWithItsCaAndRefusedWithAnother) {
  const TestCertificates& certificates = shared_test_certificates();
  FakeKubernetes fake({.objects = 12, .tls = certificates.server_tls()});
  ASSERT_EQ(fake.url().rfind("https://127.0.0.1:", 0), 0u) << fake.url();
  HttpCall call;
  call.url = fake.url() + list_path("switches");
  call.ca_file = certificates.ca_cert_file.string();
  HttpAnswer answer = send(call);
  ASSERT_EQ(answer.code, CURLE_OK) << answer.error();
  EXPECT_EQ(answer.parsed()["items"].size(), 1u);

  TempDir dir("fake-k8s-other-ca");
  TestCertificates other = make_test_certificates(dir.path());
  call.ca_file = other.ca_cert_file.string();
  EXPECT_EQ(send(call).code, CURLE_PEER_FAILED_VERIFICATION);
  fake.stop();
  fake.stop();  // idempotent
  call.ca_file = certificates.ca_cert_file.string();
  EXPECT_EQ(send(call).code, CURLE_COULDNT_CONNECT);
}

// ---------------------------------------------------------------------------------------
// Size and speed (generous bounds; the figures go to the log)

TEST(FakeKubernetesScale, HundredThousandObjectsPagedAndListed) {
  auto start = std::chrono::steady_clock::now();
  FakeKubernetes fake({.objects = 100000});
  auto built = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  EXPECT_EQ(fake.total(), 100000u);

  start = std::chrono::steady_clock::now();
  Listed paged = list_all(fake, "connections", 500);
  auto paging = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  EXPECT_EQ(paged.items.size(), fake.count("connections"));

  start = std::chrono::steady_clock::now();
  HttpAnswer whole = get(fake, list_path("switches"));
  auto listing = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  ASSERT_EQ(whole.status, 200);

  start = std::chrono::steady_clock::now();
  fake.mutate(100, 100, 100);
  auto mutating = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  std::printf(
      "[ fake-kubernetes ] 100000 objects built in %lld ms; %zu connections in %zu pages of 500 "
      "in %lld ms; all %zu switches (%zu bytes) in one list in %lld ms; mutate(100,100,100) "
      "in %lld ms\n",
      static_cast<long long>(built.count()), paged.items.size(), paged.pages,
      static_cast<long long>(paging.count()), fake.count("switches"), whole.body.size(),
      static_cast<long long>(listing.count()), static_cast<long long>(mutating.count()));
  EXPECT_LT(built, 20000ms);
  EXPECT_LT(paging, 10000ms);
  EXPECT_LT(listing, 5000ms);
  EXPECT_LT(mutating, 5000ms);
}

// ---------------------------------------------------------------------------------------
// The program

std::string program() {
  return std::string(JOBHOST_BINARY_DIR) + "/bin/fake-kubernetes";
}

// The URL in "fake-kubernetes listening on <url> (...)".
std::string url_in(const std::string& line) {
  auto at = line.find("listening on ");
  if (at == std::string::npos) return "";
  at += 13;
  return line.substr(at, line.find(' ', at) - at);
}

TEST(FakeKubernetesProgram, ServesUntilSigterm) {
  Process process = Process::spawn(ProcessOptions{
      .argv = {program(), "--objects", "24", "--token", "program-token", "--missing-kind",
               "vpcpeerings", "--missing-kind", "externalpeerings"}});
  ASSERT_TRUE(process.wait_for_output("listening on", 20s)) << process.err();
  std::string line = process.out();
  EXPECT_NE(line.find("(24 objects)"), std::string::npos) << line;
  std::string url = url_in(line);
  ASSERT_EQ(url.rfind("http://127.0.0.1:", 0), 0u) << line;
  HttpCall call;
  call.url = url + list_path("switches");
  call.bearer = "program-token";
  HttpAnswer answer = send(call);
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.parsed()["items"].size(), 2u);
  call.url = url + list_path("vpcpeerings");
  EXPECT_EQ(send(call).status, 404);
  call.bearer = kToken;
  EXPECT_EQ(send(call).status, 401);
  process.kill(SIGTERM);
  auto status = process.wait(20s);
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(status->success()) << status->describe();
}

TEST(FakeKubernetesProgram, TlsDirTokenFromTheEnvironmentAndMutations) {
  TempDir dir("fake-k8s-program");
  std::string tls_dir = dir.file("tls").string();  // created by the program
  Process process =
      Process::spawn(ProcessOptions{.argv = {program(), "--objects", "12", "--tls-dir", tls_dir,
                                             "--mutate-every", "0.2", "--mutate-count", "1"},
                                    .env = {{"FAKE_K8S_TOKEN", "from-env"}}});
  ASSERT_TRUE(process.wait_for_output("listening on", 20s)) << process.err();
  std::string line = process.out();
  std::string url = url_in(line);
  ASSERT_EQ(url.rfind("https://127.0.0.1:", 0), 0u) << line;
  auto ca = line.find(", CA ");
  ASSERT_NE(ca, std::string::npos) << line;
  std::string ca_file = line.substr(ca + 5, line.find(')', ca) - ca - 5);
  EXPECT_EQ(ca_file.rfind(tls_dir, 0), 0u) << ca_file;

  HttpCall call;
  call.url = url + "/version";
  call.bearer = "from-env";
  call.ca_file = ca_file;
  HttpAnswer version = send(call);
  ASSERT_EQ(version.code, CURLE_OK) << version.error();
  EXPECT_EQ(version.status, 200);
  EXPECT_TRUE(process.wait_for_output("mutated: added", 20s)) << process.out();
  process.kill(SIGINT);
  auto status = process.wait(20s);
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(status->success()) << status->describe();
}

TEST(FakeKubernetesProgram, BadOptionsExit2) {
  struct Case {
    std::vector<std::string> args;
    std::string named;
  };
  for (const Case& c : std::vector<Case>{{{"--objects", "many"}, "--objects"},
                                         {{"--colour", "blue"}, "--colour"},
                                         {{"--missing-kind", "pods"}, "--missing-kind"},
                                         {{"--mutate-every", "0"}, "--mutate-every"},
                                         {{"--mutate-count", "3"}, "--mutate-count"},
                                         {{"--port"}, "--port"},
                                         {{"--token", ""}, "--token"}}) {
    std::vector<std::string> argv = {program()};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    RunResult result = run_process(argv);
    EXPECT_EQ(result.exit_code, 2) << c.named;
    EXPECT_NE(result.err.find(c.named), std::string::npos) << result.err;
  }
  RunResult help = run_process({program(), "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--mutate-every"), std::string::npos);
  EXPECT_NE(help.out.find("--tls-dir"), std::string::npos);
}

}  // namespace
}  // namespace jobhost::testing
