// What operators and machines poll: /healthz, /readyz, /metrics; the plugins' status queries;
// and the dashboard's files.
#include <soci/soci.h>

#include "api/api_context.h"
#include "api/replies.h"
#include "dashboard/assets.h"
#include "jobs/query.h"
#include "metrics/metrics.h"

namespace jobhost::api {

namespace {

web::Response text(int status, std::string body) {
  web::Response r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

web::Response ready(ApiContext& ctx) {
  if (ctx.options.not_ready) {
    if (auto why = ctx.options.not_ready(); !why.empty())
      return text(503, "not ready: " + why + "\n");
  }
  try {
    auto lease = ctx.sessions.lease();
    lease->sql() << "SELECT 1";
  } catch (const std::exception& e) {
    return text(503, std::string("not ready: the store does not answer: ") + e.what() + "\n");
  }
  return text(200, "ready\n");
}

web::Response metrics(ApiContext& ctx) {
  metrics::RenderContext rc;
  rc.instance = ctx.host.instance();
  rc.lost_after = ctx.host.config().lost_after_s * 1000000LL;
  for (const auto& t : ctx.host.plugins().job_types()) rc.job_types.push_back(t->name);
  auto lease = ctx.sessions.lease();
  auto r = text(200, metrics::render(*lease, rc));
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  return r;
}

web::Response plugin_status(ApiContext& ctx, const std::string& name) {
  const auto plugin_ref = find_loaded_plugin(ctx.host, name);
  const auto& p = *plugin_ref;
  const auto* query = jobs::status_query_of(p.spec);
  if (!query)
    throw ApiError(404, "plugin " + name +
                            " declares no status query (a read-only job type named "
                            "<prefix>.status, ABI 1.4)");
  auto lease = ctx.sessions.lease();
  const auto outcome =
      jobs::run_query(ctx.host.plugins(), *lease, ctx.host.runner_options(), query->name, nullptr);
  nlohmann::json result = nullptr;
  if (outcome.result) {
    result = nlohmann::json::parse(*outcome.result, nullptr, false);
    if (result.is_discarded()) result = *outcome.result;
  }
  if (!outcome.ok)
    return error_reply(502, "the status query " + query->name + " failed: " + outcome.error);
  return json_reply({{"plugin", name},
                     {"query", query->name},
                     {"duration_s", static_cast<double>(outcome.duration) / 1e6},
                     {"result", result}});
}

web::Response asset(std::string_view path) {
  const auto* a = dashboard::find_asset(path);
  if (!a) return error_reply(404, "no such file: " + std::string(path));
  web::Response r;
  r.content_type = std::string(a->content_type);
  r.body = std::string(a->body);
  // The files change with the binary only.
  r.headers.emplace_back("Cache-Control", "no-cache");
  return r;
}

}  // namespace

void add_ops_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/healthz", Access::open,
             [](const auto&, const auto&) { return text(200, "ok\n"); });
  router.add("GET", "/readyz", Access::open,
             [&ctx](const auto&, const auto&) { return ready(ctx); });
  router.add("GET", "/metrics", Access::read,
             [&ctx](const auto&, const auto&) { return metrics(ctx); });
  router.add("GET", "/api/v1/plugins/{name}/status", Access::read,
             [&ctx](const auto&, const PathParams& p) { return plugin_status(ctx, p.at("name")); });
  router.add("GET", "/", Access::open, [](const auto&, const auto&) { return asset("/"); });
  router.add("GET", "/index.html", Access::open,
             [](const auto&, const auto&) { return asset("/index.html"); });
  router.add("GET", "/static/{file}", Access::open,
             [](const auto&, const PathParams& p) { return asset("/static/" + p.at("file")); });
}

}  // namespace jobhost::api
