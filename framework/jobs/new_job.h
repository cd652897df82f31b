// Turning a job type and checked parameters into the row enqueue writes: the job's key, its
// singleton slot and its attempt budget all come from the type's declaration.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/time.h"
#include "jobs/job.h"
#include "plugin/plugin_spec.h"

namespace jobhost::jobs {

NewJob make_new_job(const plugin::JobTypeSpec& type, const nlohmann::json& params,
                    const std::string& origin, Micros scheduled_at);

// The singleton slot for a type and key: unique among live jobs.
std::string singleton_slot(const std::string& type, const std::string& key);

}  // namespace jobhost::jobs
