#pragma once

#include <cstddef>
#include <cstdint>

#include <nlohmann/json.hpp>

// What FakeKubernetes::mutate() does to an existing object's spec.
namespace jobhost::testing::fake_kubernetes {

// Whether objects of the kind have a spec field to change (switchgroups have none).
bool spec_changeable(std::size_t kind);

// Changes one field the way an operator would (a description, a port, a VLAN, a flag, a
// prefix...), so the spec always ends up different from before. `change` numbers the change
// (descriptions name it).
void change_spec(std::size_t kind, nlohmann::json& spec, std::uint64_t change);

}  // namespace jobhost::testing::fake_kubernetes
