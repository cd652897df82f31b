#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fakes/kubernetes/fake_kubernetes.h"

// Lookups over hedgehog_kinds(): the fake addresses a kind by its index in that list.
namespace jobhost::testing::fake_kubernetes {

inline constexpr std::size_t kKindCount = 14;

// The index of a plural in hedgehog_kinds(), or nullopt.
std::optional<std::size_t> kind_index(std::string_view plural);
// The same, throwing std::invalid_argument naming the plural and `what` asked for it.
std::size_t require_kind(std::string_view plural, std::string_view what);

// "switch" for Switch, "vpcattachment" for VPCAttachment: the singularName discovery shows
// and the prefix of generated names.
std::string singular_name(const KubeKind& kind);
// "wiring.githedgehog.com/v1beta1".
std::string api_version(const KubeKind& kind);
// "switches.wiring.githedgehog.com", as Kubernetes names a resource in its messages.
std::string qualified_resource(const KubeKind& kind);
// Whether the fake gives objects of this kind a status with a Ready condition.
bool has_ready_status(const KubeKind& kind);

// The indices of the 12 synced kinds, in hedgehog_kinds() order.
const std::vector<std::size_t>& synced_kind_indices();

}  // namespace jobhost::testing::fake_kubernetes
