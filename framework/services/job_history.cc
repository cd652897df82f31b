#include "services/job_history.h"

#include <string>

#include "services/plugin_store_access.h"

namespace jobhost::services {

namespace {

// Per key, the job that started last (a job waiting for its first start says nothing yet). An
// errored attempt waiting for its retry is back in `scheduled` with its error and finish time.
constexpr const char* kLatestStarted = R"SQL(
SELECT job_key AS key, id AS job_id, status, error, started_at, finished_at,
       CASE WHEN status = 'scheduled' THEN scheduled_at END AS retry_at, attempt
FROM (SELECT job_key, id, status, error, started_at, finished_at, scheduled_at, attempt,
             ROW_NUMBER() OVER (PARTITION BY job_key ORDER BY started_at DESC, id DESC) AS n
      FROM jh_jobs WHERE type = :type AND started_at IS NOT NULL) latest
WHERE n = 1 ORDER BY job_key
)SQL";

}  // namespace

jh_status latest_jobs(Context& ctx, const char* job_type, ResultRows& out) {
  const plugin::JobTypeSpec* type = own_job_type(ctx, job_type);
  if (!type) {
    ctx.fail(std::string("latest_jobs: '") + (job_type ? job_type : "(null)") +
             "' is not a job type of plugin " + ctx.plugin().name);
    return JH_INVALID_ARGUMENT;
  }
  jh_value param{};
  param.type = JH_VALUE_TEXT;
  param.u.text.ptr = type->name.data();
  param.u.text.len = type->name.size();
  with_plugin_session(
      ctx, [&](store::Session& s) { out = query_bound(s.sql(), kLatestStarted, &param, 1); });
  return JH_OK;
}

}  // namespace jobhost::services
