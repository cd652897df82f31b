// Transport failures: each ends as ok=false with the right kind, in bounded time.
#include <gtest/gtest.h>

#include <atomic>
#include <string>

#include "echo_handler.h"
#include "services/http/http_client.h"
#include "support/http_test_server.h"

namespace jobhost::http {
namespace {

using namespace std::chrono_literals;
using testing::echo_request;
using testing::HttpTestServer;
using testing::Stopwatch;
using testing::TestRequest;
using testing::TestResponse;

// A port that refuses connections: a server's, once it has stopped.
std::uint16_t closed_port() {
  HttpTestServer server(echo_request);
  server.stop();
  return server.port();
}

TEST(HttpClientFailure, ConnectionRefusedIsKindConnect) {
  std::uint16_t port = closed_port();
  HttpClient client;
  Outcome outcome =
      client.perform(Request{.url = "http://127.0.0.1:" + std::to_string(port) + "/"});

  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.kind, ErrorKind::connect);
  // curl's words, with the milliseconds it took in the middle.
  std::string prefix = "Failed to connect to 127.0.0.1 port " + std::to_string(port) + " after ";
  EXPECT_EQ(outcome.error.rfind(prefix, 0), 0u) << outcome.error;
  EXPECT_TRUE(outcome.error.ends_with(" ms: Couldn't connect to server")) << outcome.error;
  EXPECT_EQ(outcome.response.status, 0);
  EXPECT_EQ(client.stats().failures, 1u);
}

TEST(HttpClientFailure, TotalTimeoutIsKindTimeoutAndEndsOnTime) {
  HttpTestServer server([](const TestRequest&) {
    TestResponse response = TestResponse::text("too late");
    response.delay = 5s;
    return response;
  });
  HttpClient client;
  Request request{.url = server.base_url() + "/slow"};
  request.total_timeout = 300ms;

  Stopwatch stopwatch;
  Outcome outcome = client.perform(request);
  auto elapsed = stopwatch.elapsed();

  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.kind, ErrorKind::timeout);
  EXPECT_EQ(outcome.error.rfind("Operation timed out after 3", 0), 0u) << outcome.error;
  EXPECT_NE(outcome.error.find(" milliseconds with 0 bytes received"), std::string::npos)
      << outcome.error;
  EXPECT_GE(elapsed, 290ms);
  EXPECT_LT(elapsed, 800ms);
  EXPECT_EQ(server.requests_served(), 1u);
}

TEST(HttpClientFailure, CancellationAbortsASlowRequestQuickly) {
  HttpTestServer server([](const TestRequest&) {
    TestResponse response = TestResponse::text("never seen");
    response.delay = 10s;
    return response;
  });
  HttpClient client;
  Stopwatch stopwatch;
  std::atomic<int> polls{0};
  auto cancelled = [&] {
    ++polls;
    return stopwatch.elapsed() >= 200ms;
  };

  Outcome outcome = client.perform(Request{.url = server.base_url() + "/slow"}, cancelled);
  auto elapsed = stopwatch.elapsed();

  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.kind, ErrorKind::cancelled);
  EXPECT_EQ(outcome.error, "cancelled");
  EXPECT_GE(elapsed, 200ms);
  EXPECT_LT(elapsed, 400ms);  // polled at least every 100 ms
  EXPECT_GE(polls.load(), 3);
  EXPECT_EQ(server.requests_served(), 1u);
  EXPECT_EQ(client.stats().failures, 1u);
}

TEST(HttpClientFailure, AlreadyCancelledSendsNothing) {
  HttpTestServer server(echo_request);
  HttpClient client;
  Outcome outcome = client.perform(Request{.url = server.base_url() + "/"}, [] { return true; });
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.kind, ErrorKind::cancelled);
  EXPECT_EQ(outcome.error, "cancelled");
  EXPECT_EQ(server.connections_accepted(), 0u);
}

TEST(HttpClientFailure, ConnectionClosedWithoutResponseIsKindOther) {
  HttpTestServer server([](const TestRequest&) {
    TestResponse response;
    response.close_without_response = true;
    return response;
  });
  HttpClient client;
  Outcome outcome = client.perform(Request{.url = server.base_url() + "/crash"});

  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.kind, ErrorKind::other);
  EXPECT_EQ(outcome.error, "Empty reply from server");
  EXPECT_EQ(outcome.response.status, 0);
}

TEST(HttpClientFailure, AfterAFailureTheNextRequestWorks) {
  std::atomic<int> calls{0};
  HttpTestServer server([&](const TestRequest&) {
    TestResponse response = TestResponse::text("fine");
    response.close_without_response = calls++ == 0;
    return response;
  });
  HttpClient client;
  Outcome first = client.perform(Request{.url = server.base_url() + "/"});
  Outcome second = client.perform(Request{.url = server.base_url() + "/"});
  EXPECT_FALSE(first.ok);
  ASSERT_TRUE(second.ok) << second.error;
  EXPECT_EQ(second.response.body, "fine");
  EXPECT_EQ(server.connections_accepted(), 2u);
}

}  // namespace
}  // namespace jobhost::http
