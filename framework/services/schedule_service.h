// schedule_set / schedule_remove (ABI 1.1): per-object schedules a plugin registers, e.g. one
// per Hedgehog fabric. In a run they are part of the run's transaction; in init they are saved
// at once. schedule_list (ABI 1.2) reads them back, with their next run and last outcome.
#pragma once

#include "jobhost/plugin_api.h"
#include "services/context.h"
#include "services/sql_binding.h"

namespace jobhost::services {

jh_status schedule_set(Context& ctx, const char* job_type, const char* key, const char* schedule,
                       const char* params_json);
jh_status schedule_remove(Context& ctx, const char* job_type, const char* key);
// The columns are those plugin_api.h documents for schedule_list.
jh_status schedule_list(Context& ctx, const char* job_type, ResultRows& out);

}  // namespace jobhost::services
