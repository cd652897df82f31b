// perform_many and calls from several threads: order, the in-flight bound, real overlap.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "echo_handler.h"
#include "services/http/http_client.h"
#include "support/http_test_server.h"

namespace jobhost::http {
namespace {

using namespace std::chrono_literals;
using testing::HttpTestServer;
using testing::Stopwatch;
using testing::TestRequest;
using testing::TestResponse;

// Counts how many requests are inside the handler at once. The handler sleeps (not a
// `delay`) so that the overlap happens inside it, and the server has more threads than the
// client's bound, so a client that exceeded the bound would be seen doing so.
class ConcurrencyProbe {
 public:
  TestResponse operator()(const TestRequest& request) {
    int now = ++inside_;
    {
      std::lock_guard lock(mutex_);
      peak_ = std::max(peak_, now);
    }
    std::this_thread::sleep_for(20ms);
    --inside_;
    return TestResponse::text(request.path);
  }
  int peak() {
    std::lock_guard lock(mutex_);
    return peak_;
  }

 private:
  std::atomic<int> inside_{0};
  std::mutex mutex_;
  int peak_ = 0;
};

TEST(HttpClientConcurrency, PerformManyKeepsOrderAndTheInFlightBound) {
  ConcurrencyProbe probe;
  HttpTestServer server([&](const TestRequest& request) { return probe(request); }, {.threads = 8});
  HttpClient client;
  std::vector<Request> requests;
  for (int i = 0; i < 50; ++i) {
    requests.push_back(Request{.url = server.base_url() + "/item/" + std::to_string(i)});
  }

  std::vector<Outcome> outcomes = client.perform_many(requests, 4);

  ASSERT_EQ(outcomes.size(), 50u);
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(outcomes[i].ok) << i << ": " << outcomes[i].error;
    EXPECT_EQ(outcomes[i].response.status, 200);
    EXPECT_EQ(outcomes[i].response.body, "/item/" + std::to_string(i));
  }
  EXPECT_EQ(probe.peak(), 4);
  EXPECT_EQ(server.requests_served(), 50u);
  EXPECT_EQ(server.connections_accepted(), 4u);
  EXPECT_EQ(client.stats().requests, 50u);
}

TEST(HttpClientConcurrency, PerformManyRunsRequestsAtTheSameTime) {
  // 64 requests, each answered after 500 ms: one after the other would take 32 s. Also
  // shows the test server's delays do not block its two threads.
  HttpTestServer server([](const TestRequest& request) {
    TestResponse response = TestResponse::text(request.path);
    response.delay = 500ms;
    return response;
  });
  HttpClient client;
  std::vector<Request> requests;
  for (int i = 0; i < 64; ++i)
    requests.push_back(Request{.url = server.base_url() + "/" + std::to_string(i)});

  Stopwatch stopwatch;
  std::vector<Outcome> outcomes = client.perform_many(requests, 64);
  auto elapsed = stopwatch.elapsed();

  for (int i = 0; i < 64; ++i) {
    ASSERT_TRUE(outcomes[i].ok) << i << ": " << outcomes[i].error;
    EXPECT_EQ(outcomes[i].response.body, "/" + std::to_string(i));
  }
  EXPECT_EQ(server.connections_accepted(), 64u);
  EXPECT_GE(elapsed, 500ms);
  EXPECT_LT(elapsed, 2500ms);
}

TEST(HttpClientConcurrency, PerformManyReportsEachFailureInPlace) {
  HttpTestServer server([](const TestRequest& request) {
    TestResponse response = TestResponse::text(request.path);
    response.close_without_response = request.path == "/crash";
    return response;
  });
  HttpClient client;
  std::vector<Request> requests = {
      Request{.url = server.base_url() + "/a"},
      Request{.url = server.base_url() + "/crash"},
      Request{.url = ""},
      Request{.url = server.base_url() + "/d"},
  };

  std::vector<Outcome> outcomes = client.perform_many(requests, 2);

  ASSERT_EQ(outcomes.size(), 4u);
  EXPECT_TRUE(outcomes[0].ok);
  EXPECT_EQ(outcomes[0].response.body, "/a");
  EXPECT_FALSE(outcomes[1].ok);
  EXPECT_EQ(outcomes[1].kind, ErrorKind::other);
  EXPECT_EQ(outcomes[1].error, "Empty reply from server");
  EXPECT_FALSE(outcomes[2].ok);
  EXPECT_EQ(outcomes[2].error, "invalid request: the URL is empty");
  EXPECT_TRUE(outcomes[3].ok);
  EXPECT_EQ(outcomes[3].response.body, "/d");
  EXPECT_EQ(client.stats().failures, 2u);
}

TEST(HttpClientConcurrency, CancellingPerformManyEndsEveryUnfinishedRequest) {
  HttpTestServer server([](const TestRequest& request) {
    TestResponse response = TestResponse::text(request.path);
    if (request.path != "/fast") response.delay = 10s;
    return response;
  });
  HttpClient client;
  std::vector<Request> requests = {Request{.url = server.base_url() + "/fast"}};
  for (int i = 0; i < 5; ++i) requests.push_back(Request{.url = server.base_url() + "/slow"});
  Stopwatch stopwatch;

  std::vector<Outcome> outcomes =
      client.perform_many(requests, 3, [&] { return stopwatch.elapsed() >= 300ms; });
  auto elapsed = stopwatch.elapsed();

  ASSERT_EQ(outcomes.size(), 6u);
  ASSERT_TRUE(outcomes[0].ok) << outcomes[0].error;
  EXPECT_EQ(outcomes[0].response.body, "/fast");
  for (std::size_t i = 1; i < outcomes.size(); ++i) {
    EXPECT_FALSE(outcomes[i].ok) << i;
    EXPECT_EQ(outcomes[i].kind, ErrorKind::cancelled) << i;
    EXPECT_EQ(outcomes[i].error, "cancelled") << i;
  }
  EXPECT_LT(elapsed, 500ms);
  // Three in flight: the fast one, then two slow ones, then a third slow one replaced it.
  EXPECT_EQ(server.requests_served(), 4u);
}

TEST(HttpClientConcurrency, EmptyListGivesNoOutcomes) {
  HttpClient client;
  EXPECT_TRUE(client.perform_many({}, 4).empty());
  EXPECT_EQ(client.stats().requests, 0u);
}

TEST(HttpClientConcurrency, OneClientServesManyThreads) {
  HttpTestServer server(
      [](const TestRequest& request) { return TestResponse::text(request.target); },
      {.threads = 4});
  HttpClient client;
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        std::string target = "/t" + std::to_string(t) + "?i=" + std::to_string(i);
        Outcome outcome = client.perform(Request{.url = server.base_url() + target});
        if (outcome.ok && outcome.response.body == target) ++good;
      }
    });
  }
  for (auto& thread : threads) thread.join();

  EXPECT_EQ(good.load(), 100);
  EXPECT_EQ(server.requests_served(), 100u);
  EXPECT_EQ(client.stats().requests, 100u);
  EXPECT_EQ(client.stats().failures, 0u);
  // Idle connections are pooled and reused: far fewer than one per request.
  EXPECT_LE(server.connections_accepted(), 8u);
}

}  // namespace
}  // namespace jobhost::http
