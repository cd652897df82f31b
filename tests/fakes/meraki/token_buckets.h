#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

// Meraki's rate limits: a token bucket per organization and one per source IP address.
namespace jobhost::testing::fake_meraki {

using BucketClock = std::chrono::steady_clock;  // monotonic: a clock change refills nothing

struct BucketLimits {
  double rate_per_s = 0;  // tokens added a second; 0: no limit
  double burst = 0;       // most tokens held; a new bucket starts full
};

// Not thread-safe on its own (RateLimits locks).
class TokenBucket {
 public:
  TokenBucket(BucketLimits limits, BucketClock::time_point now);
  // Takes a token: 0 when there was one, else the whole seconds until one is back (at
  // least 1), which is what Retry-After says.
  int take(BucketClock::time_point now);

 private:
  BucketLimits limits_;
  double tokens_;
  BucketClock::time_point updated_;
};

// Thread-safe. Buckets are made on first use, full.
class RateLimits {
 public:
  RateLimits(BucketLimits organization, BucketLimits ip);

  // 0 or the Retry-After seconds, as TokenBucket::take.
  int take_organization(std::string_view org_id, BucketClock::time_point now);
  int take_ip(std::string_view address, BucketClock::time_point now);
  // New per-organization limits; every organization's bucket starts full again.
  void set_organization_limits(BucketLimits limits);
  void forget_organization(std::string_view org_id);

 private:
  static int take_from(std::map<std::string, TokenBucket, std::less<>>& buckets,
                       const BucketLimits& limits, std::string_view key,
                       BucketClock::time_point now);

  std::mutex mutex_;
  BucketLimits organization_limits_;
  BucketLimits ip_limits_;
  std::map<std::string, TokenBucket, std::less<>> organizations_;
  std::map<std::string, TokenBucket, std::less<>> ips_;
};

// Throws std::invalid_argument when a rate comes with a burst below 1 (no request could ever
// pass) or either is negative or not finite; `what` names the setting in the message.
void check_limits(const BucketLimits& limits, std::string_view what);

}  // namespace jobhost::testing::fake_meraki
