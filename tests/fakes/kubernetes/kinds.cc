#include "fakes/kubernetes/kinds.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace jobhost::testing {

const std::vector<KubeKind>& hedgehog_kinds() {
  static const std::vector<KubeKind> kinds = [] {
    const std::string wiring = "wiring.githedgehog.com";
    const std::string vpc = "vpc.githedgehog.com";
    const std::string v = "v1beta1";
    return std::vector<KubeKind>{
        {wiring, v, "switches", "Switch", true},
        {wiring, v, "servers", "Server", true},
        {wiring, v, "connections", "Connection", true},
        {wiring, v, "switchgroups", "SwitchGroup", true},
        {wiring, v, "vlannamespaces", "VLANNamespace", true},
        {wiring, v, "switchprofiles", "SwitchProfile", false},
        {wiring, v, "serverprofiles", "ServerProfile", false},
        {vpc, v, "vpcs", "VPC", true},
        {vpc, v, "vpcattachments", "VPCAttachment", true},
        {vpc, v, "vpcpeerings", "VPCPeering", true},
        {vpc, v, "ipv4namespaces", "IPv4Namespace", true},
        {vpc, v, "externals", "External", true},
        {vpc, v, "externalattachments", "ExternalAttachment", true},
        {vpc, v, "externalpeerings", "ExternalPeering", true},
    };
  }();
  return kinds;
}

}  // namespace jobhost::testing

namespace jobhost::testing::fake_kubernetes {

std::optional<std::size_t> kind_index(std::string_view plural) {
  const auto& kinds = hedgehog_kinds();
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    if (kinds[i].plural == plural) return i;
  }
  return std::nullopt;
}

std::size_t require_kind(std::string_view plural, std::string_view what) {
  if (auto index = kind_index(plural)) return *index;
  throw std::invalid_argument("fake-kubernetes: " + std::string(what) + ": unknown plural '" +
                              std::string(plural) +
                              "' (one of the Hedgehog kinds: switches, servers, ...)");
}

std::string singular_name(const KubeKind& kind) {
  std::string out = kind.kind;
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string api_version(const KubeKind& kind) {
  return kind.group + "/" + kind.version;
}

std::string qualified_resource(const KubeKind& kind) {
  return kind.plural + "." + kind.group;
}

bool has_ready_status(const KubeKind& kind) {
  return kind.plural == "switches" || kind.plural == "servers" || kind.plural == "connections" ||
         kind.plural == "vpcs" || kind.plural == "externals";
}

const std::vector<std::size_t>& synced_kind_indices() {
  static const std::vector<std::size_t> indices = [] {
    std::vector<std::size_t> out;
    const auto& kinds = hedgehog_kinds();
    for (std::size_t i = 0; i < kinds.size(); ++i) {
      if (kinds[i].synced) out.push_back(i);
    }
    return out;
  }();
  return indices;
}

}  // namespace jobhost::testing::fake_kubernetes
