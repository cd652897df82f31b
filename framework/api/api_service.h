// The daemon's HTTP API (/api/v1/), metrics, health checks and dashboard, as one handler for
// web::HttpServer. It reads through its own store sessions and changes the configuration only
// through the daemon's reload, so every host of the store applies a change the same way.
// docs/http-api.md describes every route.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/host_config.h"
#include "host/host.h"
#include "web/http_server.h"

namespace jobhost::api {

struct ApiOptions {
  config::HttpConfig http;
  // The configuration file read again (throws config::ConfigError): a change is validated
  // against what a reload would see.
  std::function<config::HostConfig()> load_config;
  // Makes the daemon (and, on PostgreSQL, every daemon of the store) reload, and waits for this
  // one's reload to finish; returns what it reported (Host::reconfigure_plugins lines).
  std::function<std::vector<std::string>()> reload;
  // "" when the daemon is ready to serve; otherwise why not (for /readyz).
  std::function<std::string()> not_ready;
};

class ApiService {
 public:
  ApiService(Host& host, ApiOptions options);
  ~ApiService();
  ApiService(const ApiService&) = delete;
  ApiService& operator=(const ApiService&) = delete;

  // Thread-safe.
  web::Response handle(const web::Request& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jobhost::api
