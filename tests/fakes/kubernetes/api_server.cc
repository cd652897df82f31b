#include "fakes/kubernetes/api_server.h"

#include <utility>

namespace jobhost::testing::fake_kubernetes {

namespace {

// The generated fabric, every object written once in kind order: resourceVersions 1, 2, ...
ObjectStore generate_fabric(const FakeKubernetesOptions& options, const FabricShape& shape) {
  std::vector<ObjectMap> kinds(kKindCount);
  std::uint64_t resource_version = 0;
  for (std::size_t kind = 0; kind < kKindCount; ++kind) {
    const KubeKind& k = hedgehog_kinds()[kind];
    for (std::size_t i = 0; i < shape.counts[kind]; ++i) {
      ++resource_version;
      nlohmann::json object = generate_object(shape, kind, i, 1, resource_version);
      std::string name = object["metadata"]["name"].get<std::string>();
      ObjectStamp stamp{options.ns, object_uid(shape.seed, kind, name, resource_version),
                        timestamp_at(resource_version), 1, resource_version};
      kinds[kind].emplace_hint(kinds[kind].end(), std::move(name),
                               seal_object(k, std::move(object), stamp));
    }
  }
  return ObjectStore(std::move(kinds), resource_version);
}

}  // namespace

ApiServer::ApiServer(FakeKubernetesOptions options)
    : options_(std::move(options)),
      shape_(plan_fabric(options_.objects, options_.seed)),
      settings_(options_),
      tokens_(options_.continue_ttl),
      store_(generate_fabric(options_, shape_)),
      mutation_{Random(mix64(options_.seed ^ 0x6d75746174650000ULL)), shape_.counts, 0} {
  server_ = std::make_unique<HttpTestServer>(
      [this](const TestRequest& request) { return handle(request); },
      HttpTestServerOptions{options_.threads, options_.tls, options_.port});
}

void ApiServer::expire_continue_tokens() {
  tokens_.expire_all();
  // A list started from now on hands out tokens of a later resourceVersion than any expired
  // one, so no expired token text is ever valid again.
  store_.advance_resource_version();
}

}  // namespace jobhost::testing::fake_kubernetes
