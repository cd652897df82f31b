#include "daemon/http_endpoint.h"

#include <signal.h>
#include <unistd.h>

#include "api/api_service.h"
#include "store/framework_schema.h"
#include "web/http_server.h"

namespace jobhost::daemon {

namespace {

// How long an API change waits for the reload that applies it.
constexpr std::chrono::seconds kReloadWait{30};

}  // namespace

HttpEndpoint::HttpEndpoint(Host& host, std::function<config::HostConfig()> load_config,
                           ReloadTracker& reloads)
    : reloads_(reloads) {
  const auto& http = host.config().http;
  api::ApiOptions options;
  options.http = http;
  options.load_config = std::move(load_config);
  options.reload = [&host, &reloads] {
    const uint64_t seen = reloads.generation();
    if (host.database().dialect() == store::Dialect::postgresql) {
      // Every daemon of the store listens, this one too: all apply the change.
      host.database().open()->exec_script(std::string("NOTIFY ") + store::kReloadChannel);
    } else {
      ::kill(::getpid(), SIGHUP);
    }
    return reloads.wait_after(seen, kReloadWait);
  };
  options.not_ready = [this] {
    return ready_.load() ? std::string() : std::string("starting or stopping");
  };
  api_ = std::make_unique<api::ApiService>(host, std::move(options));

  web::ServerOptions so;
  so.address = http.address;
  so.port = static_cast<uint16_t>(http.port);
  so.tls_cert = http.tls_cert;
  so.tls_key = http.tls_key;
  // A configuration change holds its thread until the daemon's reload finishes: more threads
  // than cores, so that reads and health checks are still answered meanwhile.
  so.threads = 4;
  server_ = std::make_unique<web::HttpServer>(
      so, [api = api_.get()](const web::Request& r) { return api->handle(r); });
  server_->start();
}

HttpEndpoint::~HttpEndpoint() {
  stop();
}

void HttpEndpoint::stop() {
  ready_.store(false);
  reloads_.stopping();
  if (server_) server_->stop();
}

std::string HttpEndpoint::url() const {
  return server_->url();
}

}  // namespace jobhost::daemon
