#include "services/http/rate_limiter.h"

#include <curl/curl.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace jobhost::http {

namespace {

constexpr std::size_t kPruneAbove = 4096;  // buckets kept before idle ones are dropped
constexpr auto kLongestWait = std::chrono::minutes(5);

double clamp_burst(double burst) {
  return burst < 1 ? 1 : burst;
}

}  // namespace

void RateLimiter::refill(Bucket& b, Clock::time_point now) const {
  if (now <= b.refilled) return;
  if (b.per_second > 0) {
    const double seconds = std::chrono::duration<double>(now - b.refilled).count();
    b.tokens = std::min(b.burst, b.tokens + seconds * b.per_second);
  } else {
    b.tokens = b.burst;
  }
  b.refilled = now;
}

std::optional<RateLimiter::Clock::time_point> RateLimiter::try_take(const RateLimit& limit,
                                                                    Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto [it, created] = buckets_.try_emplace(limit.key);
  Bucket& b = it->second;
  if (created) {
    b.burst = clamp_burst(limit.burst);
    b.tokens = b.burst;
    b.refilled = now;
    if (buckets_.size() > kPruneAbove) prune(now);
  }
  b.per_second = limit.per_second;
  b.burst = clamp_burst(limit.burst);
  if (now < b.held_until) return b.held_until;
  refill(b, now);
  if (b.per_second <= 0 || b.tokens >= 1) {
    if (b.per_second > 0) b.tokens -= 1;
    return std::nullopt;
  }
  const double missing = 1 - b.tokens;
  return now + std::chrono::duration_cast<Clock::duration>(
                   std::chrono::duration<double>(missing / b.per_second));
}

void RateLimiter::hold(const std::string& key, Clock::time_point until) {
  std::lock_guard lock(mutex_);
  Bucket& b = buckets_[key];
  b.held_until = std::max(b.held_until, until);
  // What the server said: nothing before `until`, then one request; the rhythm goes on from
  // there.
  b.tokens = 1;
  b.refilled = b.held_until;
}

std::size_t RateLimiter::buckets() const {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

void RateLimiter::prune(Clock::time_point now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    Bucket& b = it->second;
    refill(b, now);
    if (now >= b.held_until && b.tokens >= b.burst)
      it = buckets_.erase(it);
    else
      ++it;
  }
}

std::chrono::milliseconds retry_after(std::optional<std::string_view> header, std::uint32_t attempt,
                                      std::chrono::system_clock::time_point now) {
  using std::chrono::milliseconds;
  const milliseconds longest = kLongestWait;
  if (header && !header->empty()) {
    const std::string text(*header);
    char* end = nullptr;
    const double seconds = std::strtod(text.c_str(), &end);
    if (end != text.c_str() && *end == '\0' && std::isfinite(seconds) && seconds >= 0)
      return std::min(longest, milliseconds(static_cast<int64_t>(std::ceil(seconds * 1000))));
    const time_t at = curl_getdate(text.c_str(), nullptr);
    if (at != -1) {
      const auto wait = std::chrono::system_clock::from_time_t(at) - now;
      return std::clamp(std::chrono::duration_cast<milliseconds>(wait), milliseconds(0), longest);
    }
  }
  const auto doubled = milliseconds(1000) * (int64_t{1} << std::min<std::uint32_t>(attempt, 9));
  return std::min(longest, doubled);
}

}  // namespace jobhost::http
