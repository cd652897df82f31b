#include "fakes/kubernetes/spec_changes.h"

#include <cstdlib>
#include <string>

#include "fakes/kubernetes/kinds.h"

namespace jobhost::testing::fake_kubernetes {

namespace {

using json = nlohmann::json;

// The first "port" ("switch-00001/E1/7") anywhere in a value, or nullptr.
json* first_port(json& value) {
  if (value.is_object()) {
    for (auto& [key, member] : value.items()) {
      if (key == "port" && member.is_string()) return &member;
      if (json* found = first_port(member)) return found;
    }
  } else if (value.is_array()) {
    for (auto& element : value) {
      if (json* found = first_port(element)) return found;
    }
  }
  return nullptr;
}

// "switch-00001/E1/7" -> "switch-00001/E1/8" (48 wraps to 1).
bool move_port(json& spec) {
  json* port = first_port(spec);
  if (port == nullptr) return false;
  std::string text = port->get<std::string>();
  std::size_t slash = text.rfind('/');
  if (slash == std::string::npos) return false;
  int number = std::atoi(text.c_str() + slash + 1);
  *port = text.substr(0, slash + 1) + std::to_string(number % 48 + 1);
  return true;
}

// A number field moved by one within [low, high].
void step(json& field, int low, int high) {
  int value = field.is_number_integer() ? field.get<int>() : low;
  field = value >= high ? low : value + 1;
}

bool change_known_field(const std::string& plural, json& spec, std::uint64_t change) {
  if (plural == "switches" || plural == "servers") {
    spec["description"] = "changed by mutation " + std::to_string(change);
    return true;
  }
  if (plural == "connections") return move_port(spec);
  if (plural == "vlannamespaces") {
    json* ranges = spec.contains("ranges") ? &spec["ranges"] : nullptr;
    if (ranges == nullptr || !ranges->is_array() || ranges->empty()) return false;
    json& range = (*ranges)[0];
    int from = range.value("from", 1000);
    range["to"] = range.value("to", 0) == from + 99 ? from + 49 : from + 99;
    return true;
  }
  if (plural == "vpcs") {
    if (!spec.contains("subnets") || !spec["subnets"].is_object() || spec["subnets"].empty())
      return false;
    step(spec["subnets"].begin().value()["vlan"], 1000, 3999);
    return true;
  }
  if (plural == "vpcattachments") {
    if (spec.value("nativeVLAN", false)) {
      spec.erase("nativeVLAN");  // omitempty: false is absent
    } else {
      spec["nativeVLAN"] = true;
    }
    return true;
  }
  if (plural == "vpcpeerings") {
    if (!spec.contains("permit") || !spec["permit"].is_array() || spec["permit"].empty() ||
        !spec["permit"][0].is_object() || spec["permit"][0].empty())
      return false;
    json& peer = spec["permit"][0].begin().value();
    if (peer.contains("subnets")) {
      peer.erase("subnets");
    } else {
      peer["subnets"] = {"subnet-01"};
    }
    return true;
  }
  if (plural == "ipv4namespaces" || plural == "externalpeerings") {
    json* list = nullptr;
    json extra;
    if (plural == "ipv4namespaces") {
      list = &spec["subnets"];
      extra = "10.250." + std::to_string(change % 256) + ".0/24";
    } else {
      json& external = spec["permit"]["external"];
      list = &external["prefixes"];
      extra = {{"prefix", "10." + std::to_string(change % 256) + ".0.0/16"}};
    }
    if (!list->is_array()) *list = json::array();
    if (list->size() > 1) {
      list->erase(list->size() - 1);
    } else {
      list->push_back(std::move(extra));
    }
    return true;
  }
  if (plural == "externals") {
    std::string next = "65102:" + std::to_string(change % 60000);
    if (spec.value("inboundCommunity", "") == next) next += "1";
    spec["inboundCommunity"] = next;
    return true;
  }
  if (plural == "externalattachments") {
    step(spec["switch"]["vlan"], 100, 3999);
    return true;
  }
  return false;
}

}  // namespace

bool spec_changeable(std::size_t kind) {
  return hedgehog_kinds()[kind].plural != "switchgroups";
}

void change_spec(std::size_t kind, json& spec, std::uint64_t change) {
  if (!spec.is_object()) spec = json::object();
  json before = spec;
  try {
    if (change_known_field(hedgehog_kinds()[kind].plural, spec, change) && spec != before) return;
  } catch (const json::exception&) {
    // A field of an unexpected type: fall back as below.
  }
  // An object put by a test may lack the field the kind's change uses.
  spec = before;
  spec["description"] = "changed by mutation " + std::to_string(change);
}

}  // namespace jobhost::testing::fake_kubernetes
