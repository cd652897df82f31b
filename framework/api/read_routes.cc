// GET routes: status, plugins, job types, jobs, events, the host's settings.
#include "api/api_context.h"
#include "api/replies.h"
#include "config/plugin_settings.h"
#include "jobs/job_store.h"
#include "services/context.h"
#include "views/plugin_view.h"
#include "views/status_view.h"

namespace jobhost::api {

namespace {

nlohmann::json list_jobs(ApiContext& ctx, const web::Request& req) {
  jobs::JobFilter f;
  if (const auto status = req.query_param("status"); !status.empty()) {
    f.status = jobs::parse_status(status);
    if (!f.status)
      throw ApiError(400, "status '" + status +
                              "' is not one of: scheduled, pending, running, completed, "
                              "errored, failed");
  }
  if (req.has_query_param("type")) f.type = req.query_param("type");
  if (req.has_query_param("key")) f.key = req.query_param("key");
  if (req.has_query_param("before")) f.before_id = int_param(req, "before", 0, 1, INT64_MAX);
  f.limit = int_param(req, "limit", 50, 1, 1000);
  auto lease = ctx.sessions.lease();
  auto list = jobs::JobStore(*lease).list(f);
  nlohmann::json out = {{"jobs", nlohmann::json::array()}, {"next_before", nullptr}};
  for (const auto& j : list) out["jobs"].push_back(j.to_json());
  // A full page may have more behind it: the next one starts below its last id.
  if (static_cast<int64_t>(list.size()) == f.limit) out["next_before"] = list.back().id;
  return out;
}

nlohmann::json one_job(ApiContext& ctx, const std::string& id_text) {
  const int64_t id = id_segment(id_text, "job");
  auto lease = ctx.sessions.lease();
  jobs::JobStore store(*lease);
  auto job = store.get(id);
  if (!job) throw ApiError(404, "no job " + std::to_string(id));
  jobs::EventFilter ef;
  ef.job_id = id;
  ef.limit = 1000;
  auto j = job->to_json();
  j["events"] = nlohmann::json::array();
  for (const auto& e : store.events(ef)) j["events"].push_back(e.to_json());
  return j;
}

nlohmann::json list_events(ApiContext& ctx, const web::Request& req) {
  jobs::EventFilter f;
  if (req.has_query_param("job")) f.job_id = int_param(req, "job", 0, 1, INT64_MAX);
  if (const auto since = req.query_param("since"); !since.empty()) {
    f.since = parse_time(since, now_micros());
    if (!f.since)
      throw ApiError(400, "since '" + since + "' is not a time (e.g. 2026-11-24T08:00:00Z)");
  }
  if (const auto level = req.query_param("level"); !level.empty()) {
    static const std::vector<std::string> kLevels = {"trace", "debug", "info", "warn", "error"};
    if (std::find(kLevels.begin(), kLevels.end(), level) == kLevels.end())
      throw ApiError(400, "level '" + level + "' is not one of: trace, debug, info, warn, error");
    f.level = level;
  }
  f.limit = int_param(req, "limit", 100, 1, 10000);
  auto lease = ctx.sessions.lease();
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : jobs::JobStore(*lease).events(f)) out.push_back(e.to_json());
  return out;
}

nlohmann::json host_settings(ApiContext& ctx) {
  const auto& c = ctx.host.config();
  nlohmann::json plugins = nlohmann::json::object();
  for (const auto& p : ctx.host.plugins().plugins())
    if (p->runtime)
      plugins[p->spec.name] =
          config::mask_secrets(p->runtime->settings()->values, p->spec.settings);
  nlohmann::json dirs = nlohmann::json::array();
  for (const auto& d : c.plugin_dirs) dirs.push_back(d.string());
  return {
      {"source", c.source},
      {"host",
       {{"name", c.host_name},
        {"instance", ctx.host.instance()},
        {"heartbeat_s", c.heartbeat_s},
        {"lost_after_s", c.lost_after_s}}},
      {"store", ctx.host.database().describe()},
      {"plugin_dirs", dirs},
      {"workers", c.workers},
      {"jobs",
       {{"lease_s", c.jobs.lease_s},
        {"default_timeout_s", c.jobs.default_timeout_s},
        {"timeout_grace_s", c.jobs.timeout_grace_s},
        {"shutdown_grace_s", c.jobs.shutdown_grace_s}}},
      {"event_log", c.event_log},
      {"log",
       {{"level", config::to_string(c.log.level)}, {"format", config::to_string(c.log.format)}}},
      {"http",
       {{"address", ctx.options.http.address},
        {"port", ctx.options.http.port},
        {"token", ctx.options.http.token.empty() ? nlohmann::json(nullptr) : "***"},
        {"protect_reads", ctx.options.http.protect_reads},
        {"tls", !ctx.options.http.tls_cert.empty()}}},
      {"plugins", plugins}};
}

}  // namespace

std::shared_ptr<const plugin::LoadedPlugin> find_loaded_plugin(Host& host,
                                                               const std::string& name) {
  if (auto p = host.plugins().find_plugin(name)) return p;
  std::string known;
  for (const auto& p : host.plugins().plugins())
    known += (known.empty() ? "" : ", ") + p->spec.name;
  throw ApiError(404,
                 "no plugin '" + name + "' is loaded" +
                     (known.empty() ? std::string(" (none are)") : " (loaded: " + known + ")"));
}

std::shared_ptr<const plugin::JobTypeSpec> find_job_type(Host& host, const std::string& name,
                                                         int status) {
  if (auto t = host.plugins().find_job_type(name)) return t;
  try {
    host.job_type(name);  // its message lists the loaded types
  } catch (const std::invalid_argument& e) {
    throw ApiError(status, e.what());
  }
  throw ApiError(status, "no job type '" + name + "'");
}

void add_read_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/status", Access::read, [&ctx](const auto&, const auto&) {
    auto lease = ctx.sessions.lease();
    const auto snapshot = views::read_status(*lease, ctx.host.config().lost_after_s * 1000000LL);
    return json_reply(views::status_json(snapshot, ctx.host));
  });
  router.add("GET", "/api/v1/plugins", Access::read, [&ctx](const auto&, const auto&) {
    return json_reply(views::plugins_json(ctx.host));
  });
  router.add("GET", "/api/v1/plugins/{name}", Access::read,
             [&ctx](const auto&, const PathParams& p) {
               return json_reply(views::plugin_json(*find_loaded_plugin(ctx.host, p.at("name"))));
             });
  router.add("GET", "/api/v1/job-types", Access::read, [&ctx](const auto&, const auto&) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& t : ctx.host.plugins().job_types()) out.push_back(views::job_type_json(*t));
    return json_reply(out);
  });
  router.add("GET", "/api/v1/job-types/{type}", Access::read,
             [&ctx](const auto&, const PathParams& p) {
               return json_reply(views::job_type_json(*find_job_type(ctx.host, p.at("type"), 404)));
             });
  router.add("GET", "/api/v1/jobs", Access::read, [&ctx](const web::Request& req, const auto&) {
    return json_reply(list_jobs(ctx, req));
  });
  router.add("GET", "/api/v1/jobs/{id}", Access::read, [&ctx](const auto&, const PathParams& p) {
    return json_reply(one_job(ctx, p.at("id")));
  });
  router.add("GET", "/api/v1/events", Access::read, [&ctx](const web::Request& req, const auto&) {
    return json_reply(list_events(ctx, req));
  });
  router.add("GET", "/api/v1/settings", Access::read,
             [&ctx](const auto&, const auto&) { return json_reply(host_settings(ctx)); });
}

}  // namespace jobhost::api
