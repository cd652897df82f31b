// The test server itself: what handlers see, what clients get, keep-alive, faults, stop().
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "echo_handler.h"
#include "services/http/http_client.h"
#include "support/http_test_server.h"

namespace jobhost::testing {
namespace {

using namespace std::chrono_literals;
using http::HttpClient;
using http::Outcome;
using http::Request;

TEST(HttpTestServer, ListensOnLoopbackWithAnEphemeralPort) {
  HttpTestServer server(echo_request);
  EXPECT_GT(server.port(), 0);
  EXPECT_EQ(server.base_url(), "http://127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(server.requests_served(), 0u);
  EXPECT_EQ(server.connections_accepted(), 0u);
}

TEST(HttpTestServer, HandlerSeesMethodPathQueryHeadersAndBody) {
  TestRequest seen;
  HttpTestServer server([&](const TestRequest& request) {
    seen = request;
    return TestResponse::text("ok");
  });
  HttpClient client;
  Request request{.method = "POST",
                  .url = server.base_url() + "/p/a%2Fb?a=1&b=hello%20world&c=x+y&d&e=%zz&a=2",
                  .headers = {{"X-Custom", "v"}, {"X-Multi", "one"}, {"X-Multi", "two"}},
                  .body = "payload"};

  Outcome outcome = client.perform(request);

  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.target, "/p/a%2Fb?a=1&b=hello%20world&c=x+y&d&e=%zz&a=2");
  EXPECT_EQ(seen.path, "/p/a%2Fb");
  EXPECT_EQ(seen.query, "a=1&b=hello%20world&c=x+y&d&e=%zz&a=2");
  EXPECT_EQ(seen.query_param("a"), "1");
  EXPECT_EQ(seen.query_param("b"), "hello world");
  EXPECT_EQ(seen.query_param("c"), "x y");
  EXPECT_EQ(seen.query_param("d"), "");
  EXPECT_TRUE(seen.has_query_param("d"));
  EXPECT_EQ(seen.query_param("e"), "%zz");
  EXPECT_EQ(seen.query_param("missing"), "");
  EXPECT_FALSE(seen.has_query_param("missing"));
  EXPECT_EQ(seen.header("X-CUSTOM"), "v");
  EXPECT_EQ(seen.headers.at("x-custom"), "v");
  EXPECT_EQ(seen.header("x-multi"), "one, two");
  EXPECT_TRUE(seen.has_header("Content-Length"));
  EXPECT_FALSE(seen.has_header("X-Missing"));
  EXPECT_EQ(seen.header("X-Missing"), "");
  EXPECT_EQ(seen.body, "payload");
}

TEST(HttpTestServer, ResponseHelpersSetStatusTypeAndHeaders) {
  HttpTestServer server([](const TestRequest& request) {
    if (request.path == "/json") return TestResponse::json(R"({"a":1})", 201);
    return TestResponse::text("plain", 503).with_header("Retry-After", "1");
  });
  HttpClient client;
  Outcome json = client.perform(Request{.url = server.base_url() + "/json"});
  Outcome text = client.perform(Request{.url = server.base_url() + "/text"});

  ASSERT_TRUE(json.ok && text.ok);
  EXPECT_EQ(json.response.status, 201);
  EXPECT_EQ(json.response.header("content-type"), "application/json");
  EXPECT_EQ(json.response.header("content-length"), "7");
  EXPECT_EQ(json.response.body, R"({"a":1})");
  EXPECT_EQ(text.response.status, 503);
  EXPECT_EQ(text.response.header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(text.response.header("retry-after"), "1");
  EXPECT_EQ(text.response.body, "plain");
}

TEST(HttpTestServer, AThrowingHandlerAnswers500AndKeepsServing) {
  HttpTestServer server([](const TestRequest& request) -> TestResponse {
    if (request.path == "/boom") throw std::runtime_error("fake failure");
    return TestResponse::text("fine");
  });
  HttpClient client;
  Outcome boom = client.perform(Request{.url = server.base_url() + "/boom"});
  Outcome fine = client.perform(Request{.url = server.base_url() + "/"});
  ASSERT_TRUE(boom.ok) << boom.error;
  EXPECT_EQ(boom.response.status, 500);
  EXPECT_EQ(boom.response.body, "test handler threw: fake failure");
  ASSERT_TRUE(fine.ok) << fine.error;
  EXPECT_EQ(fine.response.body, "fine");
  EXPECT_EQ(server.connections_accepted(), 1u);
}

TEST(HttpTestServer, ConnectionCloseFromEitherSideEndsKeepAlive) {
  HttpTestServer server([](const TestRequest& request) {
    TestResponse response = TestResponse::text("x");
    if (request.path == "/server-closes") response.with_header("Connection", "close");
    return response;
  });
  HttpClient client;
  Request client_closes{.url = server.base_url() + "/", .headers = {{"Connection", "close"}}};
  ASSERT_TRUE(client.perform(client_closes).ok);
  ASSERT_TRUE(client.perform(client_closes).ok);
  EXPECT_EQ(server.connections_accepted(), 2u);

  ASSERT_TRUE(client.perform(Request{.url = server.base_url() + "/server-closes"}).ok);
  ASSERT_TRUE(client.perform(Request{.url = server.base_url() + "/server-closes"}).ok);
  EXPECT_EQ(server.connections_accepted(), 4u);
  EXPECT_EQ(server.requests_served(), 4u);
}

TEST(HttpTestServer, DelayDoesNotHoldUpOtherConnections) {
  HttpTestServer server(
      [](const TestRequest& request) {
        TestResponse response = TestResponse::text(request.path);
        if (request.path == "/slow") response.delay = 2s;
        return response;
      },
      {.threads = 1});
  HttpClient client;
  Stopwatch stopwatch;
  std::vector<Outcome> outcomes =
      client.perform_many({Request{.url = server.base_url() + "/slow", .total_timeout = 300ms},
                           Request{.url = server.base_url() + "/fast"}},
                          2);
  // The slow one times out; the fast one was answered meanwhile by the server's only thread.
  EXPECT_EQ(outcomes[0].kind, http::ErrorKind::timeout);
  ASSERT_TRUE(outcomes[1].ok) << outcomes[1].error;
  EXPECT_EQ(outcomes[1].response.body, "/fast");
  EXPECT_LT(outcomes[1].response.seconds, 0.25);
  EXPECT_LT(stopwatch.elapsed(), 1s);
}

TEST(HttpTestServer, FixedPortCanBeReusedAfterStop) {
  std::uint16_t port = 0;
  {
    HttpTestServer first(echo_request);
    port = first.port();
  }
  HttpTestServer second([](const TestRequest&) { return TestResponse::text("second"); },
                        {.port = port});
  EXPECT_EQ(second.port(), port);
  HttpClient client;
  Outcome outcome = client.perform(Request{.url = second.base_url() + "/"});
  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(outcome.response.body, "second");
}

TEST(HttpTestServer, StopClosesIdleAndWaitingConnectionsAndRefusesNewOnes) {
  HttpTestServer server([](const TestRequest& request) {
    TestResponse response = TestResponse::text("x");
    if (request.path == "/slow") response.delay = 10s;
    return response;
  });
  HttpClient idle_client;
  ASSERT_TRUE(idle_client.perform(Request{.url = server.base_url() + "/"}).ok);  // stays idle
  std::thread stopper([&] {
    std::this_thread::sleep_for(200ms);
    server.stop();
  });
  // A second client, so the request goes out on a fresh connection: curl retries a request
  // whose reused connection died before any answer, and would then find the port closed.
  HttpClient waiting_client;
  Stopwatch stopwatch;
  Outcome waiting = waiting_client.perform(Request{.url = server.base_url() + "/slow"});
  stopper.join();
  server.stop();  // again: a no-op

  EXPECT_FALSE(waiting.ok);
  EXPECT_EQ(waiting.kind, http::ErrorKind::other);
  EXPECT_EQ(waiting.error, "Empty reply from server");
  EXPECT_LT(stopwatch.elapsed(), 1s);
  // The idle connection was closed too: the client notices, reconnects and is refused.
  Outcome refused = idle_client.perform(Request{.url = server.base_url() + "/"});
  EXPECT_EQ(refused.kind, http::ErrorKind::connect);
  EXPECT_EQ(server.connections_accepted(), 2u);
}

TEST(HttpTestServer, ManyConcurrentConnections) {
  HttpTestServer server([](const TestRequest& request) {
    TestResponse response = TestResponse::text(request.target);
    response.delay = 100ms;
    return response;
  });
  HttpClient client;
  std::vector<Request> requests;
  for (int i = 0; i < 200; ++i) {
    requests.push_back(Request{.url = server.base_url() + "/n?i=" + std::to_string(i)});
  }
  std::vector<Outcome> outcomes = client.perform_many(requests, 64);
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(outcomes[i].ok) << i << ": " << outcomes[i].error;
    EXPECT_EQ(outcomes[i].response.body, "/n?i=" + std::to_string(i));
  }
  EXPECT_EQ(server.requests_served(), 200u);
  EXPECT_EQ(server.connections_accepted(), 64u);
}

}  // namespace
}  // namespace jobhost::testing
