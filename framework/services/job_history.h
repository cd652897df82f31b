// latest_jobs (ABI 1.2): the most recent run of each key of one of the plugin's job types,
// from the host's job records: what a plugin's status report needs to say "syncing", "errored
// (retrying at ...)" or "last run failed", which its own tables cannot know (an errored run's
// writes are rolled back).
#pragma once

#include "jobhost/plugin_api.h"
#include "services/context.h"
#include "services/sql_binding.h"

namespace jobhost::services {

// The columns are those plugin_api.h documents for latest_jobs.
jh_status latest_jobs(Context& ctx, const char* job_type, ResultRows& out);

}  // namespace jobhost::services
