#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakes/kubernetes/continue_tokens.h"
#include "fakes/kubernetes/counters.h"
#include "fakes/kubernetes/deterministic.h"
#include "fakes/kubernetes/failure_injection.h"
#include "fakes/kubernetes/fake_kubernetes.h"
#include "fakes/kubernetes/generated_objects.h"
#include "fakes/kubernetes/object_store.h"
#include "fakes/kubernetes/settings.h"
#include "fakes/kubernetes/status_answers.h"
#include "support/http_test_server.h"

// The fake apiserver behind FakeKubernetes: the objects, the HTTP endpoints and the knobs.
// Its members are spread over the files named at each group.
namespace jobhost::testing::fake_kubernetes {

class ApiServer {
 public:
  // Generates the fabric and starts listening. Throws std::invalid_argument on a bad option.
  explicit ApiServer(FakeKubernetesOptions options);
  ~ApiServer() { stop(); }
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  void stop() {
    if (server_) server_->stop();
  }
  std::string url() const { return server_->base_url(); }
  std::uint16_t port() const { return server_->port(); }

  // --- Objects as tests see them (objects.cc) ---
  std::optional<nlohmann::json> object(std::string_view plural, std::string_view name) const;
  std::vector<std::string> names(std::string_view plural) const;
  std::size_t count(std::string_view plural) const;
  std::size_t total() const;
  nlohmann::json put(std::string_view plural, nlohmann::json object);
  bool remove(std::string_view plural, std::string_view name);
  // mutations.cc
  FakeKubernetes::Mutation mutate(std::size_t added, std::size_t changed, std::size_t deleted);

  void expire_continue_tokens();

  // --- Knobs and counters, each thread-safe on its own ---
  Settings& settings() { return settings_; }
  InjectedFailures& failures() { return failures_; }
  Counters& counters() { return counters_; }

 private:
  // What a path addresses.
  struct Route {
    enum class Target { version, discovery, list, object, other } target = Target::other;
    std::optional<ResourceRequest> resource;  // list, object (also for unknown kinds)
    std::optional<std::size_t> kind;          // a Hedgehog kind in its own group and version
  };

  // --- HTTP (http_routes.cc) ---
  TestResponse handle(const TestRequest& request);
  TestResponse respond(const TestRequest& request, const Route& route,
                       const RequestSettings& settings);
  static Route route(std::string_view path);

  // --- Endpoints ---
  // list_endpoint.cc
  TestResponse list(const TestRequest& request, std::size_t kind, const ResourceRequest& resource);
  TestResponse get_object(std::size_t kind, const ResourceRequest& resource) const;
  // discovery.cc
  TestResponse version() const;
  TestResponse discovery(std::string_view group, std::string_view version,
                         const RequestSettings& settings) const;

  // --- Writes (objects.cc, mutations.cc); run inside store_.write ---
  // Stores `object` (metadata.name set) as a create or a replace, the way put() documents.
  ObjectPtr write_object(ObjectStore::Writer& writer, std::size_t kind, nlohmann::json object);
  // A new generated object of the kind under a free name.
  ObjectPtr add_generated(ObjectStore::Writer& writer, std::size_t kind);

  const FakeKubernetesOptions options_;
  const FabricShape shape_;
  Settings settings_;
  InjectedFailures failures_;
  Counters counters_;
  ContinueTokens tokens_;
  ObjectStore store_;

  // mutate()'s state, only touched under the store's write lock.
  struct MutationState {
    Random random;
    std::array<std::size_t, kKindCount> next_index{};  // the next generated name to try
    std::uint64_t changes = 0;
  };
  MutationState mutation_;

  std::unique_ptr<HttpTestServer> server_;  // last: stops before the state goes
};

}  // namespace jobhost::testing::fake_kubernetes
