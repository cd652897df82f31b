#include "fakes/meraki/record_input.h"

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace jobhost::testing::fake_meraki {

namespace {

[[noreturn]] void wrong(std::string_view what, std::string_view member, std::string_view needs) {
  throw std::invalid_argument("fake-meraki: " + std::string(what) + "." + std::string(member) +
                              ": " + std::string(needs));
}

std::string string_member(std::string_view what, const std::string& key,
                          const nlohmann::json& value) {
  if (!value.is_string()) wrong(what, key, "must be a string");
  return value.get<std::string>();
}

std::vector<std::string> strings_member(std::string_view what, const std::string& key,
                                        const nlohmann::json& value) {
  if (!value.is_array()) wrong(what, key, "must be an array of strings");
  std::vector<std::string> out;
  for (const auto& item : value) {
    if (!item.is_string()) wrong(what, key, "must be an array of strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

ProductType product_type_member(std::string_view what, const std::string& key,
                                const nlohmann::json& value) {
  std::string name = string_member(what, key, value);
  auto type = product_type_named(name);
  if (!type) wrong(what, key, "not a product type: '" + name + "'");
  return *type;
}

void keep_extra(nlohmann::json& extra, const std::string& key, const nlohmann::json& value) {
  if (!extra.is_object()) extra = nlohmann::json::object();
  extra[key] = value;
}

}  // namespace

void apply_network_input(Network& network, const nlohmann::json& input) {
  constexpr std::string_view what = "network";
  for (const auto& [key, value] : input.items()) {
    if (key == "id" || key == "organizationId" || key == "url") continue;
    if (key == "name") {
      network.name = string_member(what, key, value);
    } else if (key == "productTypes") {
      if (!value.is_array()) wrong(what, key, "must be an array of product types");
      network.declared = {};
      for (const auto& type : value) {
        network.declared[static_cast<std::size_t>(product_type_member(what, key, type))] = true;
      }
    } else if (key == "timeZone") {
      network.time_zone = string_member(what, key, value);
    } else if (key == "tags") {
      network.tags = strings_member(what, key, value);
    } else if (key == "notes") {
      network.notes = value.is_null() ? std::string() : string_member(what, key, value);
    } else if (key == "isBoundToConfigTemplate") {
      if (!value.is_boolean()) wrong(what, key, "must be true or false");
      network.bound_to_template = value.get<bool>();
    } else {
      keep_extra(network.extra, key, value);
    }
  }
}

void apply_device_input(Device& device, const nlohmann::json& input) {
  constexpr std::string_view what = "device";
  bool type_given = input.contains("productType");
  for (const auto& [key, value] : input.items()) {
    if (key == "serial" || key == "networkId" || key == "url") continue;
    if (key == "name") {
      device.name = value.is_null() ? std::string() : string_member(what, key, value);
    } else if (key == "mac") {
      device.mac = string_member(what, key, value);
    } else if (key == "model") {
      device.model = string_member(what, key, value);
      // A model of another family makes it another product, unless the test says which.
      if (!type_given) {
        if (auto type = product_type_of_model(device.model)) device.product_type = *type;
      }
    } else if (key == "productType") {
      device.product_type = product_type_member(what, key, value);
    } else if (key == "lanIp") {
      if (value.is_null()) {
        device.lan_ip.reset();
      } else {
        device.lan_ip = string_member(what, key, value);
      }
    } else if (key == "firmware") {
      device.firmware = string_member(what, key, value);
    } else if (key == "tags") {
      device.tags = strings_member(what, key, value);
    } else if (key == "address") {
      device.address = value.is_null() ? std::string() : string_member(what, key, value);
    } else if (key == "notes") {
      device.notes = value.is_null() ? std::string() : string_member(what, key, value);
    } else if (key == "lat" || key == "lng") {
      if (!value.is_number()) wrong(what, key, "must be a number");
      (key == "lat" ? device.lat : device.lng) = value.get<double>();
    } else {
      keep_extra(device.extra, key, value);
    }
  }
}

}  // namespace jobhost::testing::fake_meraki
