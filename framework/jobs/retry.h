// When an errored job tries again: exponential backoff with jitter, per the job type's policy.
#pragma once

#include <cstdint>

#include "core/time.h"
#include "plugin/plugin_spec.h"

namespace jobhost::jobs {

// Delay before attempt `attempt + 1`, after attempt `attempt` (from 1) errored:
// backoff_s * 2^(attempt-1), capped at backoff_max_s, then a random point in its upper half
// ("equal jitter"), so that jobs that failed together do not retry together. At least 1 s.
Micros retry_delay(const plugin::RetryPolicy& policy, int64_t attempt);

// Whether an errored attempt is retried.
inline bool retries_left(int64_t attempt, int64_t max_attempts) {
  return attempt < max_attempts;
}

}  // namespace jobhost::jobs
