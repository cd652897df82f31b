#pragma once

#include <curl/curl.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "services/http/curl_transfer.h"
#include "services/http/http_types.h"
#include "services/http/rate_limiter.h"

// Internal to services/http.
namespace jobhost::http::detail {

// Drives a list of requests through one multi handle: at most `max_in_flight` at once, the
// caller's cancel check polled between curl's waits, outcomes kept in request order. A single
// perform() is a batch of one, so both paths share the timeout and cancel handling.
//
// A request with a rate limit starts only once its bucket gives it a token; requests of other
// keys (or none) go ahead meanwhile. A 429 answer to such a request, while its retry_429
// allows, holds the key's bucket for the answer's Retry-After and puts the request first in
// line again instead of ending it.
class TransferBatch {
 public:
  TransferBatch(CURLM* multi, CURLSH* share, RateLimiter& limiter,
                std::span<const Request> requests);
  ~TransferBatch();  // takes unfinished transfers off the multi handle, which outlives us
  TransferBatch(const TransferBatch&) = delete;
  TransferBatch& operator=(const TransferBatch&) = delete;

  std::vector<Outcome> run(std::size_t max_in_flight, const std::function<bool()>& cancelled);

  std::uint64_t bytes_sent() const { return bytes_sent_; }
  std::uint64_t bytes_received() const { return bytes_received_; }

 private:
  void start_more(std::size_t max_in_flight);
  // True when the request got its token (or has no limit); else notes when to ask again.
  bool may_start(std::size_t index, RateLimiter::Clock::time_point now);
  void collect_finished();
  // A 429 the request's limit absorbs: hold the key, and send the request again.
  bool absorbed_429(std::size_t index, const Outcome& outcome);
  // Ends every request not finished yet with the same failure.
  void end_rest(ErrorKind kind, const std::string& error);
  void retire(std::size_t index);

  // How long the wait for a rate-limit token may be before curl is polled again.
  int poll_millis(RateLimiter::Clock::time_point now) const;

  struct RateState {
    std::uint32_t rate_limited = 0;  // 429s absorbed so far
    std::optional<RateLimiter::Clock::time_point> refused_since;
    RateLimiter::Clock::duration waited{0};
  };

  CURLM* multi_;
  CURLSH* share_;
  RateLimiter& limiter_;
  std::span<const Request> requests_;
  std::vector<Outcome> outcomes_;
  std::vector<std::unique_ptr<Transfer>> active_;  // by request index; null unless running
  std::unordered_map<CURL*, std::size_t> index_of_;
  std::deque<std::size_t> waiting_;  // not started yet (or to be sent again), in order
  std::vector<RateState> rate_;
  std::optional<RateLimiter::Clock::time_point> wake_;  // the earliest token refused
  std::size_t running_ = 0;
  std::uint64_t bytes_sent_ = 0;
  std::uint64_t bytes_received_ = 0;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace jobhost::http::detail
