#include "kinds.h"

namespace hfs {

std::string Kind::list_path(const std::string& ns) const {
  return "/apis/" + group + "/" + version + "/namespaces/" + ns + "/" + plural;
}

const std::vector<Kind>& synced_kinds() {
  static const std::vector<Kind> kinds = [] {
    const std::string wiring = "wiring.githedgehog.com", vpc = "vpc.githedgehog.com";
    const std::string v = "v1beta1";
    return std::vector<Kind>{
        {wiring, v, "switches", "Switch"},
        {wiring, v, "servers", "Server"},
        {wiring, v, "connections", "Connection"},
        {wiring, v, "switchgroups", "SwitchGroup"},
        {wiring, v, "vlannamespaces", "VLANNamespace"},
        {vpc, v, "vpcs", "VPC"},
        {vpc, v, "vpcattachments", "VPCAttachment"},
        {vpc, v, "vpcpeerings", "VPCPeering"},
        {vpc, v, "ipv4namespaces", "IPv4Namespace"},
        {vpc, v, "externals", "External"},
        {vpc, v, "externalattachments", "ExternalAttachment"},
        {vpc, v, "externalpeerings", "ExternalPeering"},
    };
  }();
  return kinds;
}

}  // namespace hfs
