#include "services/http/http_client.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <utility>

#include "services/http/curl_global.h"
#include "services/http/curl_share.h"
#include "services/http/log_safe_url.h"
#include "services/http/multi_pool.h"
#include "services/http/transfer_batch.h"

namespace jobhost::http {

namespace {

// "https://host:port" of a log-safe URL: what an insecure-TLS warning is about.
std::string origin_of(const std::string& safe_url) {
  std::size_t scheme_end = safe_url.find("://");
  std::size_t path = safe_url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  return safe_url.substr(0, path);
}

}  // namespace

class HttpClient::Impl {
 public:
  Impl() = default;

  std::vector<Outcome> run(std::span<const Request> requests, std::size_t max_in_flight,
                           const std::function<bool()>& cancelled) {
    for (const Request& request : requests) warn_if_insecure(request);
    std::vector<Outcome> outcomes;
    try {
      detail::MultiPool::Lease multi = pool_.borrow();
      detail::TransferBatch batch(multi.get(), share_.handle(), limiter_, requests);
      outcomes = batch.run(max_in_flight, cancelled);
      bytes_sent_ += batch.bytes_sent();
      bytes_received_ += batch.bytes_received();
    } catch (const std::exception& error) {
      // Only resource exhaustion gets here; it fails the call, not the process.
      outcomes.assign(requests.size(), Outcome{false, {}, error.what(), ErrorKind::other});
    }
    for (std::size_t i = 0; i < requests.size(); ++i) record(requests[i], outcomes[i]);
    return outcomes;
  }

  Stats stats() const {
    return Stats{requests_.load(), failures_.load(), bytes_sent_.load(), bytes_received_.load()};
  }

 private:
  // Verification off is allowed (a lab with self-signed certificates) but never silent: one
  // warning per origin and client, so a sync of thousands of calls does not flood the log.
  void warn_if_insecure(const Request& request) {
    if (request.verify_tls) return;
    std::string origin = origin_of(detail::log_safe_url(request.url));
    {
      std::lock_guard lock(warned_mutex_);
      if (!warned_insecure_.insert(origin).second) return;
    }
    spdlog::warn("http: TLS certificate verification is off for {} (verify_tls=false)", origin);
  }

  // Method, URL without query or user info, and the outcome; never headers or bodies.
  void record(const Request& request, const Outcome& outcome) {
    ++requests_;
    if (!outcome.ok) ++failures_;
    if (!spdlog::should_log(spdlog::level::debug)) return;
    std::string url = detail::log_safe_url(request.url);
    if (outcome.ok) {
      spdlog::debug("http: {} {} -> {} in {:.3f} s{}", request.method, url, outcome.response.status,
                    outcome.response.seconds,
                    outcome.response.rate_limited
                        ? " after " + std::to_string(outcome.response.rate_limited) + " 429s"
                        : std::string());
    } else {
      spdlog::debug("http: {} {} failed ({}): {}", request.method, url, to_string(outcome.kind),
                    outcome.error);
    }
  }

  // Declared first: curl must be initialised before the share handle is made.
  const bool curl_ready_ = (detail::ensure_curl_initialized(), true);
  detail::CurlShare share_;
  detail::MultiPool pool_;
  RateLimiter limiter_;  // shared by every call, so a key's bucket holds across runs
  std::atomic<std::uint64_t> requests_{0};
  std::atomic<std::uint64_t> failures_{0};
  std::atomic<std::uint64_t> bytes_sent_{0};
  std::atomic<std::uint64_t> bytes_received_{0};
  std::mutex warned_mutex_;
  std::set<std::string> warned_insecure_;
};

HttpClient::HttpClient() : impl_(std::make_unique<Impl>()) {}

HttpClient::~HttpClient() = default;

Outcome HttpClient::perform(const Request& request, const std::function<bool()>& cancelled) {
  std::vector<Outcome> outcomes = impl_->run(std::span(&request, 1), 1, cancelled);
  return std::move(outcomes.front());
}

std::vector<Outcome> HttpClient::perform_many(const std::vector<Request>& requests,
                                              std::size_t max_in_flight,
                                              const std::function<bool()>& cancelled) {
  return impl_->run(requests, max_in_flight, cancelled);
}

Stats HttpClient::stats() const {
  return impl_->stats();
}

}  // namespace jobhost::http
