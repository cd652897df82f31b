#include "fakes/kubernetes/generated_objects.h"

namespace jobhost::testing::fake_kubernetes {

namespace {

// Per object, so that object i is the same whatever else was generated.
Random object_random(std::uint64_t seed, std::size_t kind, std::size_t i) {
  return Random(mix64(seed ^ mix64(kind * 1000003 + 17)) ^ mix64(i + 0x51ed));
}

}  // namespace

FabricShape plan_fabric(std::size_t objects, std::uint64_t seed) {
  FabricShape shape;
  shape.seed = seed;
  const auto& synced = synced_kind_indices();
  for (std::size_t n = 0; n < synced.size(); ++n) {
    shape.counts[synced[n]] = objects / synced.size() + (n < objects % synced.size() ? 1 : 0);
  }
  const auto& kinds = hedgehog_kinds();
  for (std::size_t kind = 0; kind < kinds.size(); ++kind) {
    if (!kinds[kind].synced) shape.counts[kind] = 2;
  }
  return shape;
}

nlohmann::json generate_object(const FabricShape& shape, std::size_t kind, std::size_t i,
                               std::int64_t generation, std::uint64_t resource_version) {
  const KubeKind& k = hedgehog_kinds()[kind];
  Random random = object_random(shape.seed, kind, i);
  GeneratedParts parts = k.group == "wiring.githedgehog.com" ? generate_wiring(shape, k, i, random)
                                                             : generate_vpc(shape, k, i, random);
  std::string name = numbered_name(singular_name(k), i);
  nlohmann::json object = {{"metadata",
                            {{"name", name},
                             {"labels", std::move(parts.labels)},
                             {"annotations", std::move(parts.annotations)}}},
                           {"spec", std::move(parts.spec)}};
  if (has_ready_status(k)) {
    object["status"] = ready_status(shape, kind, name, generation, resource_version);
  }
  return object;
}

nlohmann::json ready_status(const FabricShape& shape, std::size_t kind, std::string_view name,
                            std::int64_t generation, std::uint64_t resource_version) {
  bool ready = mix64(shape.seed ^ hash_text(name) ^ mix64(kind)) % 100 >= 5;
  std::string applied = "generation " + std::to_string(generation);
  return {{"conditions",
           {{{"type", "Ready"},
             {"status", ready ? "True" : "False"},
             {"reason", ready ? "Applied" : "ApplyPending"},
             {"message",
              ready ? "the agent applied " + applied : "waiting for the agent to apply " + applied},
             {"observedGeneration", generation},
             {"lastTransitionTime", timestamp_at(resource_version)}}}}};
}

std::string object_uid(std::uint64_t seed, std::size_t kind, std::string_view name,
                       std::uint64_t resource_version) {
  std::uint64_t a = mix64(seed ^ hash_text(name) ^ mix64(kind + 101));
  std::uint64_t b = mix64(a ^ mix64(resource_version + 0xabcdef));
  return uuid_from(a, b);
}

std::string reference(const FabricShape& shape, std::string_view plural, std::size_t k,
                      std::string_view fallback) {
  std::size_t kind = require_kind(plural, "reference");
  std::size_t count = shape.counts[kind];
  if (count == 0 && !fallback.empty()) return std::string(fallback);
  return numbered_name(singular_name(hedgehog_kinds()[kind]), count == 0 ? 0 : k % count);
}

std::string ipv4(std::uint32_t address) {
  return std::to_string(address >> 24) + "." + std::to_string((address >> 16) & 255) + "." +
         std::to_string((address >> 8) & 255) + "." + std::to_string(address & 255);
}

}  // namespace jobhost::testing::fake_kubernetes
