#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

// What Meraki sells and where the fake's networks are: product types with their models and
// firmware trains, and the cities generated networks are placed in.
namespace jobhost::testing::fake_meraki {

// In alphabetical order, the order Meraki lists a network's productTypes in.
enum class ProductType : std::uint8_t {
  appliance,
  camera,
  cellularGateway,
  sensor,
  switch_,
  wireless,
};
inline constexpr std::size_t kProductTypeCount = 6;

// A set of product types, indexed by ProductType.
using ProductTypeSet = std::array<bool, kProductTypeCount>;

std::string_view product_type_name(ProductType type);  // "cellularGateway"
std::optional<ProductType> product_type_named(std::string_view name);
// The product type a model belongs to, from its family prefix (MX, MS, MR, MV, MG, MT).
std::optional<ProductType> product_type_of_model(std::string_view model);

struct ProductLine {
  ProductType type;
  std::array<std::string_view, 2> models;    // MX68, MX85
  std::array<std::string_view, 2> firmware;  // the current and the previous train
  std::string_view serial_prefix;            // "Q2KY": the first group of its serials
  std::uint32_t oui;                         // the first three bytes of its MACs
  std::string_view role;                     // "MX": in generated device names
};
const ProductLine& product_line(ProductType type);

// Where a generated network is.
struct City {
  std::string_view name;       // "Berlin"
  std::string_view code;       // "BER": in generated device names
  std::string_view time_zone;  // "Europe/Berlin"
  std::string_view address;    // a street address in the city
  double lat = 0;
  double lng = 0;
  std::string_view region;  // "emea": a network tag
};
const City& city(std::size_t index);
std::size_t city_count();

// The device statuses Meraki reports.
inline constexpr std::array<std::string_view, 4> kStatuses = {"online", "offline", "alerting",
                                                              "dormant"};
bool is_status(std::string_view status);

}  // namespace jobhost::testing::fake_meraki
