#include <algorithm>
#include <array>
#include <string>
#include <utility>
#include <vector>

#include "fakes/kubernetes/generated_objects.h"

// wiring.githedgehog.com objects shaped like Hedgehog's v1beta1 types: fields that Go's
// omitempty drops when empty (groups, vtepIP of a spine, ...) are absent here too, and struct
// fields it keeps (redundancy) are present even when empty.
namespace jobhost::testing::fake_kubernetes {

namespace {

using json = nlohmann::json;

// A connection's type: the spec key and the value of its connection-type label.
struct ConnectionType {
  const char* key;
  const char* label;
  int weight;  // how common it is in a generated fabric, out of 100
};
constexpr std::array<ConnectionType, 10> kConnectionTypes = {{
    {"unbundled", "unbundled", 35},
    {"bundled", "bundled", 15},
    {"mclag", "mclag", 10},
    {"eslag", "eslag", 15},
    {"fabric", "fabric", 15},
    {"mesh", "mesh", 3},
    {"vpcLoopback", "vpc-loopback", 2},
    {"external", "external", 2},
    {"staticExternal", "static-external", 2},
    {"gateway", "gateway", 1},
}};

std::string port(const std::string& device, const std::string& local) {
  return device + "/" + local;
}

std::string switch_port(Random& random) {
  return "E1/" + std::to_string(1 + random.below(48));
}

std::string server_port(std::size_t n) {
  return "enp2s" + std::to_string(n);
}

// Addresses /31 point-to-point links take from 172.30.128.0 up, two per link.
std::string link_ip(std::size_t i, unsigned side) {
  return ipv4(ipv4_address(172, 30, 128, 0) + static_cast<std::uint32_t>(i * 2 + side)) + "/31";
}

json server_link(const std::string& server, std::size_t server_nic, const std::string& sw,
                 Random& random) {
  return {{"server", {{"port", port(server, server_port(server_nic))}}},
          {"switch", {{"port", port(sw, switch_port(random))}}}};
}

GeneratedParts generate_switch(const FabricShape& shape, std::size_t i, Random& random) {
  // The first three cover every role; then about 15% spines and 15% border leaves.
  static const std::array<const char*, 3> kRoles = {"spine", "server-leaf", "border-leaf"};
  std::size_t draw = random.below(100);
  std::string role = i < 3       ? kRoles[i]
                     : draw < 15 ? "spine"
                     : draw < 85 ? "server-leaf"
                                 : "border-leaf";
  bool spine = role == "spine";
  GeneratedParts parts;
  json& spec = parts.spec;
  spec["role"] = role;
  spec["description"] = role + " " + std::to_string(i) + ", rack " + std::to_string(i / 4 + 1);
  std::string profile = reference(shape, "switchprofiles", random.below(2));
  spec["profile"] = profile;
  spec["redundancy"] = json::object();
  if (role == "server-leaf" && shape.counts[require_kind("switchgroups", "switch")] > 0 &&
      random.percent(50)) {
    std::string group = reference(shape, "switchgroups", i / 2);
    spec["groups"] = {group};
    spec["redundancy"] = {{"group", group}, {"type", "eslag"}};
  }
  spec["vlanNamespaces"] = {reference(shape, "vlannamespaces", i, "default")};
  auto n = static_cast<std::uint32_t>(i);
  spec["asn"] = spine ? 65100 : 65101 + n;
  spec["ip"] = ipv4(ipv4_address(172, 30, 0, 10) + n) + "/21";
  spec["protocolIP"] = ipv4(ipv4_address(172, 30, 8, 1) + n) + "/32";
  if (!spine) spec["vtepIP"] = ipv4(ipv4_address(172, 30, 12, 1) + n) + "/32";
  char serial[24];
  std::snprintf(serial, sizeof serial, "SN%010llx",
                static_cast<unsigned long long>(random.next() & 0xffffffffffULL));
  spec["boot"] = {{"serial", serial}};
  if (role == "border-leaf") spec["portBreakouts"] = {{"E1/55", "4x25G"}};
  parts.labels["fabric.githedgehog.com/profile"] = profile;
  return parts;
}

GeneratedParts generate_connection(const FabricShape& shape, std::size_t i, Random& random) {
  // The first ten are one of each type, so that even a small fabric has them all.
  const ConnectionType* type = &kConnectionTypes[i % kConnectionTypes.size()];
  if (i >= kConnectionTypes.size()) {
    int draw = static_cast<int>(random.below(100));
    for (const ConnectionType& candidate : kConnectionTypes) {
      type = &candidate;
      if ((draw -= candidate.weight) < 0) break;
    }
  }
  std::size_t switches = std::max<std::size_t>(shape.counts[require_kind("switches", "conn")], 1);
  std::size_t first = random.below(switches);
  std::string sw1 = reference(shape, "switches", first);
  std::string sw2 = reference(shape, "switches", first + 1);
  std::string server = reference(shape, "servers", i);
  std::string key = type->key;

  json body;
  std::vector<std::string> switch_names = {sw1};
  bool server_facing = false;
  if (key == "unbundled") {
    body = {{"link", server_link(server, 1, sw1, random)}};
    server_facing = true;
  } else if (key == "bundled") {
    body = {{"links", {server_link(server, 1, sw1, random), server_link(server, 2, sw1, random)}}};
    server_facing = true;
  } else if (key == "mclag" || key == "eslag") {
    body = {{"links", {server_link(server, 1, sw1, random), server_link(server, 2, sw2, random)}}};
    if (random.percent(30)) body["fallback"] = true;
    switch_names.push_back(sw2);
    server_facing = true;
  } else if (key == "fabric") {
    body = {{"links",
             {{{"spine", {{"port", port(sw1, switch_port(random))}, {"ip", link_ip(i, 0)}}},
               {"leaf", {{"port", port(sw2, switch_port(random))}, {"ip", link_ip(i, 1)}}}}}}};
    switch_names.push_back(sw2);
  } else if (key == "mesh") {
    body = {{"links",
             {{{"leaf1", {{"port", port(sw1, switch_port(random))}, {"ip", link_ip(i, 0)}}},
               {"leaf2", {{"port", port(sw2, switch_port(random))}, {"ip", link_ip(i, 1)}}}}}}};
    switch_names.push_back(sw2);
  } else if (key == "vpcLoopback") {
    body = {{"links",
             {{{"switch1", {{"port", port(sw1, switch_port(random))}}},
               {"switch2", {{"port", port(sw1, switch_port(random))}}}}}}};
  } else if (key == "external") {
    body = {{"link", {{"switch", {{"port", port(sw1, switch_port(random))}}}}}};
  } else if (key == "staticExternal") {
    auto n = static_cast<std::uint32_t>(i % 250);
    body = {{"link",
             {{"switch",
               {{"port", port(sw1, switch_port(random))},
                {"ip", ipv4(ipv4_address(172, 31, n, 1)) + "/24"},
                {"nextHop", ipv4(ipv4_address(172, 31, n, 254))},
                {"subnets", {ipv4(ipv4_address(10, 199, n, 0)) + "/24"}},
                {"vlan", 100 + n}}}}}};
  } else {  // gateway
    body = {
        {"links",
         {{{"switch", {{"port", port(sw1, switch_port(random))}, {"ip", link_ip(i, 0)}}},
           {"gateway", {{"port", port("gateway-1", server_port(1))}, {"ip", link_ip(i, 1)}}}}}}};
  }
  if (server_facing && random.percent(20)) body["mtu"] = 9036;

  GeneratedParts parts;
  parts.spec[key] = std::move(body);
  parts.labels["fabric.githedgehog.com/connection-type"] = type->label;
  std::sort(switch_names.begin(), switch_names.end());
  switch_names.erase(std::unique(switch_names.begin(), switch_names.end()), switch_names.end());
  std::string joined;
  for (const auto& name : switch_names) joined += (joined.empty() ? "" : ",") + name;
  parts.annotations["fabric.githedgehog.com/switches"] = joined;
  if (server_facing) parts.annotations["fabric.githedgehog.com/servers"] = server;
  return parts;
}

GeneratedParts generate_switch_profile(std::size_t i) {
  GeneratedParts parts;
  bool virtual_switch = i % 2 == 0;
  parts.spec = {{"displayName", virtual_switch ? "Virtual Switch" : "Dell S5248F-ON"},
                {"switchSilicon", virtual_switch ? "vs" : "Broadcom Trident3-X7 2T"},
                {"features", {{"subinterfaces", true}, {"vxlan", true}, {"acls", true}}},
                {"ports",
                 {{"M1", {{"nos", "Management0"}, {"management", true}, {"oniePortName", "eth0"}}},
                  {"E1/1", {{"nos", "Ethernet0"}, {"label", "1"}, {"profile", "SFP28-25G"}}},
                  {"E1/55", {{"nos", "Ethernet64"}, {"label", "55"}, {"profile", "QSFP28-100G"}}}}},
                {"portProfiles",
                 {{"SFP28-25G", {{"speed", {{"default", "25G"}, {"supported", {"10G", "25G"}}}}}},
                  {"QSFP28-100G",
                   {{"breakout", {{"default", "1x100G"}, {"supported", {"1x100G", "4x25G"}}}}}}}}};
  return parts;
}

}  // namespace

GeneratedParts generate_wiring(const FabricShape& shape, const KubeKind& kind, std::size_t i,
                               Random& random) {
  const std::string& plural = kind.plural;
  if (plural == "switches") return generate_switch(shape, i, random);
  if (plural == "connections") return generate_connection(shape, i, random);
  if (plural == "switchprofiles") return generate_switch_profile(i);
  GeneratedParts parts;
  if (plural == "servers") {
    parts.spec = {
        {"description", "server " + std::to_string(i) + ", rack " + std::to_string(i / 16 + 1)},
        {"profile", reference(shape, "serverprofiles", random.below(2))}};
  } else if (plural == "vlannamespaces") {
    auto from = 1000 + static_cast<int>(i % 30) * 100;
    parts.spec = {{"ranges", {{{"from", from}, {"to", from + 99}}}}};
  } else if (plural == "serverprofiles") {
    parts.spec = {{"nics",
                   {{{"name", "enp2s"},
                     {"ports", {{{"name", server_port(1)}}, {{"name", server_port(2)}}}}}}}};
  }
  // switchgroups: Hedgehog's SwitchGroupSpec has no fields.
  return parts;
}

}  // namespace jobhost::testing::fake_kubernetes
