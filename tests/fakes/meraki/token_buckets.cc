#include "fakes/meraki/token_buckets.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace jobhost::testing::fake_meraki {

TokenBucket::TokenBucket(BucketLimits limits, BucketClock::time_point now)
    : limits_(limits), tokens_(limits.burst), updated_(now) {}

int TokenBucket::take(BucketClock::time_point now) {
  if (limits_.rate_per_s <= 0) return 0;
  if (now > updated_) {
    double elapsed = std::chrono::duration<double>(now - updated_).count();
    tokens_ = std::min(limits_.burst, tokens_ + elapsed * limits_.rate_per_s);
    updated_ = now;
  }
  if (tokens_ >= 1) {
    tokens_ -= 1;
    return 0;
  }
  double seconds = (1 - tokens_) / limits_.rate_per_s;
  return std::max(1, static_cast<int>(std::ceil(seconds)));
}

RateLimits::RateLimits(BucketLimits organization, BucketLimits ip)
    : organization_limits_(organization), ip_limits_(ip) {}

int RateLimits::take_from(std::map<std::string, TokenBucket, std::less<>>& buckets,
                          const BucketLimits& limits, std::string_view key,
                          BucketClock::time_point now) {
  if (limits.rate_per_s <= 0) return 0;
  auto it = buckets.find(key);
  if (it == buckets.end()) it = buckets.emplace(std::string(key), TokenBucket(limits, now)).first;
  return it->second.take(now);
}

int RateLimits::take_organization(std::string_view org_id, BucketClock::time_point now) {
  std::lock_guard lock(mutex_);
  return take_from(organizations_, organization_limits_, org_id, now);
}

int RateLimits::take_ip(std::string_view address, BucketClock::time_point now) {
  std::lock_guard lock(mutex_);
  return take_from(ips_, ip_limits_, address, now);
}

void RateLimits::set_organization_limits(BucketLimits limits) {
  std::lock_guard lock(mutex_);
  organization_limits_ = limits;
  organizations_.clear();
}

void RateLimits::forget_organization(std::string_view org_id) {
  std::lock_guard lock(mutex_);
  auto it = organizations_.find(org_id);
  if (it != organizations_.end()) organizations_.erase(it);
}

void check_limits(const BucketLimits& limits, std::string_view what) {
  if (!std::isfinite(limits.rate_per_s) || !std::isfinite(limits.burst) || limits.rate_per_s < 0 ||
      limits.burst < 0) {
    throw std::invalid_argument("fake-meraki: " + std::string(what) +
                                ": rate and burst must be finite and not negative");
  }
  if (limits.rate_per_s > 0 && limits.burst < 1) {
    throw std::invalid_argument("fake-meraki: " + std::string(what) +
                                ": a burst below 1 lets no request through (burst " +
                                std::to_string(limits.burst) + ")");
  }
}

}  // namespace jobhost::testing::fake_meraki
