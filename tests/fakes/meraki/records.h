#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakes/meraki/catalog.h"

// The organizations, networks and devices the fake holds, each with its JSON text as the API
// serves it. The text is made again by refresh() after every change (the store calls it), so
// serving a page only concatenates texts.
namespace jobhost::testing::fake_meraki {

struct Device {
  std::string serial;  // "Q2HP-ABCD-1234"
  std::string name;
  std::string mac;  // "88:15:44:0a:1b:2c"
  std::string model;
  std::string network_id;
  ProductType product_type = ProductType::wireless;
  std::optional<std::string> lan_ip;  // null only when a test put one so
  std::string firmware;
  std::vector<std::string> tags;
  std::string address;
  std::string notes;
  double lat = 0;
  double lng = 0;
  std::string url;
  nlohmann::json extra;  // fields a test put() that have no member here

  // What /devices/statuses says about it.
  std::string status = "online";
  std::string public_ip;
  std::string last_reported_at;  // RFC 3339 UTC

  std::string text;         // {serial,name,mac,model,networkId,productType,lanIp,...}
  std::string status_text;  // {serial,name,networkId,mac,publicIp,lanIp,status,...}
  void refresh();
};

struct Network {
  std::string id;  // "L_646829496481105"
  std::string organization_id;
  std::string name;
  // The product types it was made with; productTypes adds those of its devices.
  ProductTypeSet declared{};
  std::string time_zone;
  std::vector<std::string> tags;
  std::string notes;
  bool bound_to_template = false;
  std::string url;
  nlohmann::json extra;

  // Not served with the network: what its devices get.
  std::string public_ip;  // their statuses' publicIp
  std::size_t city = 0;   // where generated devices are placed (catalog.h)

  std::array<std::uint32_t, kProductTypeCount> device_counts{};  // its devices, by type

  ProductTypeSet product_types() const;  // declared, plus the types of its devices
  std::string text;
  void refresh();
};

using NetworkMap = std::map<std::string, Network, std::less<>>;  // by id
using DeviceMap = std::map<std::string, Device, std::less<>>;    // by serial

struct Organization {
  std::string id;  // "500001"
  std::string name;
  std::string url;
  NetworkMap networks;
  DeviceMap devices;

  std::string text;  // {id,name,url,api:{enabled:true}}
  void refresh();
};

}  // namespace jobhost::testing::fake_meraki
