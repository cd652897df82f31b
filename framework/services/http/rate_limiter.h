// Token buckets for the plugins' HTTP requests (ABI 1.3): a remote API's rate limit, kept by
// the host for every plugin, so no plugin sleeps between calls or floods an API with retries.
//
// A bucket is named by a key (the HTTP service prefixes the plugin's name, so plugins never
// share one by accident); it holds at most `burst` tokens, gains `per_second` a second, and
// starts full. A request takes one token before it is sent. A 429 answer holds the bucket
// empty until the answer's Retry-After has passed, for every request of that key: the whole
// client backs off, not just the request that met it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace jobhost::http {

// What a request asks of the limiter; an empty key: no limit.
struct RateLimit {
  std::string key;
  double per_second = 0;        // <= 0: no pacing (a 429 still holds the key)
  double burst = 1;             // tokens held at most; below 1 counts as 1
  std::uint32_t retry_429 = 0;  // 429 answers absorbed (waited out and sent again) at most
};

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // Takes a token for `limit` at `now`: nullopt when taken (send now), else the time to ask
  // again. The bucket takes the latest rate and burst given for its key.
  std::optional<Clock::time_point> try_take(const RateLimit& limit, Clock::time_point now);

  // No token for `key` before `until` (a 429's Retry-After); the bucket is empty afterwards.
  void hold(const std::string& key, Clock::time_point until);

  std::size_t buckets() const;

 private:
  struct Bucket {
    double tokens = 0;
    double per_second = 0;
    double burst = 1;
    Clock::time_point refilled;
    Clock::time_point held_until;
  };
  void refill(Bucket& b, Clock::time_point now) const;
  // Drops buckets that are full and not held: a key used once does not stay forever.
  void prune(Clock::time_point now);

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

// The wait a 429 answer asks for: its Retry-After in seconds (delta-seconds, decimals
// allowed) or as an HTTP date, else 1 s doubling with each 429 already met (`attempt` 0, 1,
// ...), at most 5 minutes either way.
std::chrono::milliseconds retry_after(std::optional<std::string_view> header, std::uint32_t attempt,
                                      std::chrono::system_clock::time_point now);

}  // namespace jobhost::http
