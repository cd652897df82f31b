// The fake Zabbix API against real HTTP requests (libcurl): transport, envelope, auth, host
// methods, the generated inventory, injected failures, knobs and counters, the program.

#include "fakes/zabbix/fake_zabbix.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <set>
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

// ---------------------------------------------------------------------------------------
// Requests through the shared libcurl client: JSON-RPC POSTs by default

using HttpAnswer = CurlResponse;

struct HttpCall {
  std::string url;
  std::string body;
  std::vector<std::string> headers = {"Content-Type: application/json-rpc"};
  std::string method = "POST";
  long timeout_ms = 20000;
  std::string ca_file;
};

HttpAnswer send(const HttpCall& call) {
  CurlRequest request;
  request.method = call.method;
  request.url = call.url;
  request.headers = call.headers;
  request.body = call.body;
  request.ca_file = call.ca_file;
  request.timeout_ms = call.timeout_ms;
  return curl_perform(request);
}

json request(const std::string& method, json params, json id = 1) {
  json body = {{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
  if (!id.is_null()) body["id"] = std::move(id);
  return body;
}

HttpAnswer post(const FakeZabbix& fake, const json& body, const std::string& bearer = "") {
  HttpCall call{fake.url(), body.dump()};
  if (!bearer.empty()) call.headers.push_back("Authorization: Bearer " + bearer);
  return send(call);
}

// One call with the API token; the whole response object.
json rpc(const FakeZabbix& fake, const std::string& method, json params,
         const std::string& bearer = "fake-token") {
  HttpAnswer answer = post(fake, request(method, std::move(params)), bearer);
  EXPECT_EQ(answer.code, CURLE_OK);
  EXPECT_EQ(answer.status, 200);
  return answer.parsed();
}

json result_of(const FakeZabbix& fake, const std::string& method, json params) {
  json response = rpc(fake, method, std::move(params));
  EXPECT_TRUE(response.contains("result")) << response.dump();
  return response.value("result", json());
}

void expect_error(const json& response, int code, const std::string& data) {
  ASSERT_TRUE(response.contains("error")) << response.dump();
  EXPECT_EQ(response["error"]["code"], code) << response.dump();
  EXPECT_EQ(response["error"]["data"], data) << response.dump();
  std::map<int, std::string> messages = {
      {-32700, "Parse error"},     {-32600, "Invalid request."}, {-32601, "Method not found."},
      {-32602, "Invalid params."}, {-32603, "Internal error."},  {-32500, "Application error."}};
  EXPECT_EQ(response["error"]["message"], messages[code]);
}

void expect_all_strings(const json& value, const std::string& path = "") {
  if (value.is_object()) {
    for (const auto& item : value.items())
      expect_all_strings(item.value(), path + "/" + item.key());
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      expect_all_strings(value[i], path + "/" + std::to_string(i));
    }
  } else {
    EXPECT_TRUE(value.is_string()) << path << " is " << value.dump();
  }
}

const json kAllSelects = {{"output", "extend"},
                          {"selectInterfaces", "extend"},
                          {"selectParentTemplates", {"templateid", "name"}},
                          {"selectTags", "extend"},
                          {"selectHostGroups", "extend"},
                          {"selectInventory", "extend"}};

json names_filter(const std::vector<std::string>& names) {
  json params = kAllSelects;
  params["filter"] = {{"host", names}};
  return params;
}

// The Zabbix side of a host in the plugin's desired-config format, written independently of
// the fake, to check the generated drift.
json to_desired(const json& z) {
  static const std::map<std::string, std::string> types = {
      {"1", "agent"}, {"2", "snmp"}, {"3", "ipmi"}, {"4", "jmx"}};
  static const std::map<std::string, std::string> monitored = {
      {"0", "server"}, {"1", "proxy"}, {"2", "proxy_group"}};
  static const std::map<std::string, std::string> inventory = {
      {"-1", "disabled"}, {"0", "manual"}, {"1", "automatic"}};
  json d;
  d["host"] = z["host"];
  d["name"] = z["name"];
  d["status"] = z["status"] == "0" ? "enabled" : "disabled";
  d["description"] = z["description"];
  d["monitored_by"] = monitored.at(z["monitored_by"].get<std::string>());
  d["proxyid"] = z["proxyid"];
  d["proxy_groupid"] = z["proxy_groupid"];
  d["inventory_mode"] = inventory.at(z["inventory_mode"].get<std::string>());
  d["groups"] = json::array();
  for (const auto& g : z["hostgroups"]) d["groups"].push_back(g["groupid"]);
  d["templates"] = json::array();
  for (const auto& t : z["parentTemplates"]) d["templates"].push_back(t["templateid"]);
  d["tags"] = json::array();
  for (const auto& t : z["tags"]) d["tags"].push_back({{"tag", t["tag"]}, {"value", t["value"]}});
  d["interfaces"] = json::array();
  for (const auto& i : z["interfaces"]) {
    d["interfaces"].push_back({{"type", types.at(i["type"].get<std::string>())},
                               {"main", i["main"] == "1"},
                               {"useip", i["useip"] == "1"},
                               {"ip", i["ip"]},
                               {"dns", i["dns"]},
                               {"port", i["port"]}});
  }
  return d;
}

json new_host(const std::string& name) {
  return {{"host", name},
          {"name", name + " visible"},
          {"groups", {{{"groupid", "3"}}}},
          {"templates", {{{"templateid", "10005"}}}},
          {"tags", {{{"tag", "site"}, {"value", "lab"}}}},
          {"interfaces",
           {{{"type", 1},
             {"main", 1},
             {"useip", 1},
             {"ip", "10.9.9.9"},
             {"dns", ""},
             {"port", "10050"}}}}};
}

// ---------------------------------------------------------------------------------------
// Transport and envelope

TEST(FakeZabbixTransport, WrongContentTypeIs412WithAnEmptyBody) {
  FakeZabbix fake;
  for (std::string type : {"Content-Type: text/plain", "Content-Type: application/xml",
                           "Content-Type: Application/JSON", "Content-Type:"}) {
    HttpCall call{fake.url(), request("apiinfo.version", json::array()).dump(), {type}};
    HttpAnswer answer = send(call);
    EXPECT_EQ(answer.code, CURLE_OK);
    EXPECT_EQ(answer.status, 412) << type;
    EXPECT_EQ(answer.body, "") << type;
  }
  // Only the part before ';' counts; all three JSON types are accepted.
  for (std::string type :
       {"Content-Type: application/json; charset=utf-8", "Content-Type: application/json-rpc",
        "Content-Type: application/jsonrequest"}) {
    HttpCall call{fake.url(), request("apiinfo.version", json::array()).dump(), {type}};
    HttpAnswer answer = send(call);
    EXPECT_EQ(answer.status, 200) << type;
    EXPECT_EQ(answer.header("content-type"), "application/json");
    EXPECT_EQ(answer.parsed()["result"], "7.0.0");
  }
}

TEST(FakeZabbixTransport, OtherPathsAre404AndOptionsIsThePreflight) {
  FakeZabbix fake;
  std::string base = fake.url().substr(0, fake.url().find("/api_jsonrpc.php"));
  HttpAnswer other = send(HttpCall{base + "/zabbix.php", "{}"});
  EXPECT_EQ(other.status, 404);
  HttpAnswer preflight = send(HttpCall{fake.url(), "", {}, "OPTIONS"});
  EXPECT_EQ(preflight.status, 200);
  EXPECT_EQ(preflight.body, "");
  EXPECT_EQ(preflight.header("access-control-allow-origin"), "*");
  EXPECT_EQ(preflight.header("access-control-allow-methods"), "POST");
}

TEST(FakeZabbixEnvelope, ParseErrorHasIdNull) {
  FakeZabbix fake;
  HttpAnswer answer = send(HttpCall{fake.url(), R"({"jsonrpc":"2.0","method":)"});
  EXPECT_EQ(answer.status, 200);
  json response = answer.parsed();
  expect_error(response, -32700,
               "Invalid JSON. An error occurred on the server while parsing the JSON text.");
  EXPECT_TRUE(response["id"].is_null());
  // An empty body does not parse either.
  expect_error(send(HttpCall{fake.url(), ""}).parsed(), -32700,
               "Invalid JSON. An error occurred on the server while parsing the JSON text.");
}

TEST(FakeZabbixEnvelope, InvalidRequests) {
  FakeZabbix fake;
  auto answer_to = [&](const std::string& body) {
    return send(HttpCall{fake.url(), body}).parsed();
  };
  json empty = answer_to("[]");
  expect_error(empty, -32600, "The received JSON is not a valid JSON-RPC request.");
  EXPECT_TRUE(empty["id"].is_null());
  expect_error(answer_to("42"), -32600, "The received JSON is not a valid JSON-RPC request.");

  json no_method = answer_to(R"({"jsonrpc":"2.0","params":{},"id":7})");
  expect_error(no_method, -32600, "Invalid parameter \"/\": the parameter \"method\" is missing.");
  EXPECT_EQ(no_method["id"], 7);
  expect_error(answer_to(R"({"jsonrpc":"1.0","method":"apiinfo.version","params":[],"id":1})"),
               -32600, "Invalid parameter \"/jsonrpc\": value must be \"2.0\".");
  expect_error(answer_to(R"({"method":"apiinfo.version","params":[],"id":1})"), -32600,
               "Invalid parameter \"/\": the parameter \"jsonrpc\" is missing.");
  expect_error(answer_to(R"({"jsonrpc":"2.0","method":"apiinfo.version","id":1})"), -32600,
               "Invalid parameter \"/\": the parameter \"params\" is missing.");
  expect_error(answer_to(R"({"jsonrpc":"2.0","method":"apiinfo.version","params":1,"id":1})"),
               -32600, "Invalid parameter \"/params\": an array or object is expected.");
  expect_error(answer_to(R"({"jsonrpc":"2.0","method":"host.get","params":{},"id":1,"x":1})"),
               -32600, "Invalid parameter \"/\": unexpected parameter \"x\".");
  // An invalid id is not echoed.
  json bad_id = answer_to(R"({"jsonrpc":"2.0","method":"apiinfo.version","params":[],"id":[1]})");
  expect_error(bad_id, -32600,
               "Invalid parameter \"/id\": a string, number or null value is expected.");
  EXPECT_TRUE(bad_id["id"].is_null());
}

TEST(FakeZabbixEnvelope, UnknownMethods) {
  FakeZabbix fake;
  expect_error(rpc(fake, "foo.get", json::object()), -32601, "Incorrect API \"foo\".");
  expect_error(rpc(fake, "host.fetch", json::object()), -32601, "Incorrect method \"host.fetch\".");
  // Method names are case-insensitive, as in the frontend.
  EXPECT_EQ(rpc(fake, "APIInfo.Version", json::array(), "")["result"], "7.0.0");
  // A real method the fake leaves out says so.
  expect_error(rpc(fake, "item.get", json::object()), -32603,
               "fake-zabbix does not implement \"item.get\".");
}

TEST(FakeZabbixEnvelope, BatchesAndNotifications) {
  FakeZabbix fake({.hosts = 3});
  json batch = json::array({request("apiinfo.version", json::array(), 1),
                            request("apiinfo.version", json::array(), nullptr),
                            request("foo.bar", json::array(), nullptr),
                            {{"jsonrpc", "2.0"}, {"method", "apiinfo.version"}},
                            request("apiinfo.version", json::array(), "two")});
  HttpAnswer answer = post(fake, batch);
  ASSERT_EQ(answer.status, 200);
  json responses = answer.parsed();
  ASSERT_TRUE(responses.is_array());
  // The notifications get nothing, not even for an error; an invalid request always an answer.
  ASSERT_EQ(responses.size(), 3u) << responses.dump();
  EXPECT_EQ(responses[0]["id"], 1);
  EXPECT_EQ(responses[0]["result"], "7.0.0");
  EXPECT_TRUE(responses[1]["id"].is_null());
  EXPECT_EQ(responses[1]["error"]["code"], -32600);
  EXPECT_EQ(responses[2]["id"], "two");

  // Notifications only: an empty body.
  json only = json::array({request("apiinfo.version", json::array(), nullptr),
                           request("host.get", json::object(), nullptr)});
  HttpAnswer silent = post(fake, only, "fake-token");
  EXPECT_EQ(silent.status, 200);
  EXPECT_EQ(silent.body, "");
  EXPECT_EQ(post(fake, request("apiinfo.version", json::array(), nullptr)).body, "");
  // Each call is authenticated on its own.
  json mixed = json::array({request("host.get", {{"output", {"host"}}}, 1),
                            request("apiinfo.version", json::array(), 2)});
  json both = post(fake, mixed, "fake-token").parsed();
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[0]["result"].size(), 3u);
  EXPECT_EQ(both[1]["error"]["data"],
            "The \"apiinfo.version\" method must be called without the \"auth\" parameter.");
}

// ---------------------------------------------------------------------------------------
// Authentication

TEST(FakeZabbixAuth, BearerHeaderOnEveryVersion) {
  for (std::string version : {"6.4.15", "7.0.5", "7.2.1", "7.4.0"}) {
    FakeZabbix fake({.version = version, .hosts = 2});
    json response = rpc(fake, "host.get", {{"output", {"host"}}});
    ASSERT_TRUE(response.contains("result")) << version << ": " << response.dump();
    EXPECT_EQ(response["result"].size(), 2u);
  }
}

TEST(FakeZabbixAuth, BodyAuthUpTo70AndRejectedFrom72) {
  for (std::string version : {"6.4.0", "7.0.0"}) {
    FakeZabbix fake({.version = version, .hosts = 2});
    json body = request("host.get", {{"output", {"host"}}});
    body["auth"] = "fake-token";
    json response = post(fake, body).parsed();
    ASSERT_TRUE(response.contains("result")) << version << ": " << response.dump();
    EXPECT_EQ(response["result"].size(), 2u);
  }
  FakeZabbix fake({.version = "7.2.0", .hosts = 2});
  json body = request("host.get", {{"output", {"host"}}}, 5);
  body["auth"] = "fake-token";
  json response = post(fake, body).parsed();
  expect_error(response, -32600, "Invalid parameter \"/\": unexpected parameter \"auth\".");
  EXPECT_EQ(response["id"], 5);
  // Even "auth": null, and even with a good Bearer header.
  body["auth"] = nullptr;
  expect_error(post(fake, body, "fake-token").parsed(), -32600,
               "Invalid parameter \"/\": unexpected parameter \"auth\".");
}

TEST(FakeZabbixAuth, ApiinfoVersionMustBeCalledWithoutAuth) {
  FakeZabbix fake({.version = "7.0.3"});
  EXPECT_EQ(rpc(fake, "apiinfo.version", json::array(), "")["result"], "7.0.3");
  expect_error(rpc(fake, "apiinfo.version", json::array()), -32602,
               "The \"apiinfo.version\" method must be called without the \"auth\" parameter.");
  json body = request("apiinfo.version", json::array());
  body["auth"] = "fake-token";
  expect_error(post(fake, body).parsed(), -32602,
               "The \"apiinfo.version\" method must be called without the \"auth\" parameter.");
  body["auth"] = nullptr;  // null is no auth
  EXPECT_EQ(post(fake, body).parsed()["result"], "7.0.3");

  fake.set_version("7.2.0");
  expect_error(rpc(fake, "apiinfo.version", json::array()), -32602,
               "The \"apiinfo.version\" method must be called without authorization header.");
  EXPECT_EQ(rpc(fake, "apiinfo.version", json::array(), "")["result"], "7.2.0");
}

TEST(FakeZabbixAuth, NotAuthorized) {
  FakeZabbix fake;
  expect_error(rpc(fake, "host.get", json::object(), ""), -32602, "Not authorized.");
  expect_error(rpc(fake, "host.get", json::object(), "wrong"), -32602, "Not authorized.");
  expect_error(rpc(fake, "host.get", json::object(), std::string(64, 'a')), -32602,
               "Not authorized.");
  // "bearer" in lower case is not a Bearer header.
  HttpCall call{fake.url(), request("host.get", json::object()).dump()};
  call.headers.push_back("Authorization: bearer fake-token");
  expect_error(send(call).parsed(), -32602, "Not authorized.");

  // As real Zabbix: a token that is not 64 characters long is taken for a session id.
  FakeZabbix real({.zabbix_session_errors = true});
  expect_error(rpc(real, "host.get", json::object(), std::string(64, 'a')), -32602,
               "Not authorized.");
  expect_error(rpc(real, "host.get", json::object(), "wrong"), -32602,
               "Session terminated, re-login, please.");
  expect_error(rpc(real, "host.get", json::object(), ""), -32602, "Not authorized.");
}

TEST(FakeZabbixAuth, TokenExpiresAfterNCalls) {
  FakeZabbix fake({.hosts = 1});
  fake.expire_token_after(2);
  EXPECT_TRUE(rpc(fake, "host.get", json::object()).contains("result"));
  EXPECT_TRUE(rpc(fake, "host.get", json::object()).contains("result"));
  EXPECT_TRUE(rpc(fake, "apiinfo.version", json::array(), "").contains("result"));  // no auth
  expect_error(rpc(fake, "host.get", json::object()), -32500, "API token expired.");
  expect_error(rpc(fake, "host.get", json::object()), -32500, "API token expired.");
  fake.set_token("new-token");
  EXPECT_TRUE(rpc(fake, "host.get", json::object(), "new-token").contains("result"));
}

TEST(FakeZabbixAuth, UserLoginSession) {
  FakeZabbix fake({.hosts = 1});
  json wrong = rpc(fake, "user.login", {{"username", "Admin"}, {"password", "nope"}}, "");
  expect_error(wrong, -32500, "Incorrect user name or password or account is temporarily blocked.");
  expect_error(rpc(fake, "user.login", {{"user", "Admin"}, {"password", "zabbix"}}, ""), -32602,
               "Invalid parameter \"/\": unexpected parameter \"user\".");
  json login = rpc(fake, "user.login", {{"username", "Admin"}, {"password", "zabbix"}}, "");
  ASSERT_TRUE(login["result"].is_string());
  std::string session = login["result"];
  EXPECT_EQ(session.size(), 32u);
  EXPECT_TRUE(rpc(fake, "host.get", json::object(), session).contains("result"));
  EXPECT_EQ(rpc(fake, "user.logout", json::array(), session)["result"], true);
  expect_error(rpc(fake, "host.get", json::object(), session), -32602,
               "Session terminated, re-login, please.");
}

// ---------------------------------------------------------------------------------------
// host.get

TEST(FakeZabbixHostGet, ByNamesWithEverySelectAllStrings) {
  FakeZabbix fake({.hosts = 50, .missing = 0.1});
  std::vector<std::string> names;
  for (int i = 0; i < 50; i += 5) {
    char name[32];
    std::snprintf(name, sizeof name, "host-%06d", i);
    names.push_back(name);
  }
  names.push_back("no-such-host");
  std::set<std::string> missing;
  for (const auto& m : fake.missing_hosts()) missing.insert(m);
  std::set<std::string> expected;
  for (const auto& n : names) {
    if (n != "no-such-host" && !missing.contains(n)) expected.insert(n);
  }

  json hosts = result_of(fake, "host.get", names_filter(names));
  ASSERT_TRUE(hosts.is_array());
  std::set<std::string> got;
  for (const auto& h : hosts) got.insert(h["host"]);
  EXPECT_EQ(got, expected);
  EXPECT_EQ(fake.hosts_returned(), expected.size());
  for (const auto& h : hosts) {
    ASSERT_TRUE(h.contains("interfaces"));
    ASSERT_TRUE(h.contains("parentTemplates"));
    ASSERT_TRUE(h.contains("tags"));
    ASSERT_TRUE(h.contains("hostgroups"));
    ASSERT_TRUE(h.contains("inventory"));
    EXPECT_FALSE(h.contains("groups"));
    for (const auto& field : {"hostid", "host", "name", "status", "description", "monitored_by",
                              "proxyid", "proxy_groupid", "inventory_mode"}) {
      EXPECT_TRUE(h.contains(field)) << field;
    }
    EXPECT_FALSE(h.contains("proxy_hostid"));
    for (const auto& t : h["parentTemplates"]) EXPECT_EQ(t.size(), 2u) << t.dump();
    for (const auto& g : h["hostgroups"]) {
      EXPECT_EQ(g["name"], "Group " + g["groupid"].get<std::string>());
    }
    for (const auto& i : h["interfaces"]) {
      for (const auto& field :
           {"interfaceid", "hostid", "type", "main", "useip", "ip", "dns", "port"}) {
        EXPECT_TRUE(i.contains(field)) << field;
      }
      EXPECT_EQ(i["hostid"], h["hostid"]);
    }
    // Interface details are [] or an object; inventory [] while disabled: the rest are strings.
    json scalars = h;
    for (auto& i : scalars["interfaces"]) i.erase("details");
    if (scalars["inventory"].is_array()) scalars.erase("inventory");
    expect_all_strings(scalars);
  }
  // One call for many hosts by id, with a field list: hostid always comes.
  json by_id =
      result_of(fake, "host.get",
                {{"hostids", {hosts[0]["hostid"], hosts[1]["hostid"]}}, {"output", {"name"}}});
  ASSERT_EQ(by_id.size(), 2u);
  EXPECT_EQ(by_id[0].size(), 2u);
  EXPECT_TRUE(by_id[0].contains("hostid"));
  EXPECT_TRUE(by_id[0].contains("name"));
  // A single scalar works as a list of one.
  EXPECT_EQ(result_of(fake, "host.get", {{"filter", {{"host", names[1]}}}}).size(),
            missing.contains(names[1]) ? 0u : 1u);
}

TEST(FakeZabbixHostGet, FieldNamesPerVersion) {
  FakeZabbix fake({.version = "6.4.10", .hosts = 3});
  json old = result_of(fake, "host.get", {{"output", "extend"}, {"selectGroups", "extend"}})[0];
  EXPECT_TRUE(old.contains("proxy_hostid"));
  EXPECT_FALSE(old.contains("proxyid"));
  EXPECT_FALSE(old.contains("monitored_by"));
  EXPECT_FALSE(old.contains("proxy_groupid"));
  EXPECT_TRUE(old.contains("groups"));
  expect_all_strings(old);

  fake.set_version("7.0.0");
  json now = result_of(fake, "host.get", {{"output", "extend"}, {"selectGroups", "extend"}})[0];
  EXPECT_FALSE(now.contains("proxy_hostid"));
  EXPECT_EQ(now["proxyid"], "0");
  EXPECT_EQ(now["monitored_by"], "0");
  EXPECT_EQ(now["proxy_groupid"], "0");
  EXPECT_TRUE(now.contains("groups"));  // deprecated in 7.0, still there
  EXPECT_EQ(now["groups"],
            result_of(fake, "host.get", {{"selectHostGroups", "extend"}})[0]["hostgroups"]);
}

TEST(FakeZabbixHostGet, SelectGroupsRemovedIn72) {
  FakeZabbix fake({.version = "7.2.0", .hosts = 2});
  // As real 7.2+: ignored, the result has no "groups".
  json hosts = result_of(fake, "host.get", {{"selectGroups", "extend"}});
  ASSERT_EQ(hosts.size(), 2u);
  EXPECT_FALSE(hosts[0].contains("groups"));
  // Unknown parameters are ignored as well...
  EXPECT_EQ(result_of(fake, "host.get", {{"outptu", "extend"}}).size(), 2u);

  // ...unless strict_params asks for loud errors.
  FakeZabbix strict({.version = "7.2.0", .hosts = 2, .strict_params = true});
  expect_error(rpc(strict, "host.get", {{"selectGroups", "extend"}}), -32602,
               "Invalid parameter \"/\": unexpected parameter \"selectGroups\".");
  expect_error(rpc(strict, "host.get", {{"xyz", 1}}), -32602,
               "Invalid parameter \"/\": unexpected parameter \"xyz\".");
  FakeZabbix strict70({.version = "7.0.0", .hosts = 2, .strict_params = true});
  EXPECT_TRUE(result_of(strict70, "host.get", {{"selectGroups", "extend"}})[0].contains("groups"));
}

TEST(FakeZabbixHostGet, ValidatedSelectsSortLimitCount) {
  FakeZabbix fake({.hosts = 20});
  expect_error(rpc(fake, "host.get", {{"selectTags", {"tag", "colour"}}}), -32602,
               "Invalid parameter \"/selectTags/2\": value must be one of \"tag\", \"value\", "
               "\"automatic\".");
  expect_error(rpc(fake, "host.get", {{"sortfield", "ip"}}), -32602,
               "Sorting by field \"ip\" not allowed.");
  json sorted =
      result_of(fake, "host.get",
                {{"output", {"host"}}, {"sortfield", "host"}, {"sortorder", "DESC"}, {"limit", 3}});
  ASSERT_EQ(sorted.size(), 3u);
  EXPECT_EQ(sorted[0]["host"], "host-000019");
  EXPECT_EQ(sorted[2]["host"], "host-000017");
  EXPECT_EQ(result_of(fake, "host.get", {{"countOutput", true}}), "20");
  json keyed = result_of(fake, "host.get",
                         {{"output", {"host"}}, {"preservekeys", true}, {"hostids", {"10003"}}});
  EXPECT_EQ(keyed["10003"]["host"], "host-000003");
  EXPECT_EQ(result_of(fake, "host.get", {{"hostids", {"1"}}, {"preservekeys", true}}),
            json::array());
  json counted = result_of(fake, "host.get", {{"hostids", "10000"}, {"selectInterfaces", "count"}});
  EXPECT_TRUE(counted[0]["interfaces"].is_string());
  // Filters on other columns and on interfaces.
  EXPECT_EQ(result_of(fake, "host.get", {{"filter", {{"ip", "10.0.0.3"}}}})[0]["host"],
            "host-000002");
  EXPECT_EQ(result_of(fake, "host.get", {{"filter", {{"status", 1}}}}).size(), 0u);
  expect_error(rpc(fake, "host.get", {{"search", {{"host", "host-"}}}}), -32603,
               "fake-zabbix does not implement host.get \"search\".");
}

// ---------------------------------------------------------------------------------------
// The generated inventory

TEST(FakeZabbixInventory, DriftAndMissingMatchTheDesiredConfigs) {
  FakeZabbix fake({.hosts = 300, .drift = 0.1, .missing = 0.05, .seed = 42});
  json desired = fake.desired_host_configs();
  ASSERT_EQ(desired.size(), 300u);
  EXPECT_EQ(desired[1]["host"], "host-000001");
  EXPECT_EQ(desired[1]["name"], "Host 000001");
  EXPECT_EQ(desired[1]["description"], "generated");
  EXPECT_EQ(desired[1]["tags"][0], (json{{"tag", "site"}, {"value", "site-1"}}));
  auto missing = fake.missing_hosts();
  auto drifted = fake.drifted();
  EXPECT_EQ(missing.size(), 15u);
  EXPECT_EQ(drifted.size(), 30u);
  EXPECT_EQ(fake.host_count(), 285u);
  std::set<std::string> missing_set(missing.begin(), missing.end());
  std::map<std::string, std::string> drift_of;
  for (const auto& d : drifted) {
    EXPECT_FALSE(missing_set.contains(d.host)) << d.host;
    drift_of[d.host] = d.field;
  }
  std::set<std::string> kinds;
  for (const auto& d : drifted) kinds.insert(d.field);
  EXPECT_EQ(kinds.size(), 9u);

  std::vector<std::string> names;
  for (const auto& config : desired) names.push_back(config["host"]);
  json hosts = result_of(fake, "host.get", names_filter(names));
  ASSERT_EQ(hosts.size(), 285u);
  std::map<std::string, json> zabbix;
  for (const auto& h : hosts) zabbix[h["host"]] = to_desired(h);

  for (const auto& config : desired) {
    std::string name = config["host"];
    if (missing_set.contains(name)) {
      EXPECT_FALSE(zabbix.contains(name)) << name;
      continue;
    }
    ASSERT_TRUE(zabbix.contains(name)) << name;
    const json& actual = zabbix[name];
    std::string field = drift_of.contains(name) ? drift_of[name] : "";
    for (const auto& item : config.items()) {
      const std::string& key = item.key();
      bool drifts = key == field || (field == "monitored_by" && key == "proxyid");
      if (drifts) {
        EXPECT_NE(actual[key], item.value()) << name << " " << key;
      } else {
        EXPECT_EQ(actual[key], item.value()) << name << " " << key;
      }
    }
  }
}

TEST(FakeZabbixInventory, DeterministicFromTheSeed) {
  FakeZabbix a({.hosts = 100, .drift = 0.2, .missing = 0.1, .seed = 7});
  FakeZabbix b({.hosts = 100, .drift = 0.2, .missing = 0.1, .seed = 7});
  FakeZabbix c({.hosts = 100, .drift = 0.2, .missing = 0.1, .seed = 8});
  EXPECT_EQ(a.desired_host_configs(), b.desired_host_configs());
  EXPECT_EQ(a.drifted(), b.drifted());
  EXPECT_EQ(a.missing_hosts(), b.missing_hosts());
  EXPECT_EQ(a.host_by_name("host-000050"), b.host_by_name("host-000050"));
  EXPECT_NE(a.missing_hosts(), c.missing_hosts());
}

TEST(FakeZabbixInventory, WriteDesired) {
  TempDir dir("fake-zabbix");
  FakeZabbix fake({.hosts = 5});
  fake.write_desired(dir.file("desired.json"));
  json document = json::parse(read_file(dir.file("desired.json")));
  ASSERT_TRUE(document.contains("host_configs"));
  EXPECT_EQ(document["host_configs"], fake.desired_host_configs());
  const json& config = document["host_configs"][0];
  for (const auto& key :
       {"host", "name", "status", "description", "monitored_by", "proxyid", "proxy_groupid",
        "inventory_mode", "groups", "templates", "tags", "interfaces"}) {
    EXPECT_TRUE(config.contains(key)) << key;
  }
  EXPECT_EQ(config["interfaces"][0]["type"], "agent");
  EXPECT_EQ(config["interfaces"][0]["main"], true);
  EXPECT_EQ(config["interfaces"][0]["port"], "10050");
}

TEST(FakeZabbixInventory, AddHostAndHostByName) {
  FakeZabbix fake;
  std::string id =
      fake.add_host({{"host", "custom"},
                     {"status", 1},
                     {"monitored_by", 1},
                     {"proxyid", "4"},
                     {"groups", {{{"groupid", "7"}}}},
                     {"interfaces", {{{"type", 2}, {"ip", "1.2.3.4"}, {"port", "161"}}}}});
  auto host = fake.host_by_name("custom");
  ASSERT_TRUE(host.has_value());
  EXPECT_EQ((*host)["hostid"], id);
  EXPECT_EQ((*host)["name"], "custom");
  EXPECT_EQ((*host)["status"], "1");
  EXPECT_EQ((*host)["proxyid"], "4");
  EXPECT_EQ((*host)["hostgroups"][0]["name"], "Group 7");
  EXPECT_EQ((*host)["interfaces"][0]["details"]["version"], "2");
  EXPECT_FALSE(fake.host_by_name("nope").has_value());
  EXPECT_THROW(fake.add_host({{"host", "custom"}}), std::invalid_argument);
  fake.set_version("6.4.0");
  EXPECT_EQ(fake.host_by_name("custom").value()["proxy_hostid"], "4");
}

// ---------------------------------------------------------------------------------------
// host.create / update / delete

TEST(FakeZabbixHostWrite, CreateUpdateDelete) {
  FakeZabbix fake({.hosts = 3});
  json created = result_of(fake, "host.create", new_host("new-one"));
  ASSERT_EQ(created["hostids"].size(), 1u);
  std::string id = created["hostids"][0];
  json got = result_of(fake, "host.get", names_filter({"new-one"}));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]["hostid"], id);
  EXPECT_EQ(got[0]["name"], "new-one visible");
  EXPECT_EQ(got[0]["hostgroups"][0]["groupid"], "3");
  EXPECT_EQ(got[0]["parentTemplates"][0]["templateid"], "10005");
  EXPECT_EQ(got[0]["interfaces"][0]["ip"], "10.9.9.9");

  expect_error(rpc(fake, "host.create", new_host("new-one")), -32602,
               "Host with the same name \"new-one\" already exists.");
  json same_visible = new_host("new-two");
  same_visible["name"] = "Host 000001";
  expect_error(rpc(fake, "host.create", same_visible), -32602,
               "Host with the same visible name \"Host 000001\" already exists.");
  json no_groups = new_host("new-three");
  no_groups.erase("groups");
  expect_error(rpc(fake, "host.create", no_groups), -32602,
               "Invalid parameter \"/1\": the parameter \"groups\" is missing.");
  json bad_group = new_host("new-three");
  bad_group["groups"] = {{{"groupid", "999"}}};
  expect_error(rpc(fake, "host.create", bad_group), -32500,
               "Invalid parameter \"/1/groups/1\": object does not exist, or you have no "
               "permissions to it.");
  json named_group = new_host("new-three");
  named_group["groups"] = {{{"groupid", "1"}, {"name", "Group 1"}}};
  expect_error(rpc(fake, "host.create", named_group), -32602,
               "Invalid parameter \"/1/groups/1\": unexpected parameter \"name\".");
  json bad_template = new_host("new-three");
  bad_template["templates"] = {{{"templateid", "5"}}};
  expect_error(rpc(fake, "host.create", bad_template), -32500,
               "Invalid parameter \"/1/templates/1\": object does not exist, or you have no "
               "permissions to it.");
  json bool_main = new_host("new-three");
  bool_main["interfaces"][0]["main"] = true;
  expect_error(rpc(fake, "host.create", bool_main), -32602,
               "Invalid parameter \"/1/interfaces/1/main\": an integer is expected.");
  json old_proxy = new_host("new-three");
  old_proxy["proxy_hostid"] = "0";
  expect_error(rpc(fake, "host.create", old_proxy), -32602,
               "Invalid parameter \"/1\": unexpected parameter \"proxy_hostid\".");

  json update = {{"hostid", id},
                 {"status", 1},
                 {"groups", {{{"groupid", "4"}}, {{"groupid", "5"}}}},
                 {"tags", json::array()},
                 {"monitored_by", 1},
                 {"proxyid", "2"}};
  EXPECT_EQ(result_of(fake, "host.update", update)["hostids"], json::array({id}));
  json after = fake.host_by_name("new-one").value();
  EXPECT_EQ(after["status"], "1");
  EXPECT_EQ(after["hostgroups"].size(), 2u);
  EXPECT_EQ(after["tags"], json::array());
  EXPECT_EQ(after["proxyid"], "2");
  EXPECT_EQ(after["parentTemplates"].size(), 1u);  // not given: unchanged
  expect_error(rpc(fake, "host.update", {{"hostid", "424242"}, {"status", 0}}), -32500,
               "No permissions to referred object or it does not exist!");
  expect_error(rpc(fake, "host.update", {{"hostid", id}, {"host", "host-000001"}}), -32602,
               "Host with the same name \"host-000001\" already exists.");
  expect_error(rpc(fake, "host.update", {{"hostid", id}, {"monitored_by", 1}, {"proxyid", "77"}}),
               -32500,
               "Invalid parameter \"/1/proxyid\": object does not exist, or you have no "
               "permissions to it.");
  // Renaming the host without a visible name renames the visible name too.
  result_of(fake, "host.update", {{"hostid", id}, {"host", "renamed"}});
  EXPECT_EQ(fake.host_by_name("renamed").value()["name"], "renamed");

  EXPECT_EQ(result_of(fake, "host.delete", {id})["hostids"], json::array({id}));
  EXPECT_FALSE(fake.host_by_name("renamed").has_value());
  EXPECT_EQ(fake.host_count(), 3u);
  expect_error(rpc(fake, "host.delete", {id}), -32500,
               "No permissions to referred object or it does not exist!");
  expect_error(rpc(fake, "host.delete", json::array()), -32602,
               "Invalid parameter \"/\": cannot be empty.");
}

TEST(FakeZabbixHostWrite, Version64Rules) {
  FakeZabbix fake({.version = "6.4.0"});
  json host = new_host("old-style");
  host["proxy_hostid"] = "3";
  std::string id = result_of(fake, "host.create", host)["hostids"][0];
  EXPECT_EQ(fake.host_by_name("old-style").value()["proxy_hostid"], "3");
  json bad_group = new_host("old-style-2");
  bad_group["groups"] = {{{"groupid", "999"}}};
  expect_error(rpc(fake, "host.create", bad_group), -32500,
               "No permissions to referred object or it does not exist!");
  expect_error(rpc(fake, "host.update", {{"hostid", id}, {"monitored_by", 1}}), -32602,
               "Invalid parameter \"/1\": unexpected parameter \"monitored_by\".");
}

TEST(FakeZabbixHostWrite, HostgroupAndTemplateGet) {
  FakeZabbix fake({.hosts = 2});
  json groups = result_of(fake, "hostgroup.get", {{"output", {"groupid", "name"}}});
  ASSERT_EQ(groups.size(), 50u);
  EXPECT_EQ(groups[0], (json{{"groupid", "1"}, {"name", "Group 1"}}));
  EXPECT_EQ(result_of(fake, "hostgroup.get", {{"filter", {{"name", {"Group 9"}}}}})[0]["groupid"],
            "9");
  expect_error(rpc(fake, "hostgroup.get", {{"output", {"groupid", "hosts"}}}), -32602,
               "Invalid parameter \"/output/2\": value must be one of \"groupid\", \"name\", "
               "\"flags\", \"uuid\".");
  expect_error(rpc(fake, "hostgroup.get", {{"selectGroups", "extend"}}), -32602,
               "Invalid parameter \"/\": unexpected parameter \"selectGroups\".");
  json templates = result_of(fake, "template.get", {{"templateids", {"10001", "10100", "5"}}});
  ASSERT_EQ(templates.size(), 2u);
  EXPECT_EQ(templates[1]["name"], "Template 100");
  json linked = result_of(fake, "template.get", {{"hostids", {"10000"}}});
  EXPECT_EQ(linked.size(), fake.host_by_name("host-000000").value()["parentTemplates"].size());
}

// ---------------------------------------------------------------------------------------
// Injected failures, knobs, counters

TEST(FakeZabbixFailures, EachKind) {
  FakeZabbix fake({.hosts = 1, .hang_for = 3000ms});
  json body = request("host.get", {{"output", {"host"}}});

  fake.fail_next(FailureKind::http_500);
  HttpAnswer failed = post(fake, body, "fake-token");
  EXPECT_EQ(failed.code, CURLE_OK);
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(post(fake, body, "fake-token").status, 200);  // one only

  fake.fail_next(FailureKind::malformed_json);
  HttpAnswer malformed = post(fake, body, "fake-token");
  EXPECT_EQ(malformed.status, 200);
  EXPECT_FALSE(json::accept(malformed.body)) << malformed.body;

  fake.fail_next(FailureKind::close_connection);
  EXPECT_EQ(post(fake, body, "fake-token").code, CURLE_GOT_NOTHING);

  fake.fail_next(FailureKind::hang);
  HttpCall hanging{fake.url(), body.dump()};
  hanging.headers.push_back("Authorization: Bearer fake-token");
  hanging.timeout_ms = 300;
  HttpAnswer hung = send(hanging);
  EXPECT_EQ(hung.code, CURLE_OPERATION_TIMEDOUT);

  fake.fail_next(FailureKind::rpc_error, 2);
  for (int i = 0; i < 2; ++i) {
    json response = post(fake, body, "fake-token").parsed();
    expect_error(response, -32500, "System error occurred. Please contact Zabbix administrator.");
    EXPECT_EQ(response["id"], 1);
  }
  EXPECT_TRUE(post(fake, body, "fake-token").parsed().contains("result"));
  EXPECT_EQ(fake.calls("host.get"), 2u);  // the failed requests ran no call
  EXPECT_EQ(fake.requests(), 8u);
}

// A rate-limiting proxy in front of the frontend: 429 with its Retry-After, no call runs.
TEST(FakeZabbixFailures, TooManyRequestsWithRetryAfter) {
  FakeZabbix fake({.hosts = 1, .retry_after = 50ms});
  json body = request("host.get", {{"output", {"host"}}});
  fake.fail_next(FailureKind::too_many_requests, 2, "host.get");
  for (int i = 0; i < 2; ++i) {
    HttpAnswer throttled = post(fake, body, "fake-token");
    EXPECT_EQ(throttled.status, 429);
    EXPECT_EQ(throttled.header("retry-after"), "0.050");
    EXPECT_NE(throttled.body.find("429 Too Many Requests"), std::string::npos) << throttled.body;
  }
  EXPECT_EQ(post(fake, body, "fake-token").status, 200);
  EXPECT_EQ(fake.requests(), 3u);
  EXPECT_EQ(fake.calls("host.get"), 1u) << "throttled requests ran no call";
  EXPECT_EQ(to_string(FailureKind::too_many_requests), "too_many_requests");

  FakeZabbix whole_seconds;
  whole_seconds.fail_next(FailureKind::too_many_requests);
  EXPECT_EQ(post(whole_seconds, body, "fake-token").header("retry-after"), "1");
}

TEST(FakeZabbixFailures, OnlyForOneMethodAndAfterNRequests) {
  FakeZabbix fake({.hosts = 1});
  fake.fail_next(FailureKind::http_500, 1, "host.get");
  EXPECT_EQ(post(fake, request("apiinfo.version", json::array())).status, 200);
  EXPECT_EQ(post(fake, request("host.get", json::object()), "fake-token").status, 500);
  EXPECT_EQ(post(fake, request("host.get", json::object()), "fake-token").status, 200);

  fake.fail_after(2, FailureKind::http_500, 2);
  std::vector<long> statuses;
  for (int i = 0; i < 5; ++i) {
    statuses.push_back(post(fake, request("apiinfo.version", json::array())).status);
  }
  EXPECT_EQ(statuses, (std::vector<long>{200, 200, 500, 500, 200}));
}

TEST(FakeZabbixKnobs, LatencyAndConcurrency) {
  FakeZabbix fake({.latency = 250ms});
  HttpAnswer slow = post(fake, request("apiinfo.version", json::array()));
  EXPECT_EQ(slow.status, 200);
  EXPECT_GE(slow.elapsed, 250ms);

  // Delays do not hold the server's threads: four clients at once overlap.
  fake.set_latency(500ms);
  fake.reset_counters();
  std::vector<std::thread> clients;
  for (int i = 0; i < 4; ++i) {
    clients.emplace_back([&] { post(fake, request("apiinfo.version", json::array())); });
  }
  for (auto& client : clients) client.join();
  EXPECT_GE(fake.max_in_flight(), 3u);
  EXPECT_EQ(fake.requests(), 4u);

  fake.set_latency(0ms);
  EXPECT_LT(post(fake, request("apiinfo.version", json::array())).elapsed, 200ms);
}

TEST(FakeZabbixKnobs, Counters) {
  FakeZabbix fake({.hosts = 10});
  result_of(fake, "host.get", {{"output", {"host"}}});
  result_of(fake, "host.get", {{"hostids", {"10001", "10002"}}});
  rpc(fake, "apiinfo.version", json::array(), "");
  EXPECT_EQ(fake.requests(), 3u);
  EXPECT_EQ(fake.calls("host.get"), 2u);
  EXPECT_EQ(fake.calls("apiinfo.version"), 1u);
  EXPECT_EQ(fake.calls(), 3u);
  EXPECT_EQ(fake.hosts_returned(), 12u);
  auto last = fake.last_request();
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->method, "POST");
  EXPECT_EQ(last->path, "/api_jsonrpc.php");
  EXPECT_EQ(last->header("content-type"), "application/json-rpc");
  EXPECT_FALSE(last->has_header("authorization"));
  EXPECT_EQ(json::parse(last->body)["method"], "apiinfo.version");
  fake.reset_counters();
  EXPECT_EQ(fake.requests(), 0u);
  EXPECT_FALSE(fake.last_request().has_value());
}

TEST(FakeZabbixKnobs, Tls) {
  const TestCertificates& certs = shared_test_certificates();
  FakeZabbix fake({.hosts = 1, .tls = certs.server_tls()});
  ASSERT_EQ(fake.url().rfind("https://127.0.0.1:", 0), 0u) << fake.url();
  HttpCall call{fake.url(), request("host.get", json::object()).dump()};
  call.headers.push_back("Authorization: Bearer fake-token");
  call.ca_file = certs.ca_cert_file.string();
  HttpAnswer answer = send(call);
  ASSERT_EQ(answer.code, CURLE_OK);
  EXPECT_EQ(answer.parsed()["result"].size(), 1u);
}

// ---------------------------------------------------------------------------------------
// Size and speed (generous bounds; the figures go to the log)

TEST(FakeZabbixScale, HundredThousandHostsAndThousandHostQueries) {
  auto start = std::chrono::steady_clock::now();
  FakeZabbix fake({.hosts = 100000, .drift = 0.05, .missing = 0.01});
  auto built = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  EXPECT_EQ(fake.host_count(), 99000u);
  std::vector<std::string> names;
  for (int i = 0; i < 1000; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "host-%06d", i * 97);
    names.push_back(name);
  }
  std::string body = request("host.get", names_filter(names)).dump();
  HttpCall call{fake.url(), body};
  call.headers.push_back("Authorization: Bearer fake-token");
  send(call);  // warm up the connection path
  std::chrono::milliseconds best{1'000'000};
  std::size_t returned = 0;
  for (int round = 0; round < 5; ++round) {
    HttpAnswer answer = send(call);
    ASSERT_EQ(answer.status, 200);
    best = std::min(best, answer.elapsed);
    returned = answer.parsed()["result"].size();
  }
  std::printf(
      "[ fake-zabbix ] 100000 hosts built in %lld ms; host.get of 1000 names with every "
      "select: best %lld ms round trip, %zu hosts\n",
      static_cast<long long>(built.count()), static_cast<long long>(best.count()), returned);
  EXPECT_GT(returned, 950u);
  EXPECT_LT(built, 5000ms);
  EXPECT_LT(best, 500ms);
}

// ---------------------------------------------------------------------------------------
// The program

std::string program() {
  return std::string(JOBHOST_BINARY_DIR) + "/bin/fake-zabbix";
}

TEST(FakeZabbixProgram, ServesUntilSigterm) {
  TempDir dir("fake-zabbix");
  Process process = Process::spawn(
      ProcessOptions{.argv = {program(), "--hosts", "20", "--drift", "0.1", "--version", "7.2.1",
                              "--write-desired", dir.file("desired.json").string()}});
  ASSERT_TRUE(process.wait_for_output("listening on", 20s)) << process.err();
  std::string line = process.out();
  auto at = line.find("http://");
  ASSERT_NE(at, std::string::npos) << line;
  std::string url = line.substr(at, line.find(' ', at) - at);
  EXPECT_NE(line.find("(version 7.2.1, 20 hosts)"), std::string::npos) << line;
  HttpAnswer answer = send(HttpCall{url, request("apiinfo.version", json::array()).dump()});
  EXPECT_EQ(answer.parsed()["result"], "7.2.1");
  EXPECT_EQ(json::parse(read_file(dir.file("desired.json")))["host_configs"].size(), 20u);
  process.kill(SIGTERM);
  auto status = process.wait(20s);
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(status->success()) << status->describe();
}

TEST(FakeZabbixProgram, BadOptionsExit2) {
  RunResult bad_number = run_process({program(), "--hosts", "many"});
  EXPECT_EQ(bad_number.exit_code, 2);
  EXPECT_NE(bad_number.err.find("--hosts"), std::string::npos) << bad_number.err;
  RunResult unknown = run_process({program(), "--colour", "blue"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("--colour"), std::string::npos) << unknown.err;
  RunResult fraction = run_process({program(), "--drift", "1.5"});
  EXPECT_EQ(fraction.exit_code, 2);
  EXPECT_NE(fraction.err.find("--drift"), std::string::npos) << fraction.err;
  RunResult help = run_process({program(), "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--write-desired"), std::string::npos);
}

}  // namespace
}  // namespace jobhost::testing
