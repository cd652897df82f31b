#include "fakes/meraki/inventory.h"

#include <stdexcept>
#include <vector>

namespace jobhost::testing::fake_meraki {

Inventory::Inventory(std::uint64_t seed, std::chrono::system_clock::time_point now)
    : generator(seed, now), mutation_random(mix64(seed ^ 0x6d75746174650000ULL)) {}

const Organization* Inventory::find_organization(std::string_view id) const {
  auto it = organizations.find(id);
  return it == organizations.end() ? nullptr : &it->second;
}

Organization* Inventory::find_organization(std::string_view id) {
  auto it = organizations.find(id);
  return it == organizations.end() ? nullptr : &it->second;
}

const Network* Inventory::find_network(std::string_view id) const {
  auto owner = network_owner.find(std::string(id));
  if (owner == network_owner.end()) return nullptr;
  auto it = owner->second->networks.find(id);
  return it == owner->second->networks.end() ? nullptr : &it->second;
}

Network* Inventory::find_network(std::string_view id) {
  return const_cast<Network*>(std::as_const(*this).find_network(id));
}

const Device* Inventory::find_device(std::string_view serial) const {
  auto owner = device_owner.find(std::string(serial));
  if (owner == device_owner.end()) return nullptr;
  auto it = owner->second->devices.find(serial);
  return it == owner->second->devices.end() ? nullptr : &it->second;
}

Device* Inventory::find_device(std::string_view serial) {
  return const_cast<Device*>(std::as_const(*this).find_device(serial));
}

Organization& Inventory::add_organization(Organization org) {
  org.refresh();
  std::string id = org.id;
  auto [it, inserted] = organizations.insert_or_assign(std::move(id), std::move(org));
  for (auto& [network_id, network] : it->second.networks) network_owner[network_id] = &it->second;
  for (auto& [serial, device] : it->second.devices) device_owner[serial] = &it->second;
  return it->second;
}

bool Inventory::remove_organization(std::string_view id) {
  auto it = organizations.find(id);
  if (it == organizations.end()) return false;
  for (const auto& entry : it->second.networks) network_owner.erase(entry.first);
  for (const auto& entry : it->second.devices) device_owner.erase(entry.first);
  organizations.erase(it);
  return true;
}

Network& Inventory::store_network(Organization& org, Network network) {
  network.organization_id = org.id;
  auto old = org.networks.find(network.id);
  if (old != org.networks.end()) network.device_counts = old->second.device_counts;
  network.refresh();
  std::string id = network.id;
  auto [it, inserted] = org.networks.insert_or_assign(id, std::move(network));
  network_owner[id] = &org;
  return it->second;
}

bool Inventory::remove_network(std::string_view id) {
  auto owner = network_owner.find(std::string(id));
  if (owner == network_owner.end()) return false;
  Organization& org = *owner->second;
  std::vector<std::string> serials;
  for (const auto& [serial, device] : org.devices) {
    if (device.network_id == id) serials.push_back(serial);
  }
  for (const std::string& serial : serials) {
    org.devices.erase(serial);
    device_owner.erase(serial);
  }
  org.networks.erase(org.networks.find(id));
  network_owner.erase(owner);
  return true;
}

Device& Inventory::store_device(Device device) {
  auto owner = network_owner.find(device.network_id);
  if (owner == network_owner.end()) {
    throw std::logic_error("fake-meraki: store_device: no network " + device.network_id);
  }
  Organization& org = *owner->second;
  remove_device(device.serial);
  count_device(org.networks.at(device.network_id), device.product_type, +1);
  device.refresh();
  std::string serial = device.serial;
  auto [it, inserted] = org.devices.insert_or_assign(serial, std::move(device));
  device_owner[serial] = &org;
  return it->second;
}

bool Inventory::remove_device(std::string_view serial) {
  auto owner = device_owner.find(std::string(serial));
  if (owner == device_owner.end()) return false;
  Organization& org = *owner->second;
  auto it = org.devices.find(serial);
  if (it != org.devices.end()) {
    auto network = org.networks.find(it->second.network_id);
    if (network != org.networks.end()) count_device(network->second, it->second.product_type, -1);
    org.devices.erase(it);
  }
  device_owner.erase(owner);
  return true;
}

void Inventory::count_device(Network& network, ProductType type, int change) {
  ProductTypeSet before = network.product_types();
  std::uint32_t& count = network.device_counts[static_cast<std::size_t>(type)];
  if (change < 0 && count == 0) return;
  count = change > 0 ? count + 1 : count - 1;
  if (network.product_types() != before) network.refresh();
}

}  // namespace jobhost::testing::fake_meraki
