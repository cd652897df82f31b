// How long a run may take, and what its error says when it took longer. The error names where
// the limit came from, because that decides what the operator can do about it: the default is
// theirs to raise, a job type's own limit is its author's judgement of a healthy run.
#pragma once

#include <cstdint>
#include <string>

#include "plugin/plugin_spec.h"

namespace jobhost::jobs {

// The job type's own timeout, else the host's default (jobs.default_timeout_s).
inline uint32_t run_timeout_s(const plugin::JobTypeSpec& type, uint32_t default_timeout_s) {
  return type.timeout_s ? type.timeout_s : default_timeout_s;
}

// "timed out after N s (...): what to do".
std::string timeout_error(const plugin::JobTypeSpec& type, uint32_t default_timeout_s);

}  // namespace jobhost::jobs
