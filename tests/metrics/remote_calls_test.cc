// Plugins' HTTP requests are counted per attempt, by plugin and status code: through a real run
// of the testkit plugin, and through the host's HTTP service with a rate limit that waits out
// 429 answers and sends the request again (each of those 429s counts).
#include <gtest/gtest.h>

#include <atomic>
#include <memory>

#include "metrics/metrics_fixture.h"
#include "metrics/process_metrics.h"
#include "services/context.h"
#include "services/http/http_client.h"
#include "services/http_service.h"
#include "support/http_test_server.h"

namespace jobhost {
namespace {

using testing::TestRequest;
using testing::TestResponse;

TestResponse answer_by_path(const TestRequest& r) {
  if (r.path == "/limited") return TestResponse::json("{}", 429).with_header("Retry-After", "1");
  if (r.path == "/broken") return TestResponse::json("{}", 503);
  return TestResponse::json("{}");
}

class MetricsRemoteCallsTest : public testing::MetricsTest {};

// The process's own series only: the tests below have no store.
testing::ParsedExposition process_scrape() {
  metrics::Exposition out;
  metrics::write_process_metrics(out);
  auto parsed = testing::read_exposition(out.text());
  EXPECT_TRUE(parsed.problems.empty()) << ::testing::PrintToString(parsed.problems);
  return parsed;
}

TEST_P(MetricsRemoteCallsTest, EachRequestOfARunCountsByPluginAndStatusCode) {
  testing::HttpTestServer server(answer_by_path);
  testing::HttpTestServer gone([](const TestRequest&) { return TestResponse::json("{}"); });
  gone.stop();  // its port refuses connections: a transport error
  auto before = scrape();
  for (const char* path : {"/ok", "/ok", "/limited", "/broken"}) {
    auto out = host().run_now("testkit.http", {{"url", server.base_url() + path}});
    ASSERT_EQ(out.status, jobs::JobStatus::completed) << out.error;
  }
  auto refused = host().run_now("testkit.http", {{"url", gone.base_url() + "/ok"}});
  ASSERT_EQ(refused.status, jobs::JobStatus::errored);
  auto after = scrape();
  const std::string calls = "jobhost_remote_calls_total";
  EXPECT_EQ(delta(before, after, calls, {{"plugin", "testkit"}, {"code", "200"}}), 2);
  EXPECT_EQ(delta(before, after, calls, {{"plugin", "testkit"}, {"code", "429"}}), 1);
  EXPECT_EQ(delta(before, after, calls, {{"plugin", "testkit"}, {"code", "503"}}), 1);
  EXPECT_EQ(delta(before, after, calls, {{"plugin", "testkit"}, {"code", "error"}}), 1);
  EXPECT_EQ(delta(before, after, "jobhost_remote_rate_limited_total", {{"plugin", "testkit"}}), 1);
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(MetricsRemoteCallsTest);

// The HTTP service as a plugin calls it, without a store: a request with a rate limit whose 429
// answers the host waits out and sends again (retry_429). The plugin sees one response; the
// metrics see every attempt.
TEST(MetricsRemoteCalls, RetriedTooManyRequestsCountOncePerAttempt) {
  std::atomic<int> limited{2};
  testing::HttpTestServer server([&](const TestRequest& r) {
    if (r.path == "/paced" && limited.fetch_sub(1) > 0)
      return TestResponse::json("{}", 429).with_header("Retry-After", "0.01");
    return TestResponse::json("{}", r.path == "/missing" ? 404 : 200);
  });
  services::PluginRuntime runtime;
  runtime.name = "metricsprobe";
  runtime.http = std::make_shared<http::HttpClient>();
  services::Context ctx(services::Context::Kind::plugin, runtime);

  // The URLs outlive the requests that point at them.
  const std::string paced_url = server.base_url() + "/paced",
                    found_url = server.base_url() + "/found",
                    missing_url = server.base_url() + "/missing";
  auto request = [](const std::string& url) {
    jh_http_request_v1 r{};
    r.url = url.c_str();
    r.rate_key = "api";
    r.rate_per_s = 0;  // no pacing; 429s still waited out
    r.retry_429 = 5;
    return r;
  };

  auto before = process_scrape();
  jh_http_request_v1 paced = request(paced_url);
  jh_http_response_v1* response = nullptr;
  ASSERT_EQ(services::http_request(ctx, &paced, sizeof paced, &response), JH_OK)
      << ctx.last_error();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->rate_limited, 2u) << "the two 429s were waited out and sent again";
  services::http_response_release(response);

  // Several at once: each outcome counts.
  jh_http_request_v1 many[2] = {request(found_url), request(missing_url)};
  jh_http_response_v1* responses[2] = {nullptr, nullptr};
  jh_status statuses[2];
  ASSERT_EQ(services::http_request_many(ctx, many, sizeof many[0], 2, 2, responses, statuses),
            JH_OK);
  for (auto* r : responses) services::http_response_release(r);
  auto after = process_scrape();

  const std::string calls = "jobhost_remote_calls_total";
  auto calls_with = [&](const std::string& code) {
    return after.value(calls, {{"plugin", "metricsprobe"}, {"code", code}}) -
           before.value(calls, {{"plugin", "metricsprobe"}, {"code", code}});
  };
  EXPECT_EQ(calls_with("429"), 2);
  EXPECT_EQ(calls_with("200"), 2);
  EXPECT_EQ(calls_with("404"), 1);
  EXPECT_EQ(after.value("jobhost_remote_rate_limited_total", {{"plugin", "metricsprobe"}}) -
                before.value("jobhost_remote_rate_limited_total", {{"plugin", "metricsprobe"}}),
            2);
}

}  // namespace
}  // namespace jobhost
