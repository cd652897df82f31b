#include "fakes/meraki/generated_data.h"

#include <array>
#include <cmath>
#include <cstdio>

#include "fakes/meraki/deterministic.h"

namespace jobhost::testing::fake_meraki {

namespace {

// Salts that keep the streams of different kinds of objects apart.
constexpr std::uint64_t kOrganizationSalt = 0x6f7267;
constexpr std::uint64_t kNetworkSalt = 0x6e6574;
constexpr std::uint64_t kDeviceSalt = 0x646576;

constexpr std::array<std::string_view, 6> kSiteKinds = {"Branch", "Office",    "Store",
                                                        "Campus", "Warehouse", "Clinic"};
constexpr std::array<std::string_view, 8> kDeviceTags = {
    "floor-1", "floor-2", "core", "access", "outdoor", "lab", "critical", "recently-added"};
constexpr std::array<std::string_view, 4> kDeviceNotes = {"Ceiling mount", "Spare on the shelf",
                                                          "Replaced after RMA", "Rack 2, unit 14"};

constexpr char kBase62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

// `length` characters of base 62: the short codes in dashboard URLs.
std::string code_of(std::uint64_t value, std::size_t length) {
  std::string code(length, '0');
  for (std::size_t i = 0; i < length; ++i) {
    code[i] = kBase62[value % 62];
    value /= 62;
  }
  return code;
}

std::string padded(std::size_t number, int width) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%0*zu", width, number);
  return buffer;
}

// Dashboard URLs put the network name in with '-' for spaces.
std::string slug_of(const std::string& name) {
  std::string slug = name;
  for (char& c : slug) {
    if (c == ' ') c = '-';
  }
  return slug;
}

double rounded(double degrees) {
  return std::round(degrees * 1e6) / 1e6;
}

// What a device in a network is: the first an appliance, the second a switch, then mostly
// access points, some cameras and sensors, now and then a cellular gateway.
ProductType type_for(std::size_t in_network, Random& random) {
  if (in_network == 0) return ProductType::appliance;
  if (in_network == 1) return ProductType::switch_;
  std::size_t roll = random.below(100);
  if (roll < 50) return ProductType::wireless;
  if (roll < 70) return ProductType::switch_;
  if (roll < 85) return ProductType::camera;
  if (roll < 95) return ProductType::sensor;
  return ProductType::cellularGateway;
}

// Most devices online, a few alerting, offline or dormant; each reported as long ago as that
// status suggests.
void set_generated_status(Device& device, Random& random,
                          std::chrono::system_clock::time_point now) {
  using namespace std::chrono;
  std::size_t roll = random.below(100);
  double seconds_ago = 0;
  if (roll < 90) {
    device.status = "online";
    seconds_ago = random.between(5, 300);
  } else if (roll < 94) {
    device.status = "alerting";
    seconds_ago = random.between(5, 300);
  } else if (roll < 98) {
    device.status = "offline";
    seconds_ago = random.between(3600, 14 * 86400);
  } else {
    device.status = "dormant";
    seconds_ago = random.between(30 * 86400, 400 * 86400);
  }
  auto at = now - duration_cast<system_clock::duration>(duration<double>(seconds_ago));
  device.last_reported_at = rfc3339_utc(at);
}

}  // namespace

Generator::Generator(std::uint64_t seed, std::chrono::system_clock::time_point now)
    : seed_(seed),
      dashboard_host_("n" + std::to_string(100 + mix64(seed) % 300) + ".meraki.com"),
      now_(now) {}

Organization Generator::organization(std::size_t number) const {
  Organization org;
  org.id = std::to_string(500000 + number);
  org.name = "Org " + std::to_string(number);
  std::uint64_t code = mix64(seed_ ^ mix64(kOrganizationSalt ^ number));
  org.url =
      "https://" + dashboard_host_ + "/o/" + code_of(code, 6) + "/manage/organization/overview";
  return org;
}

Network Generator::network(const Organization& org, std::uint64_t index, std::size_t in_org,
                           bool with_devices) const {
  Random random = random_for(seed_, kNetworkSalt, index);
  Network network;
  // 15 digits: 10^14 plus a number below 2^49 (< 5.7 * 10^14).
  std::uint64_t number = 100000000000000ULL + scramble(index, 49, mix64(seed_ ^ kNetworkSalt));
  network.id = "L_" + std::to_string(number);
  network.organization_id = org.id;
  network.city = random.below(city_count());
  const City& where = city(network.city);
  std::string_view kind = kSiteKinds[random.below(kSiteKinds.size())];
  network.name = std::string(where.name) + " " + std::string(kind) + " " + padded(in_org + 1, 4);
  network.time_zone = std::string(where.time_zone);
  network.tags = {std::string(where.region), std::string(kind == "Store" ? "retail" : "corp")};
  if (random.percent(15)) network.tags.push_back("pci");
  network.notes = random.percent(20) ? "Opened " + std::to_string(2015 + random.below(10)) : "";
  network.bound_to_template = random.percent(25);
  network.url = "https://" + dashboard_host_ + "/" + slug_of(network.name) + "/n/" +
                code_of(random.next(), 8) + "/manage/usage/list";
  if (!with_devices) {
    network.declared[static_cast<std::size_t>(ProductType::appliance)] = true;
    network.declared[static_cast<std::size_t>(ProductType::switch_)] = true;
    network.declared[static_cast<std::size_t>(ProductType::wireless)] = true;
  }
  // Public addresses from 198.18.0.0/15 (set aside for benchmarks), one per network.
  std::uint64_t block = index / 254;
  network.public_ip = "198." + std::to_string(18 + (block >> 8) % 2) + "." +
                      std::to_string(block & 255) + "." + std::to_string(index % 254 + 1);
  return network;
}

Device Generator::device(const Network& network, std::uint64_t index, std::size_t in_network,
                         std::uint64_t address) const {
  Random random = random_for(seed_, kDeviceSalt, index);
  Device device;
  device.product_type = type_for(in_network, random);
  const ProductLine& line = product_line(device.product_type);
  device.model = std::string(line.models[random.below(2)]);

  // Qxxx-xxxx-xxxx: the product line's first group, then 8 characters of base 36 from a
  // bijection of the index (36^8 > 2^40), so no two devices share a serial.
  static constexpr char kBase36[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  std::uint64_t tail = scramble(index, 40, mix64(seed_ ^ kDeviceSalt));
  char serial[15];
  std::copy(line.serial_prefix.begin(), line.serial_prefix.end(), serial);
  serial[4] = '-';
  serial[9] = '-';
  for (int i = 13; i >= 10; --i, tail /= 36) serial[i] = kBase36[tail % 36];
  for (int i = 8; i >= 5; --i, tail /= 36) serial[i] = kBase36[tail % 36];
  device.serial.assign(serial, 14);

  // The product line's OUI and 24 bits from a bijection of the index: unique below 2^24.
  std::uint64_t nic = scramble(index & 0xffffff, 24, mix64(seed_ ^ kDeviceSalt ^ 1));
  char mac[18];
  std::snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x", (line.oui >> 16) & 0xff,
                (line.oui >> 8) & 0xff, line.oui & 0xff, static_cast<unsigned>((nic >> 16) & 0xff),
                static_cast<unsigned>((nic >> 8) & 0xff), static_cast<unsigned>(nic & 0xff));
  device.mac = mac;

  const City& where = city(network.city);
  std::string number = network.name.substr(network.name.rfind(' ') + 1);
  device.name = std::string(where.code) + "-" + number + "-" + std::string(line.role) +
                padded(in_network + 1, 2);
  device.network_id = network.id;
  device.lan_ip = lan_ip(address);
  device.firmware = std::string(line.firmware[random.percent(15) ? 1 : 0]);
  std::size_t tag_count = random.below(3);
  for (std::size_t i = 0; i < tag_count; ++i) {
    std::string tag(kDeviceTags[random.below(kDeviceTags.size())]);
    if (device.tags.empty() || device.tags.front() != tag) device.tags.push_back(std::move(tag));
  }
  device.address = std::string(where.address);
  device.notes = random.percent(10) ? std::string(kDeviceNotes[random.below(kDeviceNotes.size())])
                                    : std::string();
  device.lat = rounded(where.lat + random.between(-0.02, 0.02));
  device.lng = rounded(where.lng + random.between(-0.02, 0.02));
  device.url = device_url(network, device.mac);
  device.public_ip = network.public_ip;
  set_generated_status(device, random, now_);
  return device;
}

std::string Generator::device_url(const Network& network, std::string_view mac) {
  std::uint64_t number = 0;
  for (char c : mac) {
    if (c >= '0' && c <= '9') number = number * 16 + static_cast<std::uint64_t>(c - '0');
    if (c >= 'a' && c <= 'f') number = number * 16 + static_cast<std::uint64_t>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') number = number * 16 + static_cast<std::uint64_t>(c - 'A' + 10);
  }
  std::string base = network.url.substr(0, network.url.find("/manage/"));
  return base + "/manage/nodes/new_list/" + std::to_string(number);
}

std::string Generator::lan_ip(std::uint64_t address) {
  std::uint64_t host = address % 250 + 2;  // .2 to .251: the gateway and broadcast stay free
  std::uint64_t subnet = address / 250;
  return "10." + std::to_string((subnet >> 8) & 255) + "." + std::to_string(subnet & 255) + "." +
         std::to_string(host);
}

std::string Generator::other_firmware(ProductType type, const std::string& current) {
  const ProductLine& line = product_line(type);
  return std::string(current == line.firmware[0] ? line.firmware[1] : line.firmware[0]);
}

}  // namespace jobhost::testing::fake_meraki
