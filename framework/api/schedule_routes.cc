// Schedules: list, one, and changes: enable/disable (as `jobhost enable/disable`) and a new
// timing for a job type's schedule (stored as an override of its `schedules:` entry).
#include "api/config_change.h"
#include "api/replies.h"
#include "schedule/config_schedules.h"
#include "schedule/schedule_store.h"

namespace jobhost::api {

namespace {

schedule::ScheduleRecord find_schedule(store::Session& session, const std::string& type,
                                       const std::string& key) {
  auto r = schedule::ScheduleStore(session).find(type, key);
  if (!r)
    throw ApiError(404, "no schedule for " + type + (key.empty() ? "" : " key " + key) +
                            " (GET /api/v1/schedules lists them)");
  return *r;
}

nlohmann::json timing_of(const nlohmann::json& body) {
  nlohmann::json timing = nlohmann::json::object();
  for (const char* k : {"every", "cron", "time_zone", "jitter"})
    if (body.contains(k)) {
      if (!body[k].is_string())
        throw ApiError(400, std::string("`") + k + "` must be a string such as \"10m\" or " +
                                "\"*/15 * * * *\", not " + body[k].dump());
      timing[k] = body[k];
    }
  return timing;
}

void change_timing(ApiContext& ctx, const schedule::ScheduleRecord& r, const nlohmann::json& timing,
                   const std::string& peer) {
  if (r.source == "plugin" || !r.key.empty()) {
    const auto type = ctx.host.plugins().find_job_type(r.job_type);
    const std::string plugin = type ? type->plugin : "its plugin";
    throw ApiError(409, "the schedule of " + r.name() + " is registered by plugin " + plugin +
                            " from its settings: change those instead (PATCH /api/v1/plugins/" +
                            plugin + "/settings)");
  }
  ConfigChange change;
  change.put.push_back({kScheduleSection, r.job_type, "", timing, now_micros(), "http " + peer});
  std::lock_guard lock(ctx.change_mutex);
  auto lease = ctx.sessions.lease();
  const auto candidate = config_after(ctx, *lease, change);
  auto desired = schedule::desired_schedules(candidate, ctx.host.plugins());
  std::vector<config::ConfigProblem> mine;
  const std::string path = "schedules." + r.job_type;
  for (const auto& p : desired.problems)
    if (p.key_path == path || p.key_path.rfind(path + ".", 0) == 0) mine.push_back(p);
  if (!mine.empty()) throw_problems(mine);
  store_and_reload(ctx, *lease, change);
}

web::Response patch_schedule(ApiContext& ctx, const web::Request& req, const std::string& type) {
  const std::string key = req.query_param("key");
  const auto body = body_object(req);
  for (const auto& [k, v] : body.items())
    if (k != "enabled" && k != "every" && k != "cron" && k != "time_zone" && k != "jitter")
      throw ApiError(
          400, "unknown member `" + k + "` (allowed: enabled, every, cron, time_zone, jitter)");
  if (body.empty()) throw ApiError(400, "give `enabled` and/or a timing (`every` or `cron`)");
  const auto timing = timing_of(body);
  const bool toggles = body.contains("enabled");
  const bool enabled = bool_member(body, "enabled", true);
  schedule::ScheduleRecord r;
  {
    auto lease = ctx.sessions.lease();
    r = find_schedule(*lease, type, key);
  }
  if (!timing.empty()) change_timing(ctx, r, timing, req.peer);
  auto lease = ctx.sessions.lease();
  if (toggles) schedule::ScheduleStore(*lease).set_enabled(type, key, enabled, now_micros());
  return json_reply(find_schedule(*lease, type, key).to_json());
}

web::Response reset_timing(ApiContext& ctx, const std::string& type) {
  std::lock_guard lock(ctx.change_mutex);
  auto lease = ctx.sessions.lease();
  bool found = false;
  for (const auto& o : ConfigOverrideStore(*lease).list())
    found = found || (o.section == kScheduleSection && o.name == type);
  if (!found) throw ApiError(404, "the schedule of " + type + " has no timing set over HTTP");
  ConfigChange change;
  change.remove.push_back({kScheduleSection, type, "", nullptr, 0, ""});
  store_and_reload(ctx, *lease, change);
  return json_reply(find_schedule(*lease, type, "").to_json());
}

}  // namespace

void add_schedule_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/schedules", Access::read, [&ctx](const auto&, const auto&) {
    auto lease = ctx.sessions.lease();
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : schedule::ScheduleStore(*lease).list()) out.push_back(r.to_json());
    return json_reply(out);
  });
  router.add(
      "GET", "/api/v1/schedules/{type}", Access::read,
      [&ctx](const web::Request& req, const PathParams& p) {
        auto lease = ctx.sessions.lease();
        return json_reply(find_schedule(*lease, p.at("type"), req.query_param("key")).to_json());
      });
  router.add("PATCH", "/api/v1/schedules/{type}", Access::change,
             [&ctx](const web::Request& req, const PathParams& p) {
               return patch_schedule(ctx, req, p.at("type"));
             });
  router.add("DELETE", "/api/v1/schedules/{type}/timing", Access::change,
             [&ctx](const auto&, const PathParams& p) { return reset_timing(ctx, p.at("type")); });
}

}  // namespace jobhost::api
