#include "jobs/run_timeout.h"

#include <fmt/format.h>

namespace jobhost::jobs {

std::string timeout_error(const plugin::JobTypeSpec& type, uint32_t default_timeout_s) {
  const uint32_t limit = run_timeout_s(type, default_timeout_s);
  if (type.timeout_s) {
    return fmt::format(
        "timed out after {} s (job type {}'s own timeout): the run's events show what it waited "
        "for; check the health of that system and of the network to it",
        limit, type.name);
  }
  return fmt::format(
      "timed out after {} s (jobs.default_timeout_s): if the work is legitimately this slow, "
      "raise jobs.default_timeout_s; otherwise the run's events show what it waited for",
      limit);
}

}  // namespace jobhost::jobs
