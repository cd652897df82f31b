#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "fakes/meraki/dashboard.h"

// FakeMeraki::mutate(): what happens to an organization's devices between two syncs.
namespace jobhost::testing::fake_meraki {

namespace {

// Takes a random serial out of the pool (order does not matter to the pool).
std::string draw(std::vector<std::string>& pool, Random& random) {
  std::size_t at = random.below(pool.size());
  std::swap(pool[at], pool.back());
  std::string taken = std::move(pool.back());
  pool.pop_back();
  return taken;
}

// The name without an earlier mutation's " rN" suffix.
std::string base_name(const std::string& name) {
  std::size_t space = name.rfind(" r");
  if (space == std::string::npos || space + 2 >= name.size()) return name;
  bool digits = std::all_of(name.begin() + static_cast<std::ptrdiff_t>(space + 2), name.end(),
                            [](char c) { return c >= '0' && c <= '9'; });
  return digits ? name.substr(0, space) : name;
}

// One visible change to a device: its name, firmware, LAN address, tags or status.
void change_device(Device& device, Inventory& inventory, std::uint64_t change_number) {
  Random& random = inventory.mutation_random;
  switch (random.below(5)) {
    case 0:
      device.name = base_name(device.name) + " r" + std::to_string(change_number);
      break;
    case 1:
      device.firmware = Generator::other_firmware(device.product_type, device.firmware);
      break;
    case 2:
      device.lan_ip = Generator::lan_ip(inventory.next_address++);
      break;
    case 3: {
      auto it = std::find(device.tags.begin(), device.tags.end(), "maintenance");
      if (it == device.tags.end()) {
        device.tags.push_back("maintenance");
      } else {
        device.tags.erase(it);
      }
      break;
    }
    default: {
      std::vector<std::string_view> others;
      for (std::string_view status : kStatuses) {
        if (status != device.status) others.push_back(status);
      }
      device.status = std::string(others[random.below(others.size())]);
      device.last_reported_at = rfc3339_utc(std::chrono::system_clock::now());
      break;
    }
  }
  device.refresh();
}

}  // namespace

FakeMeraki::Mutation Dashboard::mutate(std::size_t added, std::size_t changed, std::size_t deleted,
                                       std::string_view org_id) {
  return store_.write([&](Inventory& inventory) {
    Organization* org = nullptr;
    if (org_id.empty()) {
      if (!inventory.organizations.empty()) org = &inventory.organizations.begin()->second;
    } else {
      org = inventory.find_organization(org_id);
    }
    if (org == nullptr) {
      throw std::invalid_argument("fake-meraki: mutate: no organization '" + std::string(org_id) +
                                  "'");
    }
    FakeMeraki::Mutation result;
    Random& random = inventory.mutation_random;

    // The devices there before this mutation: changes and deletions pick among them, each
    // device at most once.
    std::vector<std::string> pool;
    pool.reserve(org->devices.size());
    for (const auto& entry : org->devices) pool.push_back(entry.first);
    while (result.changed.size() < changed && !pool.empty()) {
      result.changed.push_back(draw(pool, random));
    }
    while (result.deleted.size() < deleted && !pool.empty()) {
      result.deleted.push_back(draw(pool, random));
    }

    // New devices go to existing networks (none without networks).
    std::vector<const Network*> networks;
    for (const auto& entry : org->networks) networks.push_back(&entry.second);
    for (std::size_t n = 0; n < added && !networks.empty(); ++n) {
      const Network& network = *networks[random.below(networks.size())];
      result.added.push_back(add_generated_device(inventory, network).serial);
    }
    for (const std::string& serial : result.changed) {
      change_device(*inventory.find_device(serial), inventory, ++inventory.changes);
    }
    for (const std::string& serial : result.deleted) inventory.remove_device(serial);
    return result;
  });
}

}  // namespace jobhost::testing::fake_meraki
