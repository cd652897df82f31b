#include "fakes/meraki/catalog.h"

#include <algorithm>

namespace jobhost::testing::fake_meraki {

namespace {

// Models from the product types the task names; firmware names follow Meraki's
// "<train>-<major>-<minor>" pattern; the OUIs are prefixes seen on Meraki hardware.
constexpr std::array<ProductLine, kProductTypeCount> kLines = {{
    {ProductType::appliance,
     {"MX68", "MX85"},
     {"wired-18-211-2", "wired-18-107-10"},
     "Q2KY",
     0xe0553d,
     "MX"},
    {ProductType::camera, {"MV12", "MV22"}, {"camera-5-2", "camera-5-0-1"}, "Q2FV", 0x3456fe, "MV"},
    {ProductType::cellularGateway,
     {"MG21", "MG21"},
     {"cellular-gateway-3-1", "cellular-gateway-2-3"},
     "Q3AJ",
     0x981888,
     "MG"},
    {ProductType::sensor, {"MT10", "MT14"}, {"sensor-1-25", "sensor-1-24"}, "Q3CA", 0x683a1e, "MT"},
    {ProductType::switch_,
     {"MS120-8", "MS225-48LP"},
     {"switch-17-1-4", "switch-16-9"},
     "Q2HP",
     0x881544,
     "MS"},
    {ProductType::wireless,
     {"MR36", "MR46"},
     {"wireless-30-7", "wireless-29-7"},
     "Q3AB",
     0x0c8ddb,
     "MR"},
}};

constexpr std::array<City, 15> kCities = {{
    {"Berlin", "BER", "Europe/Berlin", "Friedrichstrasse 68, 10117 Berlin, Germany", 52.5200,
     13.4050, "emea"},
    {"London", "LON", "Europe/London", "1 Poultry, London EC2R 8EJ, United Kingdom", 51.5072,
     -0.1276, "emea"},
    {"Paris", "PAR", "Europe/Paris", "10 Rue de la Paix, 75002 Paris, France", 48.8566, 2.3522,
     "emea"},
    {"Amsterdam", "AMS", "Europe/Amsterdam", "Damrak 1, 1012 LG Amsterdam, Netherlands", 52.3676,
     4.9041, "emea"},
    {"Madrid", "MAD", "Europe/Madrid", "Gran Via 28, 28013 Madrid, Spain", 40.4168, -3.7038,
     "emea"},
    {"New York", "NYC", "America/New_York", "350 5th Ave, New York, NY 10118, USA", 40.7128,
     -74.0060, "amer"},
    {"Chicago", "CHI", "America/Chicago", "233 S Wacker Dr, Chicago, IL 60606, USA", 41.8781,
     -87.6298, "amer"},
    {"Denver", "DEN", "America/Denver", "1701 Wynkoop St, Denver, CO 80202, USA", 39.7392,
     -104.9903, "amer"},
    {"San Francisco", "SFO", "America/Los_Angeles",
     "500 Terry A Francois Blvd, San Francisco, CA 94158, USA", 37.7749, -122.4194, "amer"},
    {"Toronto", "YYZ", "America/Toronto", "290 Bremner Blvd, Toronto, ON M5V 3L9, Canada", 43.6532,
     -79.3832, "amer"},
    {"Sao Paulo", "GRU", "America/Sao_Paulo", "Av. Paulista 1578, Sao Paulo, 01310-200, Brazil",
     -23.5505, -46.6333, "amer"},
    {"Tokyo", "TYO", "Asia/Tokyo", "2-7-1 Marunouchi, Chiyoda, Tokyo 100-7090, Japan", 35.6762,
     139.6503, "apac"},
    {"Singapore", "SIN", "Asia/Singapore", "10 Bayfront Ave, Singapore 018956", 1.3521, 103.8198,
     "apac"},
    {"Sydney", "SYD", "Australia/Sydney", "1 Macquarie St, Sydney NSW 2000, Australia", -33.8688,
     151.2093, "apac"},
    {"Mumbai", "BOM", "Asia/Kolkata", "Nariman Point, Mumbai, Maharashtra 400021, India", 19.0760,
     72.8777, "apac"},
}};

}  // namespace

std::string_view product_type_name(ProductType type) {
  switch (type) {
    case ProductType::appliance:
      return "appliance";
    case ProductType::camera:
      return "camera";
    case ProductType::cellularGateway:
      return "cellularGateway";
    case ProductType::sensor:
      return "sensor";
    case ProductType::switch_:
      return "switch";
    case ProductType::wireless:
      return "wireless";
  }
  return "wireless";
}

std::optional<ProductType> product_type_named(std::string_view name) {
  for (const ProductLine& line : kLines) {
    if (product_type_name(line.type) == name) return line.type;
  }
  return std::nullopt;
}

std::optional<ProductType> product_type_of_model(std::string_view model) {
  for (const ProductLine& line : kLines) {
    if (model.substr(0, 2) == line.role) return line.type;
  }
  return std::nullopt;
}

const ProductLine& product_line(ProductType type) {
  return kLines[static_cast<std::size_t>(type)];
}

const City& city(std::size_t index) {
  return kCities[index % kCities.size()];
}

std::size_t city_count() {
  return kCities.size();
}

bool is_status(std::string_view status) {
  return std::find(kStatuses.begin(), kStatuses.end(), status) != kStatuses.end();
}

}  // namespace jobhost::testing::fake_meraki
