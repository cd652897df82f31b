/* A plugin written in C against the frozen copy of the ABI 1.0 header (abi-v1.0/). It uses
 * the services of 1.0 that matter most: migrations, SQL with bound parameters, a query, an
 * event, the output. Every host of ABI major 1 must load and run it unchanged. */
#include <stdio.h>
#include <string.h>

#include "jobhost/plugin_api.h"

static jh_status run_count(void* user_data, const jh_host_api_v1* api, jh_context* run) {
  (void)user_data;
  jh_value params[2];
  memset(params, 0, sizeof params);
  params[0].type = JH_VALUE_INT;
  params[0].u.i = api->job_id(run);
  params[1].type = JH_VALUE_TEXT;
  params[1].u.text.ptr = "from C";
  params[1].u.text.len = 6;
  if (api->sql_exec(run, "INSERT INTO frozen_items (job_id, note) VALUES (:job, :note)", params, 2,
                    NULL) != JH_OK) {
    api->set_error(run, api->last_error(run));
    return JH_ERROR;
  }
  jh_rows* rows = NULL;
  if (api->sql_query(run, "SELECT COUNT(*) FROM frozen_items", NULL, 0, &rows) != JH_OK) {
    api->set_error(run, api->last_error(run));
    return JH_ERROR;
  }
  jh_value count;
  memset(&count, 0, sizeof count);
  if (!api->rows_next(rows) || api->rows_get(rows, 0, &count) != JH_OK ||
      count.type != JH_VALUE_INT) {
    api->rows_release(rows);
    api->set_error(run, "COUNT(*) did not come back as an integer");
    return JH_ERROR;
  }
  api->rows_release(rows);

  char result[64];
  snprintf(result, sizeof result, "{\"count\":%lld}", (long long)count.u.i);
  jh_event_v1 event;
  memset(&event, 0, sizeof event);
  event.message = "counted frozen items";
  event.data_json = result;
  if (api->event_emit(run, &event, sizeof event) != JH_OK) return JH_ERROR;
  jh_output_v1 out;
  memset(&out, 0, sizeof out);
  out.result_json = result;
  return api->set_output(run, &out, sizeof out);
}

static const jh_param_v1 params[] = {
    {.name = "note", .type = JH_TYPE_STRING, .required = 0, .default_value = "x"},
};

static const jh_job_type_v1 job_types[] = {
    {.name = "frozen.count",
     .description = "Inserts a row and counts them",
     .params = params,
     .param_count = 1,
     .param_size = sizeof(jh_param_v1),
     .singleton = 1,
     .run = run_count},
};

static const jh_migration_v1 migrations[] = {
    {.version = 1,
     .dialect = "any",
     .description = "items",
     .sql = "CREATE TABLE frozen_items (job_id BIGINT NOT NULL, note TEXT)"},
};

static const jh_plugin_v1 descriptor = {
    .struct_size = sizeof(jh_plugin_v1),
    .abi_major = JH_ABI_MAJOR,
    .abi_minor = JH_ABI_MINOR,
    .name = "frozen",
    .version = "1.0.0",
    .sdk_version = JH_SDK_VERSION,
    .description = "Built against the frozen ABI 1.0 header",
    .job_types = job_types,
    .job_type_count = 1,
    .job_type_size = sizeof(jh_job_type_v1),
    .migrations = migrations,
    .migration_count = 1,
    .migration_size = sizeof(jh_migration_v1),
};

JH_EXPORT const jh_plugin_v1* jobhost_plugin_v1(const jh_host_info* host) {
  /* A host of another major would not call us; a newer minor host is fine. */
  if (host == NULL || host->abi_major != JH_ABI_MAJOR) return NULL;
  return &descriptor;
}
