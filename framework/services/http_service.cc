#include "services/http_service.h"

#include <algorithm>
#include <cmath>

#include "metrics/metrics.h"
#include "services/abi_copy.h"
#include "services/http/http_client.h"

namespace jobhost::services {

namespace {

constexpr uint32_t kDefaultConnectMs = 10000;
constexpr uint32_t kDefaultTotalMs = 60000;

// A response the plugin holds until http_response_release; the C struct is its base.
struct OwnedResponse : jh_http_response_v1 {
  std::string body_text;
  std::vector<http::Header> header_text;
  std::vector<jh_http_header> header_views;
  std::string url;
};

http::Request to_request(Context& ctx, const jh_http_request_v1& r) {
  if (!r.url || !*r.url) throw std::invalid_argument("http_request: url is required");
  http::Request out;
  out.method = r.method && *r.method ? r.method : "GET";
  out.url = r.url;
  for (uint32_t i = 0; i < r.header_count; ++i) {
    if (!r.headers || !r.headers[i].name)
      throw std::invalid_argument("http_request: header " + std::to_string(i + 1) + " has no name");
    out.headers.push_back({r.headers[i].name, r.headers[i].value ? r.headers[i].value : ""});
  }
  if (r.body_len > 0) {
    if (!r.body) throw std::invalid_argument("http_request: body_len > 0 but body is NULL");
    out.body.assign(r.body, r.body_len);
  }
  out.connect_timeout =
      std::chrono::milliseconds(r.connect_timeout_ms ? r.connect_timeout_ms : kDefaultConnectMs);
  std::chrono::milliseconds total(r.timeout_ms ? r.timeout_ms : kDefaultTotalMs);
  // A request never outlives the run's deadline.
  if (auto left = ctx.time_left()) {
    auto left_ms = std::chrono::milliseconds(std::max<Micros>(*left / 1000, 1));
    total = std::min(total, left_ms);
  }
  out.total_timeout = total;
  out.verify_tls = r.tls_insecure == 0;
  if (r.ca_file) out.ca_file = r.ca_file;
  out.max_redirects = static_cast<int>(r.max_redirects);
  // 1.3: the plugin's name prefixes its keys, so two plugins never share a bucket by accident.
  if (r.rate_key && *r.rate_key) {
    if (!std::isfinite(r.rate_per_s) || !std::isfinite(r.rate_burst))
      throw std::invalid_argument("http_request: rate_per_s and rate_burst must be numbers");
    out.rate.key = ctx.plugin().name + ":" + r.rate_key;
    out.rate.per_second = r.rate_per_s;
    out.rate.burst = r.rate_burst;
    out.rate.retry_429 = r.retry_429;
  }
  return out;
}

jh_http_response_v1* to_owned(http::Response&& response) {
  auto owned = std::make_unique<OwnedResponse>();
  owned->body_text = std::move(response.body);
  owned->header_text = std::move(response.headers);
  owned->url = std::move(response.effective_url);
  for (const auto& h : owned->header_text)
    owned->header_views.push_back({h.name.c_str(), h.value.c_str()});
  owned->status = response.status;
  owned->body = owned->body_text.data();
  owned->body_len = owned->body_text.size();
  owned->headers = owned->header_views.data();
  owned->header_count = static_cast<uint32_t>(owned->header_views.size());
  owned->effective_url = owned->url.c_str();
  owned->rate_limited = response.rate_limited;
  owned->rate_wait_us = static_cast<uint64_t>(response.rate_wait.count());
  return owned.release();
}

jh_status status_of(const http::Outcome& o) {
  return o.kind == http::ErrorKind::cancelled ? JH_CANCELLED : JH_HTTP_ERROR;
}

std::string describe_failure(const http::Request& r, const http::Outcome& o) {
  return r.method + " " + r.url + ": " + o.error;
}

// Counted here, where the plugin is known (one client serves every plugin): each attempt, the
// 429s the client waited out and sent again included. A cancelled request (the run's deadline,
// a shutdown) is the host's doing, not the remote's, and counts not at all.
void count_attempts(Context& ctx, const http::Outcome& o) {
  if (o.kind == http::ErrorKind::cancelled) return;
  for (uint32_t i = 0; i < o.response.rate_limited; ++i)
    metrics::remote_call(ctx.plugin().name, 429);
  metrics::remote_call(ctx.plugin().name, o.ok ? o.response.status : 0);
}

}  // namespace

jh_status http_request(Context& ctx, const jh_http_request_v1* request, size_t size,
                       jh_http_response_v1** response) {
  http::Request r;
  try {
    r = to_request(ctx, copy_from_plugin<jh_http_request_v1>(request, size));
  } catch (const std::invalid_argument& e) {
    ctx.fail(e.what());
    return JH_INVALID_ARGUMENT;
  }
  auto outcome = ctx.plugin().http->perform(r, [&ctx] { return ctx.cancelled(); });
  count_attempts(ctx, outcome);
  if (!outcome.ok) {
    ctx.fail(describe_failure(r, outcome));
    return status_of(outcome);
  }
  *response = to_owned(std::move(outcome.response));
  return JH_OK;
}

jh_status http_request_many(Context& ctx, const jh_http_request_v1* requests, size_t size,
                            uint32_t count, uint32_t max_in_flight, jh_http_response_v1** responses,
                            jh_status* statuses) {
  std::vector<http::Request> rs;
  rs.reserve(count);
  ctx.http_errors().assign(count, std::string());
  for (uint32_t i = 0; i < count; ++i) {
    responses[i] = nullptr;
    const auto* p = reinterpret_cast<const unsigned char*>(requests) + size * i;
    try {
      rs.push_back(to_request(ctx, copy_from_plugin<jh_http_request_v1>(p, size)));
    } catch (const std::invalid_argument& e) {
      ctx.fail("request " + std::to_string(i + 1) + ": " + e.what());
      return JH_INVALID_ARGUMENT;
    }
  }
  auto outcomes = ctx.plugin().http->perform_many(rs, std::max<uint32_t>(max_in_flight, 1),
                                                  [&ctx] { return ctx.cancelled(); });
  jh_status overall = JH_OK;
  for (uint32_t i = 0; i < count; ++i) {
    count_attempts(ctx, outcomes[i]);
    if (outcomes[i].ok) {
      statuses[i] = JH_OK;
      responses[i] = to_owned(std::move(outcomes[i].response));
    } else {
      statuses[i] = status_of(outcomes[i]);
      ctx.http_errors()[i] = describe_failure(rs[i], outcomes[i]);
      if (overall == JH_OK || statuses[i] == JH_CANCELLED) overall = statuses[i];
    }
  }
  if (overall != JH_OK) {
    ctx.fail(overall == JH_CANCELLED ? "run cancelled"
                                     : "some requests failed (see http_error_at)");
  }
  return overall;
}

void http_response_release(jh_http_response_v1* response) {
  delete static_cast<OwnedResponse*>(response);
}

}  // namespace jobhost::services
