#include "services/schedule_service.h"

#include <algorithm>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "core/logging.h"
#include "jobs/params.h"
#include "schedule/configured_precedence.h"
#include "schedule/min_interval.h"
#include "schedule/schedule_store.h"
#include "schedule/spec.h"
#include "services/plugin_store_access.h"
#include "store/database.h"

namespace jobhost::services {

namespace {

Cell text_cell(std::string text) {
  Cell c;
  c.type = JH_VALUE_TEXT;
  c.text = std::move(text);
  return c;
}

Cell int_cell(int64_t value) {
  Cell c;
  c.type = JH_VALUE_INT;
  c.i = value;
  return c;
}

template <class T>
Cell optional_cell(const std::optional<T>& value) {
  if (!value) return Cell{};
  if constexpr (std::is_same_v<T, std::string>) {
    return text_cell(*value);
  } else {
    return int_cell(*value);
  }
}

// The operator's `schedules:` entry for (type, key), if any, in `session`: see
// schedule/configured_precedence.h. The plugin did nothing wrong, so its call still succeeds; a
// note says once per loaded plugin and schedule (init and every reload call again) that its
// request was not used.
bool kept_for_config(Context& ctx, store::Session& session, const plugin::JobTypeSpec& type,
                     const std::string& key, const std::string& request) {
  const auto config = ctx.plugin().host_config();
  if (!config) return false;
  const auto kept = schedule::keep_configured_schedule(session, *config, type, key, now_micros());
  if (!kept) return false;
  const std::string name = key.empty() ? type.name : type.name + "/" + key;
  if (ctx.plugin().first_time("configured schedule " + name))
    host_log()->info(
        "schedule {}: the host's `schedules:` section sets it ({}); plugin {}'s {} is not used",
        name, *kept, ctx.plugin().name, request);
  return true;
}

}  // namespace

jh_status schedule_set(Context& ctx, const char* job_type, const char* key, const char* schedule,
                       const char* params_json) {
  const plugin::JobTypeSpec* type = own_job_type(ctx, job_type);
  if (!type) {
    ctx.fail(std::string("schedule_set: '") + (job_type ? job_type : "(null)") +
             "' is not a job type of plugin " + ctx.plugin().name);
    return JH_INVALID_ARGUMENT;
  }
  if (!key) key = "";  // the job type's own schedule (see plugin_api.h)
  if (!*key && !type->key_param.empty()) {
    ctx.fail(std::string("schedule_set: job type '") + type->name + "' is keyed by parameter '" +
             type->key_param + "': give the key of the object the schedule is about");
    return JH_INVALID_ARGUMENT;
  }
  try {
    const auto spec = schedule::parse_schedule(schedule ? schedule : "");
    schedule::check_min_interval(spec, type->min_interval_s, type->name, now_micros());
    nlohmann::json params = nlohmann::json::object();
    if (params_json && *params_json) {
      params = nlohmann::json::parse(params_json, nullptr, false);
      if (params.is_discarded() || !params.is_object())
        throw std::invalid_argument("params_json is not a JSON object");
    }
    if (!type->key_param.empty()) params[type->key_param] = key;
    params = jobs::params_from_json(*type, params);
    with_plugin_session(ctx, [&](store::Session& s) {
      if (kept_for_config(ctx, s, *type, key, "schedule_set '" + spec.text + "'")) return;
      schedule::DesiredSchedule d;
      d.job_type = type->name;
      d.key = key;
      d.source = schedule::Source::plugin;
      d.spec = spec.text;
      d.params = params.dump();
      schedule::ScheduleStore(s).upsert(d, now_micros());
    });
    return JH_OK;
  } catch (const std::invalid_argument& e) {
    ctx.fail(std::string("schedule_set ") + type->name + (*key ? std::string(" key ") + key : "") +
             ": " + e.what());
    return JH_INVALID_ARGUMENT;
  }
}

jh_status schedule_remove(Context& ctx, const char* job_type, const char* key) {
  const plugin::JobTypeSpec* type = own_job_type(ctx, job_type);
  if (!type || !key) {
    ctx.fail(std::string("schedule_remove: '") + (job_type ? job_type : "(null)") +
             "' is not a job type of plugin " + ctx.plugin().name);
    return JH_INVALID_ARGUMENT;
  }
  bool removed = false;
  with_plugin_session(ctx, [&](store::Session& s) {
    // A configured schedule stays: the YAML reconcile owns it (JH_OK: nothing to refuse).
    removed = kept_for_config(ctx, s, *type, key, "schedule_remove") ||
              schedule::ScheduleStore(s).remove(type->name, key);
  });
  if (!removed) {
    ctx.fail(std::string("schedule_remove: no schedule for ") + type->name + " key " + key);
    return JH_NOT_FOUND;
  }
  return JH_OK;
}

jh_status schedule_list(Context& ctx, const char* job_type, ResultRows& out) {
  const plugin::JobTypeSpec* type = own_job_type(ctx, job_type);
  if (!type) {
    ctx.fail(std::string("schedule_list: '") + (job_type ? job_type : "(null)") +
             "' is not a job type of plugin " + ctx.plugin().name);
    return JH_INVALID_ARGUMENT;
  }
  std::vector<schedule::ScheduleRecord> records;
  with_plugin_session(ctx, [&](store::Session& s) { records = schedule::ScheduleStore(s).list(); });
  std::erase_if(records, [&](const auto& r) { return r.job_type != type->name; });
  std::sort(records.begin(), records.end(),
            [](const auto& a, const auto& b) { return a.key < b.key; });
  out.columns = {"key",         "schedule",      "source",           "enabled",
                 "next_run_at", "last_fired_at", "last_finished_at", "last_outcome"};
  for (const auto& r : records)
    out.rows.push_back({text_cell(r.key), text_cell(r.spec), text_cell(r.source),
                        int_cell(r.enabled ? 1 : 0), optional_cell(r.next_run_at),
                        optional_cell(r.last_fired_at), optional_cell(r.last_finished_at),
                        optional_cell(r.last_outcome)});
  return JH_OK;
}

}  // namespace jobhost::services
