#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fakes/kubernetes/deterministic.h"
#include "fakes/kubernetes/kinds.h"

// The generated fabric: how many objects of each kind, and object i of a kind as a client
// would write it (name, labels, annotations, spec; a status for the kinds that have one).
// Objects refer to each other by generated name (a switch's profile and groups, a
// connection's switch and server ports, a VPC's namespaces, an attachment's VPC subnet and
// connection, ...), so a fabric reads like a real one.
namespace jobhost::testing::fake_kubernetes {

struct FabricShape {
  std::uint64_t seed = 1;
  std::array<std::size_t, kKindCount> counts{};  // generated objects per kind
};

// `objects` spread evenly over the 12 synced kinds (the first kinds get the remainder), plus
// 2 switch profiles and 2 server profiles.
FabricShape plan_fabric(std::size_t objects, std::uint64_t seed);

// Generated object number i of a kind (also past counts[kind], for objects added later):
// metadata {name, labels, annotations}, spec, and for the kinds with a Ready condition a
// status observed at `generation`, its lastTransitionTime at `resource_version`.
nlohmann::json generate_object(const FabricShape& shape, std::size_t kind, std::size_t i,
                               std::int64_t generation, std::uint64_t resource_version);

// status {conditions: [Ready]}: about 5% of the objects (by hash of kind and name) are not
// ready, the same ones for one seed.
nlohmann::json ready_status(const FabricShape& shape, std::size_t kind, std::string_view name,
                            std::int64_t generation, std::uint64_t resource_version);

// A uid that differs between objects, and between an object and a later one of the same name.
std::string object_uid(std::uint64_t seed, std::size_t kind, std::string_view name,
                       std::uint64_t resource_version);

// --- The parts of generate_object, one kind group per file ---------------------------------

struct GeneratedParts {
  nlohmann::json labels = nlohmann::json::object();
  nlohmann::json annotations = nlohmann::json::object();
  nlohmann::json spec = nlohmann::json::object();
};

// generated_wiring.cc: switches, servers, connections, switchgroups, vlannamespaces,
// switchprofiles, serverprofiles.
GeneratedParts generate_wiring(const FabricShape& shape, const KubeKind& kind, std::size_t i,
                               Random& random);
// generated_vpc.cc: vpcs, vpcattachments, vpcpeerings, ipv4namespaces, externals,
// externalattachments, externalpeerings.
GeneratedParts generate_vpc(const FabricShape& shape, const KubeKind& kind, std::size_t i,
                            Random& random);

// The name object k of a kind refers to: "switch-00003", within the generated ones (k modulo
// the count); `fallback` when none of that kind were generated.
std::string reference(const FabricShape& shape, std::string_view plural, std::size_t k,
                      std::string_view fallback = "");
// Dotted IPv4 text of a 32-bit address.
std::string ipv4(std::uint32_t address);
constexpr std::uint32_t ipv4_address(unsigned a, unsigned b, unsigned c, unsigned d) {
  return (a << 24) | (b << 16) | (c << 8) | d;
}

}  // namespace jobhost::testing::fake_kubernetes
