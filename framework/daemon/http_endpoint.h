// The daemon's HTTP listener (http: in the configuration): the API, metrics, health checks and
// dashboard of framework/api served by web::HttpServer, with the daemon's reload behind the
// API's configuration changes.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "config/host_config.h"
#include "daemon/reload_tracker.h"
#include "host/host.h"

namespace jobhost::api {
class ApiService;
}
namespace jobhost::web {
class HttpServer;
}

namespace jobhost::daemon {

class HttpEndpoint {
 public:
  // Listens at once; throws std::runtime_error naming the address (in use, bad TLS files).
  HttpEndpoint(Host& host, std::function<config::HostConfig()> load_config, ReloadTracker& reloads);
  ~HttpEndpoint();

  // /readyz answers 200 only between set_ready(true) and set_ready(false).
  void set_ready(bool ready) { ready_.store(ready); }
  // Stops listening (waiters for a reload are released first). Idempotent.
  void stop();
  std::string url() const;

 private:
  ReloadTracker& reloads_;
  std::atomic<bool> ready_{false};
  std::unique_ptr<api::ApiService> api_;
  std::unique_ptr<web::HttpServer> server_;
};

}  // namespace jobhost::daemon
