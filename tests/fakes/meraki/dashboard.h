#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakes/meraki/counters.h"
#include "fakes/meraki/failure_injection.h"
#include "fakes/meraki/fake_meraki.h"
#include "fakes/meraki/inventory.h"
#include "fakes/meraki/paging.h"
#include "fakes/meraki/settings.h"
#include "fakes/meraki/token_buckets.h"
#include "support/http_test_server.h"

// The fake Dashboard behind FakeMeraki: the inventory, the two servers and the knobs. Its
// members are spread over the files named at each group.
namespace jobhost::testing::fake_meraki {

class Dashboard {
 public:
  // Generates the organizations and starts listening (dashboard.cc). Throws
  // std::invalid_argument on a bad option.
  explicit Dashboard(FakeMerakiOptions options);
  ~Dashboard() { stop(); }
  Dashboard(const Dashboard&) = delete;
  Dashboard& operator=(const Dashboard&) = delete;

  void stop();
  std::string url() const { return main_->base_url(); }
  std::uint16_t port() const { return main_->port(); }
  std::string shard_url() const;

  // --- Data as tests see and change it (data_access.cc) ---
  std::vector<std::string> organization_ids() const;
  std::vector<nlohmann::json> networks(std::string_view org_id) const;
  std::vector<nlohmann::json> devices(std::string_view org_id) const;
  std::optional<nlohmann::json> network(std::string_view network_id) const;
  std::optional<nlohmann::json> device(std::string_view serial) const;
  std::optional<nlohmann::json> status(std::string_view serial) const;
  std::string add_organization(std::string name);
  bool remove_organization(std::string_view org_id);
  nlohmann::json put_network(std::string_view org_id, nlohmann::json network);
  bool remove_network(std::string_view network_id);
  nlohmann::json put_device(nlohmann::json device);
  bool remove_device(std::string_view serial);
  void set_status(std::string_view serial, std::string_view status);
  // mutations.cc
  FakeMeraki::Mutation mutate(std::size_t added, std::size_t changed, std::size_t deleted,
                              std::string_view org_id);

  // --- Knobs and counters, each thread-safe on its own ---
  Settings& settings() { return settings_; }
  InjectedFailures& failures() { return failures_; }
  Counters& counters() { return counters_; }
  RateLimits& rate_limits() { return rate_limits_; }

 private:
  enum class Server { main, shard };
  // What a path under /api/v1 addresses.
  struct Route {
    enum class Target {
      organizations,  // /organizations
      organization,   // /organizations/{id}
      networks,       // /organizations/{id}/networks
      devices,        // /organizations/{id}/devices
      statuses,       // /organizations/{id}/devices/statuses
      under_org,      // anything else under /organizations/{id}/
      other,
    } target = Target::other;
    std::string org_id;  // set for every target from organization to under_org
  };

  // --- HTTP (http_routes.cc) ---
  TestResponse handle(const TestRequest& request, Server server);
  TestResponse respond(const TestRequest& request, Server server, const RequestSettings& settings);
  static Route route(std::string_view path);
  std::string base_url(Server server) const;  // what Link headers start with

  // --- Endpoints (list_endpoints.cc) ---
  TestResponse list(const TestRequest& request, const Route& route, const std::string& list_url);
  TestResponse get_organization(std::string_view org_id) const;

  // --- Writes (data_access.cc, mutations.cc); run inside store_.write ---
  // A new generated device in `network`, stored.
  static Device& add_generated_device(Inventory& inventory, const Network& network);

  const FakeMerakiOptions options_;
  Settings settings_;
  InjectedFailures failures_;
  Counters counters_;
  RateLimits rate_limits_;
  DataStore store_;

  // Last: they stop before the state they use goes.
  std::unique_ptr<HttpTestServer> shard_;
  std::unique_ptr<HttpTestServer> main_;
};

// The address every request comes from: the servers listen on 127.0.0.1 only, and
// TestRequest does not carry the peer's address, so the per-IP bucket is this one.
inline constexpr std::string_view kClientAddress = "127.0.0.1";

}  // namespace jobhost::testing::fake_meraki
