#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fakes/meraki/catalog.h"
#include "fakes/meraki/records.h"

// Made-up organizations, networks and devices that look like Meraki's: ids, serials, MACs
// and LAN addresses unique by construction (each comes from a counter through a bijection),
// everything else drawn from the seed and the object's own number, so an object is the same
// whatever was generated before it.
namespace jobhost::testing::fake_meraki {

class Generator {
 public:
  // `now`: what generated lastReportedAt values lie shortly (or, offline, long) before.
  Generator(std::uint64_t seed, std::chrono::system_clock::time_point now);

  // Organization `number` (1, 2, ...): id "500000" + number, name "Org <number>".
  Organization organization(std::size_t number) const;
  // A network of `org`: `index` counts every network ever generated (its id), `in_org` its
  // place in the organization (its name). No devices yet; `with_devices` false gives it the
  // product types of a combined network (appliance, switch, wireless) of its own.
  Network network(const Organization& org, std::uint64_t index, std::size_t in_org,
                  bool with_devices) const;
  // A device of `network`: `index` counts every device ever generated (serial, MAC),
  // `in_network` its place in the network (its name and role), `address` a LAN address
  // number (lan_ip()). Status and lastReportedAt included; texts not made yet.
  Device device(const Network& network, std::uint64_t index, std::size_t in_network,
                std::uint64_t address) const;

  // The dashboard page of a device: its network's pages, then the MAC as a number.
  static std::string device_url(const Network& network, std::string_view mac);

  // "10.x.y.z", distinct for distinct numbers below 16 million.
  static std::string lan_ip(std::uint64_t address);
  // A firmware of the product type other than `current` (mutations change it).
  static std::string other_firmware(ProductType type, const std::string& current);

 private:
  std::uint64_t seed_;
  std::string dashboard_host_;  // "n149.meraki.com": where the url fields point
  std::chrono::system_clock::time_point now_;
};

}  // namespace jobhost::testing::fake_meraki
