// Rate limits kept by the host (ABI 1.3): token buckets per key, 429 answers waited out and
// sent again, other keys going ahead meanwhile. The server records when each request arrived,
// so every check is a lower bound on the client's spacing (a slow machine never fails them).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "echo_handler.h"
#include "services/http/http_client.h"
#include "services/http/rate_limiter.h"
#include "support/http_test_server.h"

namespace jobhost::http {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using testing::HttpTestServer;
using testing::Stopwatch;
using testing::TestRequest;
using testing::TestResponse;

// ---- the bucket itself, on a synthetic clock ------------------------------------------------

const Clock::time_point t0 = Clock::time_point() + std::chrono::hours(1000);

TEST(RateLimiter, BurstThenOneTokenPerIntervalPerKey) {
  RateLimiter limiter;
  const RateLimit limit{"org-1", 10, 3, 0};
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(limiter.try_take(limit, t0)) << "burst token " << i;
  auto again = limiter.try_take(limit, t0);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again - t0, std::chrono::duration_cast<Clock::duration>(100ms));
  EXPECT_TRUE(limiter.try_take(limit, t0 + 99ms));
  EXPECT_FALSE(limiter.try_take(limit, t0 + 100ms));
  EXPECT_FALSE(limiter.try_take({"org-2", 10, 3, 0}, t0 + 100ms)) << "another key, its own bucket";
  // A long pause refills to the burst, never beyond it.
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(limiter.try_take(limit, t0 + 60s));
  EXPECT_TRUE(limiter.try_take(limit, t0 + 60s));
}

TEST(RateLimiter, HoldRefusesUntilItEndsThenGivesOneToken) {
  RateLimiter limiter;
  const RateLimit limit{"k", 10, 10, 0};
  EXPECT_FALSE(limiter.try_take(limit, t0));
  limiter.hold("k", t0 + 2s);
  auto again = limiter.try_take(limit, t0 + 1s);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, t0 + 2s);
  EXPECT_FALSE(limiter.try_take(limit, t0 + 2s));
  EXPECT_TRUE(limiter.try_take(limit, t0 + 2s)) << "the held bucket restarts with one token";
  // A key without pacing still honours a hold.
  const RateLimit unpaced{"free", 0, 1, 0};
  EXPECT_FALSE(limiter.try_take(unpaced, t0));
  EXPECT_FALSE(limiter.try_take(unpaced, t0));
  limiter.hold("free", t0 + 1s);
  EXPECT_TRUE(limiter.try_take(unpaced, t0 + 500ms));
  EXPECT_FALSE(limiter.try_take(unpaced, t0 + 1s));
}

TEST(RateLimiter, IdleFullBucketsAreDroppedWhenThereAreMany) {
  RateLimiter limiter;
  for (int i = 0; i < 5000; ++i) limiter.try_take({"key-" + std::to_string(i), 1000, 1, 0}, t0);
  EXPECT_LE(limiter.buckets(), 4097u);
}

TEST(RetryAfter, SecondsDateOrDoublingAndCapped) {
  const auto now = std::chrono::system_clock::from_time_t(1'800'000'000);
  EXPECT_EQ(retry_after("2", 0, now), 2000ms);
  EXPECT_EQ(retry_after("0.25", 0, now), 250ms);
  EXPECT_EQ(retry_after(std::nullopt, 0, now), 1000ms);
  EXPECT_EQ(retry_after(std::nullopt, 2, now), 4000ms);
  EXPECT_EQ(retry_after("soon", 1, now), 2000ms) << "unreadable: as if absent";
  EXPECT_EQ(retry_after("86400", 0, now), 300000ms) << "at most 5 minutes";
  // 1'800'000'030 s since the epoch: thirty seconds after `now`.
  EXPECT_EQ(retry_after("Fri, 15 Jan 2027 08:00:30 GMT", 0, now), 30000ms);
}

// ---- through the client -----------------------------------------------------------------------

// Answers 200 (or 429 while `fail_429` lasts) and records when each request arrived.
class ArrivalLog {
 public:
  TestResponse operator()(const TestRequest& request) {
    std::lock_guard lock(mutex_);
    arrivals_.push_back({request.path, Clock::now()});
    if (fail_429_ > 0) {
      --fail_429_;
      return TestResponse::json(R"({"errors":["API rate limit exceeded"]})", 429)
          .with_header("Retry-After", retry_after_);
    }
    return TestResponse::text(request.path);
  }
  void fail_next_429(int n, std::string retry_after = "1") {
    std::lock_guard lock(mutex_);
    fail_429_ = n;
    retry_after_ = std::move(retry_after);
  }
  std::vector<std::pair<std::string, Clock::time_point>> arrivals() {
    std::lock_guard lock(mutex_);
    return arrivals_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::pair<std::string, Clock::time_point>> arrivals_;
  int fail_429_ = 0;
  std::string retry_after_ = "1";
};

Request limited(const HttpTestServer& server, const std::string& path, RateLimit rate) {
  Request r;
  r.url = server.base_url() + path;
  r.rate = std::move(rate);
  return r;
}

double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

TEST(HttpClientRateLimit, RequestsOfAKeyArriveNoFasterThanItsBucketAllows) {
  ArrivalLog log;
  HttpTestServer server([&](const TestRequest& r) { return log(r); });
  HttpClient client;
  const RateLimit rate{"api", 20, 4, 0};  // 20 a second after a burst of 4
  std::vector<Request> requests;
  for (int i = 0; i < 24; ++i) requests.push_back(limited(server, "/r" + std::to_string(i), rate));
  auto outcomes = client.perform_many(requests, 8);
  for (const auto& o : outcomes) ASSERT_TRUE(o.ok && o.response.status == 200) << o.error;
  const auto arrivals = log.arrivals();
  ASSERT_EQ(arrivals.size(), 24u);
  // Request n (from 0) needs token n: the burst covers 0-3, then one every 50 ms.
  for (size_t n = 4; n < arrivals.size(); ++n)
    EXPECT_GE(seconds_between(arrivals.front().second, arrivals[n].second),
              (static_cast<double>(n) - 4 + 1) / 20 - 0.005)
        << "request " << n << " came too early";
  EXPECT_GT(outcomes.back().response.rate_wait, 0us) << "the last ones waited for tokens";
  EXPECT_EQ(outcomes.front().response.rate_wait, 0us) << "the first one had a token at once";
}

TEST(HttpClientRateLimit, ABucketIsSharedByCallsOnSeveralThreads) {
  ArrivalLog log;
  HttpTestServer server([&](const TestRequest& r) { return log(r); }, {.threads = 4});
  HttpClient client;
  const RateLimit rate{"shared", 40, 2, 0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 6; ++i) client.perform(limited(server, "/t" + std::to_string(t), rate));
    });
  for (auto& t : threads) t.join();
  const auto arrivals = log.arrivals();
  ASSERT_EQ(arrivals.size(), 18u);
  auto first = arrivals.front().second;
  for (size_t n = 2; n < arrivals.size(); ++n)
    EXPECT_GE(seconds_between(first, arrivals[n].second), (static_cast<double>(n) - 1) / 40 - 0.005)
        << "arrival " << n;
}

TEST(HttpClientRateLimit, A429IsWaitedOutForItsRetryAfterAndSentAgain) {
  ArrivalLog log;
  HttpTestServer server([&](const TestRequest& r) { return log(r); });
  HttpClient client;
  log.fail_next_429(2, "1");
  auto outcome = client.perform(limited(server, "/org", {"org", 100, 10, 5}));
  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(outcome.response.status, 200);
  EXPECT_EQ(outcome.response.rate_limited, 2u);
  const auto arrivals = log.arrivals();
  ASSERT_EQ(arrivals.size(), 3u);
  EXPECT_GE(seconds_between(arrivals[0].second, arrivals[1].second), 0.995);
  EXPECT_GE(seconds_between(arrivals[1].second, arrivals[2].second), 0.995);
}

TEST(HttpClientRateLimit, AHoldDelaysEveryRequestOfTheKeyAndNoOtherKey) {
  ArrivalLog log;
  HttpTestServer server([&](const TestRequest& r) { return log(r); });
  HttpClient client;
  log.fail_next_429(1, "1");
  const RateLimit org{"org", 100, 10, 3};
  std::vector<Request> requests = {limited(server, "/a", org), limited(server, "/b", org),
                                   limited(server, "/c", org),
                                   limited(server, "/other", {"other", 100, 10, 0})};
  auto outcomes = client.perform_many(requests, 1);
  for (const auto& o : outcomes) ASSERT_TRUE(o.ok && o.response.status == 200) << o.error;
  EXPECT_EQ(outcomes[0].response.rate_limited, 1u);
  const auto arrivals = log.arrivals();
  ASSERT_EQ(arrivals.size(), 5u);
  ASSERT_EQ(arrivals[0].first, "/a");
  const auto refused = arrivals[0].second;
  for (size_t n = 1; n < arrivals.size(); ++n) {
    if (arrivals[n].first == "/other") {
      EXPECT_LT(seconds_between(refused, arrivals[n].second), 0.9)
          << "another key does not wait for this one's hold";
    } else {
      EXPECT_GE(seconds_between(refused, arrivals[n].second), 0.995) << arrivals[n].first;
    }
  }
}

TEST(HttpClientRateLimit, WhenRetriesRunOutThe429ComesBack) {
  ArrivalLog log;
  HttpTestServer server([&](const TestRequest& r) { return log(r); });
  HttpClient client;
  log.fail_next_429(10, "0");
  auto outcome = client.perform(limited(server, "/x", {"k", 0, 1, 2}));
  ASSERT_TRUE(outcome.ok);
  EXPECT_EQ(outcome.response.status, 429);
  EXPECT_EQ(outcome.response.rate_limited, 2u);
  EXPECT_EQ(log.arrivals().size(), 3u);

  // Without a key nothing is retried: the caller sees the 429 at once.
  Request plain;
  plain.url = server.base_url() + "/y";
  auto direct = client.perform(plain);
  EXPECT_EQ(direct.response.status, 429);
  EXPECT_EQ(direct.response.rate_limited, 0u);
  EXPECT_EQ(log.arrivals().size(), 4u);
}

TEST(HttpClientRateLimit, CancellingEndsTheWaitForAToken) {
  ArrivalLog log;
  HttpTestServer server([&](const TestRequest& r) { return log(r); });
  HttpClient client;
  const RateLimit slow{"slow", 0.1, 1, 0};  // the second token comes after 10 s
  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    std::this_thread::sleep_for(300ms);
    cancel = true;
  });
  Stopwatch watch;
  auto outcomes = client.perform_many({limited(server, "/1", slow), limited(server, "/2", slow)}, 2,
                                      [&] { return cancel.load(); });
  canceller.join();
  EXPECT_TRUE(outcomes[0].ok);
  EXPECT_FALSE(outcomes[1].ok);
  EXPECT_EQ(outcomes[1].kind, ErrorKind::cancelled);
  EXPECT_LT(watch.elapsed(), 5s) << "the wait ended with the cancellation, not the token";
  EXPECT_EQ(log.arrivals().size(), 1u);
}

}  // namespace
}  // namespace jobhost::http
