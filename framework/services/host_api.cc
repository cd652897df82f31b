// The host-service table (jh_host_api_v1): C entry points that check their arguments, find
// the context behind the handle, and never let an exception cross the boundary.
#include <cctype>
#include <cstring>

#include <soci/soci.h>
#include <nlohmann/json.hpp>

#include "services/abi_copy.h"
#include "services/context.h"
#include "services/http_service.h"
#include "services/job_history.h"
#include "services/schedule_service.h"
#include "services/sql_binding.h"

namespace jobhost::services {

namespace {

// Runs `fn`, turning exceptions into JH_ERROR with the message on the context.
template <class Fn>
jh_status guarded(Context* c, Fn&& fn) {
  try {
    return fn();
  } catch (const std::exception& e) {
    if (c) c->fail(e.what());
    return JH_ERROR;
  } catch (...) {
    if (c) c->fail("unknown error in the host");
    return JH_ERROR;
  }
}

Context* context(jh_context* c) {
  return c ? Context::from(c) : nullptr;
}

// The run behind a handle, or nullptr (with the error set) for the plugin context.
RunContext* run_of(jh_context* c, const char* service) {
  Context* ctx = context(c);
  if (!ctx) return nullptr;
  if (ctx->kind() != Context::Kind::run) {
    ctx->fail(std::string(service) + " is only available while a job runs");
    return nullptr;
  }
  return static_cast<RunContext*>(ctx);
}

// The run behind a handle when it is a read-only query (ABI 1.4; jobs/query.h), else nullptr. A
// read-only type run as an ordinary job is not a query and is not limited.
RunContext* query_of(jh_context* c) {
  Context* ctx = context(c);
  if (!ctx || ctx->kind() != Context::Kind::run) return nullptr;
  auto* run = static_cast<RunContext*>(ctx);
  return run->read_only() ? run : nullptr;
}

// In a query the services that write refuse: it runs outside the job queue, with no job to
// account for what it changed. Returns true (the error set on the context) when `what` is
// refused.
bool refused_in_query(jh_context* c, const std::string& what) {
  RunContext* run = query_of(c);
  if (!run) return false;
  run->fail("job type " + run->type().name + " is read-only: " + what +
            " is refused in a query (it runs outside the job queue and must not change anything)");
  run->note_refused(run->last_error());
  return true;
}

// GET and HEAD only read; a NULL or empty method is a GET.
bool reading_method(const char* method) {
  if (!method || !*method) return true;
  std::string m(method);
  for (char& ch : m) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return m == "GET" || m == "HEAD";
}

// A request a query may not send: "http_request POST https://..." for the refusal, else "".
std::string writing_request(const char* service, const void* request, size_t size) {
  const auto r = copy_from_plugin<jh_http_request_v1>(request, size);
  if (reading_method(r.method)) return {};
  return std::string(service) + " " + r.method + " " + (r.url ? r.url : "");
}

jh_value text_value(const std::string& kept, int32_t type = JH_VALUE_TEXT) {
  jh_value v{};
  v.type = type;
  v.u.text.ptr = kept.data();
  v.u.text.len = kept.size();
  return v;
}

// A JSON value as a jh_value; strings and structures are kept alive on the context.
jh_status to_value(Context& ctx, const std::string& key, const nlohmann::json& j, jh_value* out) {
  jh_value v{};
  if (j.is_null()) {
    v.type = JH_VALUE_NULL;
  } else if (j.is_boolean()) {
    v.type = JH_VALUE_INT;
    v.u.i = j.get<bool>() ? 1 : 0;
  } else if (j.is_number_integer()) {
    v.type = JH_VALUE_INT;
    v.u.i = j.get<int64_t>();
  } else if (j.is_number()) {
    v.type = JH_VALUE_REAL;
    v.u.r = j.get<double>();
  } else if (j.is_string()) {
    v = text_value(ctx.keep(key, j.get<std::string>()));
  } else {
    v = text_value(ctx.keep(key, j.dump()), JH_VALUE_JSON);
  }
  *out = v;
  return JH_OK;
}

bool valid_json(const char* s) {
  return s == nullptr || nlohmann::json::accept(s);
}

const char* level_name(int32_t level) {
  switch (level) {
    case JH_LOG_TRACE:
      return "trace";
    case JH_LOG_DEBUG:
      return "debug";
    case JH_LOG_WARN:
      return "warn";
    case JH_LOG_ERROR:
      return "error";
    default:
      return "info";
  }
}

spdlog::level::level_enum spd_level(int32_t level) {
  switch (level) {
    case JH_LOG_TRACE:
      return spdlog::level::trace;
    case JH_LOG_DEBUG:
      return spdlog::level::debug;
    case JH_LOG_WARN:
      return spdlog::level::warn;
    case JH_LOG_ERROR:
      return spdlog::level::err;
    default:
      return spdlog::level::info;
  }
}

// ---- errors ----
const char* api_last_error(jh_context* c) {
  Context* ctx = context(c);
  return ctx ? ctx->last_error().c_str() : "no context given";
}

void api_set_error(jh_context* c, const char* message) {
  if (Context* ctx = context(c)) ctx->report(message ? message : "");
}

// ---- log ----
void api_log(jh_context* c, int32_t level, const char* message, const char* fields_json) {
  Context* ctx = context(c);
  if (!ctx || !message) return;
  try {
    auto& log = *ctx->plugin().log;
    const auto lvl = spd_level(level);
    if (!log.should_log(lvl)) return;
    std::string prefix;
    if (ctx->kind() == Context::Kind::run) {
      const auto* run = static_cast<RunContext*>(ctx);
      prefix = run->read_only() ? "query " + run->type().name + ": "  // no job: id 0
                                : "job " + std::to_string(run->job().id) + ": ";
    }
    if (fields_json && *fields_json)
      log.log(lvl, "{}{} {}", prefix, message, fields_json);
    else
      log.log(lvl, "{}{}", prefix, message);
  } catch (...) {
    // Logging must never fail a plugin.
  }
}

int32_t api_log_enabled(jh_context* c, int32_t level) {
  Context* ctx = context(c);
  return ctx && ctx->plugin().log->should_log(spd_level(level)) ? 1 : 0;
}

// ---- settings ----
jh_status api_setting_get(jh_context* c, const char* path, jh_value* out) {
  Context* ctx = context(c);
  if (!ctx) return JH_INVALID_ARGUMENT;
  if (!path || !out) {
    ctx->fail("setting_get: path and out are required");
    return JH_INVALID_ARGUMENT;
  }
  return guarded(ctx, [&]() -> jh_status {
    const nlohmann::json* node = &ctx->settings().values;
    std::string p(path), part;
    size_t start = 0;
    while (start <= p.size()) {
      size_t dot = p.find('.', start);
      part = p.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      if (node->is_object() && node->contains(part)) {
        node = &(*node)[part];
      } else if (node->is_array() && !part.empty() &&
                 part.find_first_not_of("0123456789") == std::string::npos &&
                 std::stoul(part) < node->size()) {
        node = &(*node)[std::stoul(part)];
      } else {
        ctx->fail("no setting '" + p + "' in the plugin's section");
        return JH_NOT_FOUND;
      }
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    if (node->is_null()) {
      ctx->fail("setting '" + p + "' is not set");
      return JH_NOT_FOUND;
    }
    return to_value(*ctx, "setting:" + p, *node, out);
  });
}

const char* api_settings_json(jh_context* c) {
  Context* ctx = context(c);
  return ctx ? ctx->settings().text.c_str() : "{}";
}

// ---- the run ----
int64_t api_job_id(jh_context* c) {
  RunContext* run = run_of(c, "job_id");
  return run ? run->job().id : 0;
}

int32_t api_job_attempt(jh_context* c) {
  RunContext* run = run_of(c, "job_attempt");
  return run ? static_cast<int32_t>(run->job().attempt) : 0;
}

const char* api_job_key(jh_context* c) {
  RunContext* run = run_of(c, "job_key");
  return run ? run->job().key.c_str() : "";
}

jh_status api_param_get(jh_context* c, const char* name, jh_value* out) {
  RunContext* run = run_of(c, "param_get");
  if (!run) return c ? JH_UNSUPPORTED : JH_INVALID_ARGUMENT;
  if (!name || !out) {
    run->fail("param_get: name and out are required");
    return JH_INVALID_ARGUMENT;
  }
  return guarded(run, [&]() -> jh_status {
    const auto& params = run->params();
    if (!params.contains(name)) {
      run->fail("job type " + run->type().name + " has no value for parameter '" + name + "'");
      return JH_NOT_FOUND;
    }
    return to_value(*run, std::string("param:") + name, params.at(name), out);
  });
}

const char* api_params_json(jh_context* c) {
  RunContext* run = run_of(c, "params_json");
  return run ? run->params_text().c_str() : "{}";
}

int32_t api_cancelled(jh_context* c) {
  Context* ctx = context(c);
  return ctx && ctx->cancelled() ? 1 : 0;
}

void api_progress(jh_context* c, int64_t done, int64_t total, const char* message) {
  if (RunContext* run = run_of(c, "progress")) run->set_progress(done, total, message);
}

jh_status api_set_output(jh_context* c, const jh_output_v1* output, size_t size) {
  RunContext* run = run_of(c, "set_output");
  if (!run) return c ? JH_UNSUPPORTED : JH_INVALID_ARGUMENT;
  if (!output) {
    run->fail("set_output: output is NULL");
    return JH_INVALID_ARGUMENT;
  }
  auto out = copy_from_plugin<jh_output_v1>(output, size);
  const std::pair<const char*, const char*> fields[] = {{"result", out.result_json},
                                                        {"data", out.data_json},
                                                        {"pre_data", out.pre_data_json},
                                                        {"post_data", out.post_data_json}};
  for (const auto& [name, text] : fields) {
    if (!valid_json(text)) {
      run->fail(std::string("set_output: ") + name + " is not valid JSON");
      return JH_INVALID_ARGUMENT;
    }
  }
  run->set_output(out);
  return JH_OK;
}

jh_status api_event_emit(jh_context* c, const jh_event_v1* event, size_t size) {
  RunContext* run = run_of(c, "event_emit");
  if (!run) return c ? JH_UNSUPPORTED : JH_INVALID_ARGUMENT;
  if (refused_in_query(c, "event_emit")) return JH_UNSUPPORTED;
  if (!event) {
    run->fail("event_emit: event is NULL");
    return JH_INVALID_ARGUMENT;
  }
  auto e = copy_from_plugin<jh_event_v1>(event, size);
  if (!e.message) {
    run->fail("event_emit: an event needs a message");
    return JH_INVALID_ARGUMENT;
  }
  const std::pair<const char*, const char*> fields[] = {
      {"data", e.data_json}, {"pre_data", e.pre_data_json}, {"post_data", e.post_data_json}};
  for (const auto& [name, text] : fields) {
    if (!valid_json(text)) {
      run->fail(std::string("event_emit: ") + name + " is not valid JSON");
      return JH_INVALID_ARGUMENT;
    }
  }
  return guarded(run, [&]() -> jh_status {
    auto opt = [](const char* s) { return s ? std::optional<std::string>(s) : std::nullopt; };
    run->events().push_back({now_micros(), level_name(e.level), e.message, opt(e.data_json),
                             opt(e.pre_data_json), opt(e.post_data_json), opt(e.signal_id)});
    return JH_OK;
  });
}

// ---- SQL ----
const char* api_sql_dialect(jh_context* c) {
  Context* ctx = context(c);
  return ctx ? ctx->plugin().dialect.c_str() : "";
}

// Runs a statement of the plugin's in the run's transaction; database errors are SQL errors.
template <class Fn>
jh_status with_sql(jh_context* c, const char* service, const char* sql, Fn&& fn) {
  RunContext* run = run_of(c, service);
  if (!run) return c ? JH_UNSUPPORTED : JH_INVALID_ARGUMENT;
  if (!sql) {
    run->fail(std::string(service) + ": sql is NULL");
    return JH_INVALID_ARGUMENT;
  }
  if (run->cancelled()) {
    run->fail("run cancelled");
    return JH_CANCELLED;
  }
  try {
    return fn(*run, run->transaction().use().sql());
  } catch (const std::invalid_argument& e) {
    run->fail(std::string(service) + ": " + e.what());
    return JH_INVALID_ARGUMENT;
  } catch (const std::exception& e) {
    run->fail(e.what());
    return JH_SQL_ERROR;
  } catch (...) {
    run->fail("unknown database error");
    return JH_SQL_ERROR;
  }
}

jh_status api_sql_exec(jh_context* c, const char* sql, const jh_value* params, uint32_t count,
                       int64_t* affected) {
  if (refused_in_query(c, "sql_exec")) return JH_UNSUPPORTED;
  return with_sql(c, "sql_exec", sql, [&](RunContext&, soci::session& s) {
    if (count > 0 && !params) throw std::invalid_argument("params is NULL");
    int64_t n = exec_bound(s, sql, params, count);
    if (affected) *affected = n;
    return JH_OK;
  });
}

jh_status api_sql_exec_many(jh_context* c, const char* sql, const jh_value* params,
                            uint32_t per_row, uint32_t rows, int64_t* affected) {
  if (refused_in_query(c, "sql_exec_many")) return JH_UNSUPPORTED;
  return with_sql(c, "sql_exec_many", sql, [&](RunContext&, soci::session& s) {
    if (rows > 0 && per_row > 0 && !params) throw std::invalid_argument("params is NULL");
    int64_t n = exec_bound_many(s, sql, params, per_row, rows);
    if (affected) *affected = n;
    return JH_OK;
  });
}

jh_status api_sql_query(jh_context* c, const char* sql, const jh_value* params, uint32_t count,
                        jh_rows** out) {
  if (!out) return JH_INVALID_ARGUMENT;
  *out = nullptr;
  return with_sql(c, "sql_query", sql, [&](RunContext&, soci::session& s) {
    if (count > 0 && !params) throw std::invalid_argument("params is NULL");
    auto rows = std::make_unique<ResultRows>(query_bound(s, sql, params, count));
    *out = reinterpret_cast<jh_rows*>(rows.release());
    return JH_OK;
  });
}

ResultRows* rows_of(jh_rows* r) {
  return reinterpret_cast<ResultRows*>(r);
}

int32_t api_rows_next(jh_rows* r) {
  if (!r) return 0;
  auto* rows = rows_of(r);
  if (rows->next >= rows->rows.size()) {
    rows->has_current = false;
    return 0;
  }
  ++rows->next;
  rows->has_current = true;
  return 1;
}

uint32_t api_rows_column_count(jh_rows* r) {
  return r ? static_cast<uint32_t>(rows_of(r)->columns.size()) : 0;
}

const char* api_rows_column_name(jh_rows* r, uint32_t column) {
  if (!r || column >= rows_of(r)->columns.size()) return nullptr;
  return rows_of(r)->columns[column].c_str();
}

jh_status api_rows_get(jh_rows* r, uint32_t column, jh_value* out) {
  if (!r || !out) return JH_INVALID_ARGUMENT;
  auto* rows = rows_of(r);
  if (!rows->has_current) return JH_NOT_FOUND;
  const auto& row = rows->current();
  if (column >= row.size()) return JH_NOT_FOUND;
  const Cell& cell = row[column];
  jh_value v{};
  v.type = cell.type;
  if (cell.type == JH_VALUE_INT) v.u.i = cell.i;
  if (cell.type == JH_VALUE_REAL) v.u.r = cell.r;
  if (cell.type == JH_VALUE_TEXT) {
    v.u.text.ptr = cell.text.data();
    v.u.text.len = cell.text.size();
  }
  *out = v;
  return JH_OK;
}

void api_rows_release(jh_rows* r) {
  delete rows_of(r);
}

// ---- HTTP ----
jh_status api_http_request(jh_context* c, const jh_http_request_v1* request, size_t size,
                           jh_http_response_v1** response) {
  Context* ctx = context(c);
  if (!ctx || !request || !response) {
    if (ctx) ctx->fail("http_request: request and response are required");
    return JH_INVALID_ARGUMENT;
  }
  *response = nullptr;
  if (query_of(c)) {
    if (auto what = writing_request("http_request", request, size); !what.empty()) {
      refused_in_query(c, what);
      return JH_UNSUPPORTED;
    }
  }
  return guarded(ctx, [&] { return http_request(*ctx, request, size, response); });
}

jh_status api_http_request_many(jh_context* c, const jh_http_request_v1* requests, size_t size,
                                uint32_t count, uint32_t max_in_flight,
                                jh_http_response_v1** responses, jh_status* statuses) {
  Context* ctx = context(c);
  if (!ctx || (count > 0 && (!requests || !responses || !statuses))) {
    if (ctx) ctx->fail("http_request_many: requests, responses and statuses are required");
    return JH_INVALID_ARGUMENT;
  }
  // In a query one writing request refuses the whole call, before any of them is sent.
  for (uint32_t i = 0; query_of(c) && i < count; ++i) {
    const auto* p = reinterpret_cast<const unsigned char*>(requests) + size * i;
    if (auto what = writing_request("http_request_many", p, size); !what.empty()) {
      refused_in_query(c, what);
      for (uint32_t j = 0; j < count; ++j) {
        responses[j] = nullptr;
        statuses[j] = JH_UNSUPPORTED;
      }
      ctx->http_errors().assign(count, ctx->last_error());
      return JH_UNSUPPORTED;
    }
  }
  return guarded(ctx, [&] {
    return http_request_many(*ctx, requests, size, count, max_in_flight, responses, statuses);
  });
}

void api_http_response_release(jh_http_response_v1* response) {
  http_response_release(response);
}

const char* api_http_error_at(jh_context* c, uint32_t index) {
  Context* ctx = context(c);
  if (!ctx || index >= ctx->http_errors().size()) return "";
  return ctx->http_errors()[index].c_str();
}

// ---- 1.1: per-object schedules ----
jh_status api_schedule_set(jh_context* c, const char* job_type, const char* key,
                           const char* schedule, const char* params_json) {
  Context* ctx = context(c);
  if (!ctx) return JH_INVALID_ARGUMENT;
  if (refused_in_query(c, "schedule_set")) return JH_UNSUPPORTED;
  return guarded(ctx, [&] { return schedule_set(*ctx, job_type, key, schedule, params_json); });
}

jh_status api_schedule_remove(jh_context* c, const char* job_type, const char* key) {
  Context* ctx = context(c);
  if (!ctx) return JH_INVALID_ARGUMENT;
  if (refused_in_query(c, "schedule_remove")) return JH_UNSUPPORTED;
  return guarded(ctx, [&] { return schedule_remove(*ctx, job_type, key); });
}

// A service answering with rows (schedule_list, latest_jobs): the rows handed over on JH_OK.
template <class Fn>
jh_status answer_rows(jh_context* c, jh_rows** out, Fn&& fill) {
  Context* ctx = context(c);
  if (!ctx || !out) return JH_INVALID_ARGUMENT;
  *out = nullptr;
  return guarded(ctx, [&] {
    auto rows = std::make_unique<ResultRows>();
    jh_status s = fill(*ctx, *rows);
    if (s == JH_OK) *out = reinterpret_cast<jh_rows*>(rows.release());
    return s;
  });
}

jh_status api_schedule_list(jh_context* c, const char* job_type, jh_rows** out) {
  return answer_rows(
      c, out, [&](Context& ctx, ResultRows& rows) { return schedule_list(ctx, job_type, rows); });
}

jh_status api_latest_jobs(jh_context* c, const char* job_type, jh_rows** out) {
  return answer_rows(
      c, out, [&](Context& ctx, ResultRows& rows) { return latest_jobs(ctx, job_type, rows); });
}

jh_host_api_v1 make_table() {
  jh_host_api_v1 t;
  std::memset(&t, 0, sizeof t);
  t.struct_size = sizeof(jh_host_api_v1);
  t.abi_major = JH_ABI_MAJOR;
  t.abi_minor = JH_ABI_MINOR;
  t.last_error = api_last_error;
  t.set_error = api_set_error;
  t.log = api_log;
  t.log_enabled = api_log_enabled;
  t.setting_get = api_setting_get;
  t.settings_json = api_settings_json;
  t.job_id = api_job_id;
  t.job_attempt = api_job_attempt;
  t.job_key = api_job_key;
  t.param_get = api_param_get;
  t.params_json = api_params_json;
  t.cancelled = api_cancelled;
  t.progress = api_progress;
  t.set_output = api_set_output;
  t.event_emit = api_event_emit;
  t.sql_dialect = api_sql_dialect;
  t.sql_exec = api_sql_exec;
  t.sql_exec_many = api_sql_exec_many;
  t.sql_query = api_sql_query;
  t.rows_next = api_rows_next;
  t.rows_column_count = api_rows_column_count;
  t.rows_column_name = api_rows_column_name;
  t.rows_get = api_rows_get;
  t.rows_release = api_rows_release;
  t.http_request = api_http_request;
  t.http_request_many = api_http_request_many;
  t.http_response_release = api_http_response_release;
  t.http_error_at = api_http_error_at;
  t.schedule_set = api_schedule_set;
  t.schedule_remove = api_schedule_remove;
  t.schedule_list = api_schedule_list;
  t.latest_jobs = api_latest_jobs;
  return t;
}

}  // namespace

const jh_host_api_v1* host_api() {
  static const jh_host_api_v1 table = make_table();
  return &table;
}

}  // namespace jobhost::services
