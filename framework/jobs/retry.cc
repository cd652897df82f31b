#include "jobs/retry.h"

#include <algorithm>
#include <random>

namespace jobhost::jobs {

Micros retry_delay(const plugin::RetryPolicy& policy, int64_t attempt) {
  const double base = std::max<double>(policy.backoff_s, 1.0);
  const double cap = policy.backoff_max_s > 0 ? policy.backoff_max_s : 86400.0;
  const int64_t exponent = std::clamp<int64_t>(attempt - 1, 0, 40);
  const double full =
      std::min(base * static_cast<double>(1LL << std::min<int64_t>(exponent, 40)), cap);
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_real_distribution<double> half(full / 2.0, full);
  return std::max<Micros>(static_cast<Micros>(half(rng) * 1e6), 1000000);
}

}  // namespace jobhost::jobs
