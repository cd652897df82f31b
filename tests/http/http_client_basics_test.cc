// Round trips through the plugins' HTTP client: methods, headers, bodies, statuses, stats.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "echo_handler.h"
#include "services/http/http_client.h"
#include "support/http_test_server.h"

namespace jobhost::http {
namespace {

using testing::echo_request;
using testing::HttpTestServer;
using testing::TestRequest;
using testing::TestResponse;

TEST(HttpClientBasics, GetSendsHeadersAndReturnsStatusHeadersBody) {
  HttpTestServer server(echo_request);
  HttpClient client;
  Request request;
  request.url = server.base_url() + "/api/v1/organizations?perPage=3&x=a%20b";
  request.headers = {{"Authorization", "Bearer secret-token"}, {"X-Empty", ""}};

  Outcome outcome = client.perform(request);

  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(outcome.kind, ErrorKind::none);
  EXPECT_EQ(outcome.error, "");
  EXPECT_EQ(outcome.response.status, 200);
  EXPECT_EQ(outcome.response.header("Content-Type"), "application/json");
  EXPECT_EQ(outcome.response.effective_url, request.url);
  EXPECT_GT(outcome.response.seconds, 0.0);
  auto echoed = nlohmann::json::parse(outcome.response.body);
  EXPECT_EQ(echoed["method"], "GET");
  EXPECT_EQ(echoed["target"], "/api/v1/organizations?perPage=3&x=a%20b");
  EXPECT_EQ(echoed["headers"]["authorization"], "Bearer secret-token");
  EXPECT_EQ(echoed["headers"]["x-empty"], "");
  EXPECT_EQ(echoed["headers"]["user-agent"], "jobhost/" JOBHOST_VERSION);
  EXPECT_EQ(echoed["headers"].count("expect"), 0u);
  EXPECT_EQ(echoed["body"], "");
}

TEST(HttpClientBasics, PostSendsBodyAndContentType) {
  HttpTestServer server(echo_request);
  HttpClient client;
  Request request;
  request.method = "POST";
  request.url = server.base_url() + "/api_jsonrpc.php";
  request.headers = {{"Content-Type", "application/json-rpc"}};
  request.body = R"({"jsonrpc":"2.0","method":"apiinfo.version","params":{},"id":1})";

  Outcome outcome = client.perform(request);

  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(outcome.response.status, 200);
  auto echoed = nlohmann::json::parse(outcome.response.body);
  EXPECT_EQ(echoed["method"], "POST");
  EXPECT_EQ(echoed["headers"]["content-type"], "application/json-rpc");
  EXPECT_EQ(echoed["headers"]["content-length"], std::to_string(request.body.size()));
  EXPECT_EQ(echoed["body"], request.body);
}

TEST(HttpClientBasics, OtherMethodsKeepTheirNameAndBody) {
  HttpTestServer server(echo_request);
  HttpClient client;
  for (const char* method : {"PUT", "PATCH", "DELETE"}) {
    Request request;
    request.method = method;
    request.url = server.base_url() + "/things/1";
    request.body = std::string("body of ") + method;
    Outcome outcome = client.perform(request);
    ASSERT_TRUE(outcome.ok) << method << ": " << outcome.error;
    auto echoed = nlohmann::json::parse(outcome.response.body);
    EXPECT_EQ(echoed["method"], method);
    EXPECT_EQ(echoed["body"], request.body);
  }
  Request empty_put;
  empty_put.method = "PUT";
  empty_put.url = server.base_url() + "/things/2";
  Outcome outcome = client.perform(empty_put);
  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(nlohmann::json::parse(outcome.response.body)["headers"]["content-length"], "0");
}

TEST(HttpClientBasics, HeadGetsHeadersButNoBody) {
  HttpTestServer server([](const TestRequest&) { return TestResponse::text("twelve bytes"); });
  HttpClient client;
  Request request;
  request.method = "HEAD";
  request.url = server.base_url() + "/";
  Outcome outcome = client.perform(request);
  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(outcome.response.status, 200);
  EXPECT_EQ(outcome.response.header("content-length"), "12");
  EXPECT_EQ(outcome.response.body, "");
}

TEST(HttpClientBasics, LargeBodiesBothWays) {
  // Several MB, not a repeating byte, so a dropped or reordered chunk shows.
  std::string big;
  big.reserve(6 * 1024 * 1024);
  for (std::size_t i = 0; big.size() < 6 * 1024 * 1024; ++i) big += std::to_string(i) + ',';
  HttpTestServer server([](const TestRequest& request) {
    TestResponse response = TestResponse::text(request.body + request.body);
    return response;
  });
  HttpClient client;
  Request request;
  request.method = "POST";
  request.url = server.base_url() + "/double";
  request.body = big;

  Outcome outcome = client.perform(request);

  ASSERT_TRUE(outcome.ok) << outcome.error;
  ASSERT_EQ(outcome.response.body.size(), 2 * big.size());
  EXPECT_TRUE(outcome.response.body == big + big);
  EXPECT_EQ(client.stats().bytes_sent, big.size());
  EXPECT_EQ(client.stats().bytes_received, 2 * big.size());
}

TEST(HttpClientBasics, ResponseHeadersAreParsedTrimmedAndCaseInsensitive) {
  HttpTestServer server([](const TestRequest&) {
    return TestResponse::json("[]")
        .with_header("X-Request-Id", "  abc-123  ")
        .with_header("link", "<https://a/next>; rel=next")
        .with_header("Link", "<https://a/last>; rel=last")
        .with_header("Retry-After", "7");
  });
  HttpClient client;
  Outcome outcome = client.perform(Request{.url = server.base_url() + "/"});

  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(outcome.response.header("x-request-id"), "abc-123");
  EXPECT_EQ(outcome.response.header("X-REQUEST-ID"), "abc-123");
  EXPECT_EQ(outcome.response.header("retry-after"), "7");
  EXPECT_EQ(outcome.response.header("LINK"), "<https://a/next>; rel=next");  // the first one
  EXPECT_EQ(outcome.response.header("X-Missing"), std::nullopt);
  int links = 0;
  for (const Header& header : outcome.response.headers)
    links += header.name == "link" || header.name == "Link";
  EXPECT_EQ(links, 2);
}

TEST(HttpClientBasics, ErrorStatusesAreOkOutcomes) {
  HttpTestServer server([](const TestRequest& request) {
    if (request.path == "/limited") {
      return TestResponse::json(R"({"errors":["API rate limit exceeded for organization"]})", 429)
          .with_header("Retry-After", "2");
    }
    return TestResponse::json(R"({"errors":["Not found"]})", 404);
  });
  HttpClient client;

  Outcome limited = client.perform(Request{.url = server.base_url() + "/limited"});
  Outcome missing = client.perform(Request{.url = server.base_url() + "/missing"});

  ASSERT_TRUE(limited.ok) << limited.error;
  EXPECT_EQ(limited.kind, ErrorKind::none);
  EXPECT_EQ(limited.response.status, 429);
  EXPECT_EQ(limited.response.header("Retry-After"), "2");
  EXPECT_EQ(limited.response.body, R"({"errors":["API rate limit exceeded for organization"]})");
  ASSERT_TRUE(missing.ok) << missing.error;
  EXPECT_EQ(missing.response.status, 404);
  EXPECT_EQ(client.stats().failures, 0u);
}

TEST(HttpClientBasics, SequentialRequestsReuseOneConnection) {
  HttpTestServer server(echo_request);
  HttpClient client;
  for (int i = 0; i < 5; ++i) {
    Outcome outcome = client.perform(Request{.url = server.base_url() + "/" + std::to_string(i)});
    ASSERT_TRUE(outcome.ok) << outcome.error;
  }
  EXPECT_EQ(server.requests_served(), 5u);
  EXPECT_EQ(server.connections_accepted(), 1u);
}

TEST(HttpClientBasics, InvalidRequestsFailWithoutTouchingTheNetwork) {
  HttpTestServer server(echo_request);
  HttpClient client;
  Request injected{.url = server.base_url() + "/"};
  injected.headers = {{"X-Evil", "a\r\nX-Injected: yes"}};
  Request bad_name{.url = server.base_url() + "/"};
  bad_name.headers = {{"Authorization: Bearer secret", "x"}};
  Request bad_method{.method = "GE T", .url = server.base_url() + "/"};
  Request no_url;
  Request file_url{.url = "file:///etc/passwd"};

  Outcome injected_outcome = client.perform(injected);
  Outcome bad_name_outcome = client.perform(bad_name);
  Outcome bad_method_outcome = client.perform(bad_method);
  Outcome no_url_outcome = client.perform(no_url);
  Outcome file_outcome = client.perform(file_url);

  EXPECT_FALSE(injected_outcome.ok);
  EXPECT_EQ(injected_outcome.kind, ErrorKind::other);
  EXPECT_EQ(injected_outcome.error,
            "invalid request: the value of header X-Evil contains a line break");
  EXPECT_EQ(bad_name_outcome.error, "invalid request: a header name is not a valid token");
  EXPECT_EQ(bad_name_outcome.error.find("secret"), std::string::npos);
  EXPECT_EQ(bad_method_outcome.error, "invalid request: bad method 'GE T'");
  EXPECT_EQ(no_url_outcome.error, "invalid request: the URL is empty");
  EXPECT_FALSE(file_outcome.ok);
  EXPECT_EQ(file_outcome.kind, ErrorKind::other);
  EXPECT_EQ(server.requests_served(), 0u);
  EXPECT_EQ(client.stats().requests, 5u);
  EXPECT_EQ(client.stats().failures, 5u);
}

TEST(HttpClientBasics, StatsCountRequestsFailuresAndBodyBytes) {
  HttpTestServer server(
      [](const TestRequest& request) { return TestResponse::text("0123456789" + request.body); });
  HttpClient client;
  EXPECT_EQ(client.stats().requests, 0u);

  client.perform(Request{.method = "POST", .url = server.base_url() + "/", .body = "abc"});
  client.perform(Request{.url = server.base_url() + "/"});
  client.perform(Request{.url = "http://127.0.0.1:1/"});

  Stats stats = client.stats();
  EXPECT_EQ(stats.requests, 3u);
  EXPECT_EQ(stats.failures, 1u);
  EXPECT_EQ(stats.bytes_sent, 3u);
  EXPECT_EQ(stats.bytes_received, 13u + 10u);
}

}  // namespace
}  // namespace jobhost::http
