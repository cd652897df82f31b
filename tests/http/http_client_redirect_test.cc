// Redirects: returned as they are by default (plugins re-send auth themselves), followed
// only when asked, and then only the final response is reported.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "echo_handler.h"
#include "services/http/http_client.h"
#include "support/http_test_server.h"

namespace jobhost::http {
namespace {

using testing::HttpTestServer;
using testing::TestRequest;
using testing::TestResponse;

TestResponse redirecting(const TestRequest& request) {
  if (request.path == "/start") {
    return TestResponse::text("moved", 302)
        .with_header("Location", "/final")
        .with_header("X-Hop", "1");
  }
  if (request.path == "/loop")
    return TestResponse::text("again", 302).with_header("Location", "/loop");
  if (request.path == "/post-start") {
    return TestResponse::text("see other", 303).with_header("Location", "/final");
  }
  return testing::echo_request(request).with_header("X-Final", "yes");
}

TEST(HttpClientRedirect, NotFollowedByDefault) {
  HttpTestServer server(redirecting);
  HttpClient client;
  Request request{.url = server.base_url() + "/start"};
  request.headers = {{"Authorization", "Bearer t"}};

  Outcome outcome = client.perform(request);

  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(outcome.response.status, 302);
  EXPECT_EQ(outcome.response.header("Location"), "/final");
  EXPECT_EQ(outcome.response.header("X-Hop"), "1");
  EXPECT_EQ(outcome.response.body, "moved");
  EXPECT_EQ(outcome.response.effective_url, server.base_url() + "/start");
  EXPECT_EQ(server.requests_served(), 1u);
}

TEST(HttpClientRedirect, FollowedWhenAskedWithOnlyTheFinalHeaders) {
  HttpTestServer server(redirecting);
  HttpClient client;
  Request request{.url = server.base_url() + "/start", .max_redirects = 3};

  Outcome outcome = client.perform(request);

  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(outcome.response.status, 200);
  EXPECT_EQ(outcome.response.effective_url, server.base_url() + "/final");
  EXPECT_EQ(outcome.response.header("X-Final"), "yes");
  EXPECT_EQ(outcome.response.header("X-Hop"), std::nullopt);
  EXPECT_EQ(outcome.response.header("Location"), std::nullopt);
  EXPECT_EQ(nlohmann::json::parse(outcome.response.body)["path"], "/final");
  EXPECT_EQ(server.requests_served(), 2u);
}

TEST(HttpClientRedirect, PostBecomesGetAfterSeeOther) {
  HttpTestServer server(redirecting);
  HttpClient client;
  Request request{.method = "POST", .url = server.base_url() + "/post-start", .body = "x=1"};
  request.max_redirects = 1;

  Outcome outcome = client.perform(request);

  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(outcome.response.status, 200);
  auto echoed = nlohmann::json::parse(outcome.response.body);
  EXPECT_EQ(echoed["method"], "GET");
  EXPECT_EQ(echoed["body"], "");
}

TEST(HttpClientRedirect, TooManyRedirectsIsATransportFailure) {
  HttpTestServer server(redirecting);
  HttpClient client;
  Request request{.url = server.base_url() + "/loop", .max_redirects = 2};

  Outcome outcome = client.perform(request);

  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.kind, ErrorKind::other);
  EXPECT_EQ(outcome.error, "Maximum (2) redirects followed");
  EXPECT_EQ(server.requests_served(), 3u);
}

TEST(HttpClientRedirect, NeverToAnotherProtocol) {
  HttpTestServer server([](const TestRequest&) {
    return TestResponse::text("", 302).with_header("Location", "file:///etc/passwd");
  });
  HttpClient client;
  Outcome outcome = client.perform(Request{.url = server.base_url() + "/", .max_redirects = 5});
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.kind, ErrorKind::other);
}

}  // namespace
}  // namespace jobhost::http
