#pragma once

#include <nlohmann/json.hpp>

#include "fakes/meraki/records.h"

// What a test's put_network / put_device objects change: each member given replaces the
// record's; members the fake has no field for are kept as they are and served with the
// object. Server-owned members (organizationId, url, and for devices networkId and serial,
// which the caller handles) are ignored here.
namespace jobhost::testing::fake_meraki {

// Throw std::invalid_argument naming a member of the wrong type (or an unknown product type).
void apply_network_input(Network& network, const nlohmann::json& input);
void apply_device_input(Device& device, const nlohmann::json& input);

}  // namespace jobhost::testing::fake_meraki
