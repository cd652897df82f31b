#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "fakes/meraki/deterministic.h"
#include "fakes/meraki/fake_meraki.h"
#include "fakes/meraki/generated_data.h"
#include "fakes/meraki/records.h"

// Every organization with its networks and devices, and the indexes that find a network or
// a device without knowing its organization. Its changes keep the indexes, the networks'
// device counts (their productTypes) and every object's text up to date.
namespace jobhost::testing::fake_meraki {

struct Inventory {
  std::map<std::string, Organization, std::less<>> organizations;  // by id
  std::unordered_map<std::string, Organization*> network_owner;    // network id -> its org
  std::unordered_map<std::string, Organization*> device_owner;     // serial -> its org

  // What generates new objects, and the counters that keep their identifiers unique.
  Generator generator;
  std::size_t next_organization = 1;  // organization number (id 500000 + number)
  std::uint64_t next_network = 0;     // network index
  std::uint64_t next_device = 0;      // device index
  std::uint64_t next_address = 0;     // LAN address number
  Random mutation_random;             // mutate()'s choices
  std::uint64_t changes = 0;          // devices mutate() changed so far (renames count them)

  Inventory(std::uint64_t seed, std::chrono::system_clock::time_point now);

  // nullptr when absent.
  const Organization* find_organization(std::string_view id) const;
  Organization* find_organization(std::string_view id);
  Network* find_network(std::string_view id);
  const Network* find_network(std::string_view id) const;
  Device* find_device(std::string_view serial);
  const Device* find_device(std::string_view serial) const;

  Organization& add_organization(Organization org);  // text made here
  bool remove_organization(std::string_view id);     // with its networks and devices
  // Creates or replaces a network of `org` (whose id no other organization has); a replaced
  // network keeps its devices. Its text is made here.
  Network& store_network(Organization& org, Network network);
  bool remove_network(std::string_view id);  // with its devices
  // Creates or replaces a device in the network device.network_id names (which must exist),
  // moving it when it was elsewhere. Its texts are made here.
  Device& store_device(Device device);
  bool remove_device(std::string_view serial);

 private:
  // A device of `type` joined (+1) or left (-1) a network: productTypes may change.
  static void count_device(Network& network, ProductType type, int change);
};

// The inventory behind a lock: readers (the HTTP handlers, many at once) share it, writers
// (mutations, a test's put) have it alone.
class DataStore {
 public:
  explicit DataStore(Inventory inventory) : inventory_(std::move(inventory)) {}

  template <typename F>
  auto read(F&& f) const {
    std::shared_lock lock(mutex_);
    return f(static_cast<const Inventory&>(inventory_));
  }
  template <typename F>
  auto write(F&& f) {
    std::unique_lock lock(mutex_);
    return f(inventory_);
  }

 private:
  mutable std::shared_mutex mutex_;
  Inventory inventory_;
};

// The generated organizations as options ask for them (generated_inventory.cc). Throws
// std::invalid_argument for devices without networks.
Inventory generate_inventory(const FakeMerakiOptions& options,
                             std::chrono::system_clock::time_point now);

}  // namespace jobhost::testing::fake_meraki
