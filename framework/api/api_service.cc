#include "api/api_service.h"

#include <openssl/crypto.h>

#include "api/api_context.h"
#include "api/replies.h"
#include "core/logging.h"
#include "jobs/job_store.h"
#include "jobs/params.h"
#include "schedule/manual_trigger.h"
#include "store/database.h"

namespace jobhost::api {

struct ApiService::Impl {
  Impl(Host& host, ApiOptions options) : ctx(host, std::move(options)) {
    add_read_routes(router, ctx);
    add_job_routes(router, ctx);
    add_schedule_routes(router, ctx);
    add_settings_routes(router, ctx);
    add_ops_routes(router, ctx);
  }
  ApiContext ctx;
  Router router;
};

namespace {

// Constant time, so the token cannot be guessed a byte at a time from response times.
bool same_token(const std::string& given, const std::string& expected) {
  if (given.size() != expected.size()) return false;
  return CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0;
}

// nullopt when the request may go on; the refusal otherwise.
std::optional<web::Response> refuse_unauthorized(const web::Request& request, Access access,
                                                 const config::HttpConfig& http) {
  if (access == Access::open || (access == Access::read && !http.protect_reads))
    return std::nullopt;
  if (http.token.empty()) {
    if (access == Access::read) return std::nullopt;
    return error_reply(403,
                       "changes over HTTP are disabled: no token is configured (set http.token, "
                       "or JOBHOST_HTTP_TOKEN, in the daemon's configuration and reload)");
  }
  const std::string auth = request.header("authorization");
  const std::string prefix = "Bearer ";
  if (auth.rfind(prefix, 0) == 0 && same_token(auth.substr(prefix.size()), http.token))
    return std::nullopt;
  auto r = error_reply(401, auth.empty() ? "this needs `Authorization: Bearer <token>` (the "
                                           "daemon's http.token)"
                                         : "the bearer token is wrong (see http.token in the "
                                           "daemon's configuration)");
  r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"jobhost\"");
  return r;
}

}  // namespace

ApiService::ApiService(Host& host, ApiOptions options)
    : impl_(std::make_unique<Impl>(host, std::move(options))) {}

ApiService::~ApiService() = default;

web::Response ApiService::handle(const web::Request& request) {
  const auto m = impl_->router.match(request.method, request.path);
  if (!m.route) {
    if (!m.allow.empty()) {
      auto r = error_reply(405, request.method + " is not allowed on " + request.path +
                                    " (allowed: " + m.allow + ")");
      r.headers.emplace_back("Allow", m.allow);
      return r;
    }
    return error_reply(404, "no such endpoint: " + request.path +
                                " (the API is under /api/v1/, see docs/http-api.md)");
  }
  if (auto refused = refuse_unauthorized(request, m.route->access, impl_->ctx.options.http))
    return *refused;
  try {
    return m.route->handler(request, m.params);
  } catch (const ApiError& e) {
    return error_reply(e.status(), e.what(), e.problems());
  } catch (const jobs::ParamError& e) {
    return error_reply(400, e.what());
  } catch (const jobs::SingletonConflict& e) {
    return error_reply(409, e.what());
  } catch (const schedule::TriggerRefused& e) {
    return error_reply(409, e.what());
  } catch (const store::StoreError& e) {
    host_log()->warn("http {} {}: {}", request.method, request.path, e.what());
    return error_reply(503, std::string("the store cannot be used right now: ") + e.what());
  }
}

}  // namespace jobhost::api
