// POST /api/v1/jobs: a manual run (trigger), with parameters and `force`; also how the
// dashboard approves or rejects a Meraki review change set (meraki.approve / meraki.reject).
#include "api/api_context.h"
#include "api/replies.h"
#include "jobs/params.h"
#include "schedule/manual_trigger.h"

namespace jobhost::api {

namespace {

web::Response trigger(ApiContext& ctx, const web::Request& req) {
  const auto body = body_object(req);
  for (const auto& [k, v] : body.items())
    if (k != "type" && k != "params" && k != "key" && k != "force")
      throw ApiError(400, "unknown member `" + k + "` (allowed: type, params, key, force)");
  const std::string type_name = string_member(body, "type");
  if (type_name.empty()) throw ApiError(400, "`type` is required: the job type to run");
  const auto type_ref = find_job_type(ctx.host, type_name, 400);
  const auto& type = *type_ref;
  schedule::ManualTrigger manual;
  manual.key = string_member(body, "key");
  manual.force = bool_member(body, "force", false);
  manual.origin = "api";
  const auto params = body.contains("params") ? body["params"] : nlohmann::json::object();
  if (!params.is_object() && !params.is_null())
    throw ApiError(400, std::string("`params` must be an object, not ") + params.type_name());
  nlohmann::json given = params.is_null() ? nlohmann::json::object() : params;
  if (!manual.key.empty() && !type.key_param.empty() && !given.contains(type.key_param))
    given[type.key_param] = manual.key;
  manual.params = jobs::params_from_json(type, given);
  auto lease = ctx.sessions.lease();
  const int64_t id = schedule::trigger_job(*lease, type, manual);
  auto r = json_reply({{"id", id},
                       {"type", type.name},
                       {"status", "pending"},
                       {"url", "/api/v1/jobs/" + std::to_string(id)}},
                      201);
  r.headers.emplace_back("Location", "/api/v1/jobs/" + std::to_string(id));
  return r;
}

}  // namespace

void add_job_routes(Router& router, ApiContext& ctx) {
  router.add("POST", "/api/v1/jobs", Access::change,
             [&ctx](const web::Request& req, const auto&) { return trigger(ctx, req); });
}

}  // namespace jobhost::api
