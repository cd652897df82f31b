#include <chrono>
#include <stdexcept>
#include <utility>

#include "fakes/meraki/dashboard.h"
#include "fakes/meraki/record_input.h"

// The organizations, networks and devices as tests see and change them, outside HTTP.
namespace jobhost::testing::fake_meraki {

namespace {

std::size_t device_count(const Network& network) {
  std::size_t count = 0;
  for (std::uint32_t of_type : network.device_counts) count += of_type;
  return count;
}

nlohmann::json parsed(const std::string& text) {
  return nlohmann::json::parse(text);
}

// The id-like member `key` of a test's object: a non-empty string.
std::string required_id(const nlohmann::json& object, const char* key, std::string_view what) {
  if (!object.is_object()) {
    throw std::invalid_argument("fake-meraki: " + std::string(what) + ": not a JSON object");
  }
  auto it = object.find(key);
  if (it == object.end() || !it->is_string() || it->get<std::string>().empty()) {
    throw std::invalid_argument("fake-meraki: " + std::string(what) + ": needs " + key +
                                " (a non-empty string)");
  }
  return it->get<std::string>();
}

}  // namespace

std::vector<std::string> Dashboard::organization_ids() const {
  return store_.read([](const Inventory& inventory) {
    std::vector<std::string> ids;
    for (const auto& entry : inventory.organizations) ids.push_back(entry.first);
    return ids;
  });
}

std::vector<nlohmann::json> Dashboard::networks(std::string_view org_id) const {
  return store_.read([&](const Inventory& inventory) {
    std::vector<nlohmann::json> out;
    if (const Organization* org = inventory.find_organization(org_id)) {
      out.reserve(org->networks.size());
      for (const auto& entry : org->networks) out.push_back(parsed(entry.second.text));
    }
    return out;
  });
}

std::vector<nlohmann::json> Dashboard::devices(std::string_view org_id) const {
  return store_.read([&](const Inventory& inventory) {
    std::vector<nlohmann::json> out;
    if (const Organization* org = inventory.find_organization(org_id)) {
      out.reserve(org->devices.size());
      for (const auto& entry : org->devices) out.push_back(parsed(entry.second.text));
    }
    return out;
  });
}

std::optional<nlohmann::json> Dashboard::network(std::string_view network_id) const {
  return store_.read([&](const Inventory& inventory) -> std::optional<nlohmann::json> {
    const Network* network = inventory.find_network(network_id);
    if (network == nullptr) return std::nullopt;
    return parsed(network->text);
  });
}

std::optional<nlohmann::json> Dashboard::device(std::string_view serial) const {
  return store_.read([&](const Inventory& inventory) -> std::optional<nlohmann::json> {
    const Device* device = inventory.find_device(serial);
    if (device == nullptr) return std::nullopt;
    return parsed(device->text);
  });
}

std::optional<nlohmann::json> Dashboard::status(std::string_view serial) const {
  return store_.read([&](const Inventory& inventory) -> std::optional<nlohmann::json> {
    const Device* device = inventory.find_device(serial);
    if (device == nullptr) return std::nullopt;
    return parsed(device->status_text);
  });
}

std::string Dashboard::add_organization(std::string name) {
  return store_.write([&](Inventory& inventory) {
    Organization org;
    do {
      if (inventory.next_organization > 499999) {
        throw std::invalid_argument("fake-meraki: add_organization: no organization ids left");
      }
      org = inventory.generator.organization(inventory.next_organization++);
    } while (inventory.find_organization(org.id) != nullptr);
    if (!name.empty()) org.name = std::move(name);
    return inventory.add_organization(std::move(org)).id;
  });
}

bool Dashboard::remove_organization(std::string_view org_id) {
  bool removed =
      store_.write([&](Inventory& inventory) { return inventory.remove_organization(org_id); });
  if (removed) rate_limits_.forget_organization(org_id);
  return removed;
}

nlohmann::json Dashboard::put_network(std::string_view org_id, nlohmann::json input) {
  std::string id = required_id(input, "id", "put_network");
  return store_.write([&](Inventory& inventory) {
    Organization* org = inventory.find_organization(org_id);
    if (org == nullptr) {
      throw std::invalid_argument("fake-meraki: put_network: no organization " +
                                  std::string(org_id));
    }
    Network network;
    if (const Network* old = inventory.find_network(id)) {
      if (old->organization_id != org->id) {
        throw std::invalid_argument("fake-meraki: put_network: network " + id +
                                    " belongs to organization " + old->organization_id);
      }
      network = *old;
    } else {
      // A new network starts as a generated one would (a combined network in some city).
      network =
          inventory.generator.network(*org, inventory.next_network++, org->networks.size(), false);
      network.device_counts = {};
    }
    network.id = id;
    apply_network_input(network, input);
    return parsed(inventory.store_network(*org, std::move(network)).text);
  });
}

bool Dashboard::remove_network(std::string_view network_id) {
  return store_.write([&](Inventory& inventory) { return inventory.remove_network(network_id); });
}

Device& Dashboard::add_generated_device(Inventory& inventory, const Network& network) {
  // A serial a test put() meanwhile is taken: the next generated one.
  Device device;
  do {
    device = inventory.generator.device(network, inventory.next_device++, device_count(network),
                                        inventory.next_address++);
  } while (inventory.find_device(device.serial) != nullptr);
  return inventory.store_device(std::move(device));
}

nlohmann::json Dashboard::put_device(nlohmann::json input) {
  std::string serial = required_id(input, "serial", "put_device");
  std::string network_id = required_id(input, "networkId", "put_device");
  return store_.write([&](Inventory& inventory) {
    const Network* network = inventory.find_network(network_id);
    if (network == nullptr) {
      throw std::invalid_argument("fake-meraki: put_device: no network " + network_id);
    }
    Device device;
    if (const Device* old = inventory.find_device(serial)) {
      device = *old;
    } else {
      // A new device starts as a generated one would, online and reported now.
      device = inventory.generator.device(*network, inventory.next_device++, device_count(*network),
                                          inventory.next_address++);
      device.status = "online";
      device.last_reported_at = rfc3339_utc(std::chrono::system_clock::now());
    }
    device.serial = serial;
    device.network_id = network_id;
    device.public_ip = network->public_ip;
    apply_device_input(device, input);
    device.url = Generator::device_url(*network, device.mac);
    return parsed(inventory.store_device(std::move(device)).text);
  });
}

bool Dashboard::remove_device(std::string_view serial) {
  return store_.write([&](Inventory& inventory) { return inventory.remove_device(serial); });
}

void Dashboard::set_status(std::string_view serial, std::string_view status) {
  if (!is_status(status)) {
    throw std::invalid_argument("fake-meraki: set_status: not a status: '" + std::string(status) +
                                "' (online, offline, alerting or dormant)");
  }
  store_.write([&](Inventory& inventory) {
    Device* device = inventory.find_device(serial);
    if (device == nullptr) {
      throw std::invalid_argument("fake-meraki: set_status: no device " + std::string(serial));
    }
    device->status = std::string(status);
    device->last_reported_at = rfc3339_utc(std::chrono::system_clock::now());
    device->refresh();
  });
}

}  // namespace jobhost::testing::fake_meraki
