#include <string>
#include <utility>

#include "fakes/kubernetes/generated_objects.h"

// vpc.githedgehog.com objects shaped like Hedgehog's v1beta1 types. Fields Go's omitempty drops
// are absent when empty or false (a VPCAttachment's nativeVLAN, a disabled subnet's DHCP range).
namespace jobhost::testing::fake_kubernetes {

namespace {

using json = nlohmann::json;

std::string subnet_name(std::size_t n) {
  return n < 10 ? "subnet-0" + std::to_string(n) : "subnet-" + std::to_string(n);
}

// VPC i's subnet s (s < 4) is the /24 at 10.0.0.0 + (i * 4 + s) * 256.
std::uint32_t vpc_subnet_base(std::size_t i, std::size_t s) {
  return ipv4_address(10, 0, 0, 0) + static_cast<std::uint32_t>((i * 4 + s) % 65536) * 256;
}

json vpc_spec(const FabricShape& shape, std::size_t i, Random& random) {
  json subnets = json::object();
  std::size_t count = 1 + random.below(3);
  for (std::size_t s = 0; s < count; ++s) {
    std::uint32_t base = vpc_subnet_base(i, s);
    json dhcp = json::object();
    if (random.percent(70)) {
      dhcp = {{"enable", true}, {"range", {{"start", ipv4(base + 10)}, {"end", ipv4(base + 99)}}}};
    }
    subnets[subnet_name(s + 1)] = {{"subnet", ipv4(base) + "/24"},
                                   {"gateway", ipv4(base + 1)},
                                   {"vlan", 1000 + (i * 4 + s) % 2000},
                                   {"dhcp", std::move(dhcp)}};
  }
  return {{"subnets", std::move(subnets)},
          {"ipv4Namespace", reference(shape, "ipv4namespaces", i, "default")},
          {"vlanNamespace", reference(shape, "vlannamespaces", i, "default")},
          {"mode", random.percent(20) ? "l3vni" : "l2vni"}};
}

}  // namespace

GeneratedParts generate_vpc(const FabricShape& shape, const KubeKind& kind, std::size_t i,
                            Random& random) {
  const std::string& plural = kind.plural;
  auto n = static_cast<std::uint32_t>(i);
  GeneratedParts parts;
  json& spec = parts.spec;
  if (plural == "vpcs") {
    spec = vpc_spec(shape, i, random);
  } else if (plural == "vpcattachments") {
    spec = {{"subnet", reference(shape, "vpcs", i) + "/" + subnet_name(1)},
            {"connection", reference(shape, "connections", i)}};
    if (random.percent(10)) spec["nativeVLAN"] = true;
  } else if (plural == "vpcpeerings") {
    std::string left = reference(shape, "vpcs", i);
    std::string right = reference(shape, "vpcs", i + 1);
    spec = {{"permit", {{{left, {{"subnets", {subnet_name(1)}}}}, {right, json::object()}}}}};
  } else if (plural == "ipv4namespaces") {
    spec = {{"subnets", {ipv4(ipv4_address(10, 100 + n % 150, 0, 0)) + "/16"}}};
  } else if (plural == "externals") {
    spec = {{"ipv4Namespace", reference(shape, "ipv4namespaces", i, "default")},
            {"inboundCommunity", "65102:" + std::to_string(5000 + i)},
            {"outboundCommunity", "50000:" + std::to_string(50001 + i)}};
  } else if (plural == "externalattachments") {
    std::uint32_t base = ipv4_address(100, 100, 0, 0) + (n % 65536) * 256;
    spec = {{"external", reference(shape, "externals", i)},
            {"connection", reference(shape, "connections", i)},
            {"switch", {{"vlan", 100 + n % 3000}, {"ip", ipv4(base + 6) + "/24"}}},
            {"neighbor", {{"asn", 64102}, {"ip", ipv4(base + 1)}}}};
  } else if (plural == "externalpeerings") {
    spec = {{"permit",
             {{"vpc", {{"name", reference(shape, "vpcs", i)}, {"subnets", {subnet_name(1)}}}},
              {"external",
               {{"name", reference(shape, "externals", i)},
                {"prefixes", {{{"prefix", "0.0.0.0/0"}}}}}}}}};
  }
  return parts;
}

}  // namespace jobhost::testing::fake_kubernetes
