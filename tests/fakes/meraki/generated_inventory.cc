#include <stdexcept>
#include <utility>

#include "fakes/meraki/inventory.h"

// The organizations FakeMerakiOptions asks for, generated in one pass: each network with its
// devices (spread evenly, the first networks taking the remainder), its text made once the
// devices are counted.
namespace jobhost::testing::fake_meraki {

Inventory generate_inventory(const FakeMerakiOptions& options,
                             std::chrono::system_clock::time_point now) {
  if (options.devices > 0 && options.networks == 0) {
    throw std::invalid_argument("fake-meraki: devices need networks (devices " +
                                std::to_string(options.devices) + ", networks 0)");
  }
  if (options.organizations > 499999) {
    throw std::invalid_argument("fake-meraki: at most 499999 organizations");
  }
  Inventory inventory(options.seed, now);
  inventory.network_owner.reserve(options.organizations * options.networks);
  inventory.device_owner.reserve(options.organizations * options.devices);
  const Generator& generator = inventory.generator;

  for (std::size_t o = 0; o < options.organizations; ++o) {
    Organization& org =
        inventory.add_organization(generator.organization(inventory.next_organization++));
    for (std::size_t n = 0; n < options.networks; ++n) {
      std::size_t device_count =
          options.devices / options.networks + (n < options.devices % options.networks ? 1 : 0);
      Network network = generator.network(org, inventory.next_network++, n, device_count > 0);
      for (std::size_t d = 0; d < device_count; ++d) {
        Device device =
            generator.device(network, inventory.next_device++, d, inventory.next_address++);
        ++network.device_counts[static_cast<std::size_t>(device.product_type)];
        device.refresh();
        std::string serial = device.serial;
        inventory.device_owner.emplace(serial, &org);
        org.devices.emplace(std::move(serial), std::move(device));
      }
      network.refresh();
      std::string id = network.id;
      inventory.network_owner.emplace(id, &org);
      org.networks.emplace(std::move(id), std::move(network));
    }
  }
  return inventory;
}

}  // namespace jobhost::testing::fake_meraki
