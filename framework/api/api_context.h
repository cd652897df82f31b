// What the API's route files share: the host, the options, the store sessions. Internal to
// framework/api.
#pragma once

#include <mutex>

#include "api/api_service.h"
#include "api/router.h"
#include "api/session_pool.h"

namespace jobhost::api {

struct ApiContext {
  ApiContext(Host& h, ApiOptions o) : host(h), options(std::move(o)), sessions(h.database()) {}
  Host& host;
  ApiOptions options;
  SessionPool sessions;
  // One configuration change at a time: each validates against the overrides the previous
  // one stored, and waits for its own reload.
  std::mutex change_mutex;
};

// The job type or plugin by name, or ApiError `status` (404, or 400 for a name in a body)
// listing what is loaded.
std::shared_ptr<const plugin::JobTypeSpec> find_job_type(Host& host, const std::string& name,
                                                         int status = 404);
std::shared_ptr<const plugin::LoadedPlugin> find_loaded_plugin(Host& host, const std::string& name);

void add_read_routes(Router& router, ApiContext& ctx);
void add_job_routes(Router& router, ApiContext& ctx);
void add_schedule_routes(Router& router, ApiContext& ctx);
void add_settings_routes(Router& router, ApiContext& ctx);
void add_ops_routes(Router& router, ApiContext& ctx);

}  // namespace jobhost::api
