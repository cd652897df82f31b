#include "fakes/meraki/dashboard.h"

#include <chrono>
#include <stdexcept>
#include <utility>

namespace jobhost::testing::fake_meraki {

namespace {

FakeMerakiOptions checked(FakeMerakiOptions options) {
  check_limits({options.rate_per_s, options.burst}, "rate_per_s/burst");
  check_limits({options.ip_rate_per_s, options.ip_burst}, "ip_rate_per_s/ip_burst");
  if (options.threads == 0) throw std::invalid_argument("fake-meraki: threads must be at least 1");
  if (options.retry_after_s < 0) {
    throw std::invalid_argument("fake-meraki: retry_after_s must not be negative");
  }
  if (options.shard) {
    int status = options.redirect_status;
    if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
      throw std::invalid_argument("fake-meraki: redirect_status must be 301, 302, 303, 307 or 308");
    }
    if (options.shard_host.empty()) {
      throw std::invalid_argument("fake-meraki: shard_host must not be empty");
    }
  }
  return options;
}

}  // namespace

Dashboard::Dashboard(FakeMerakiOptions options)
    : options_(checked(std::move(options))),
      settings_(options_),
      rate_limits_({options_.rate_per_s, options_.burst},
                   {options_.ip_rate_per_s, options_.ip_burst}),
      store_(generate_inventory(options_, std::chrono::system_clock::now())) {
  HttpTestServerOptions server_options{options_.threads, std::nullopt, 0};
  if (options_.shard) {
    shard_ = std::make_unique<HttpTestServer>(
        [this](const TestRequest& request) { return handle(request, Server::shard); },
        server_options);
  }
  server_options.port = options_.port;
  main_ = std::make_unique<HttpTestServer>(
      [this](const TestRequest& request) { return handle(request, Server::main); }, server_options);
}

void Dashboard::stop() {
  if (main_) main_->stop();
  if (shard_) shard_->stop();
}

std::string Dashboard::shard_url() const {
  if (!shard_) return "";
  return "http://" + options_.shard_host + ":" + std::to_string(shard_->port());
}

std::string Dashboard::base_url(Server server) const {
  return server == Server::shard ? shard_url() : main_->base_url();
}

}  // namespace jobhost::testing::fake_meraki
