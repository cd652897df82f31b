#include "inventory.h"

#include <stdexcept>

namespace mks {

namespace {

using T = Field::Type;

const KindSpec kOrganization{
    Kind::organization,     "organization", "organizations",
    "meraki_organizations", "id",           {{"name", T::text}, {"url", T::text}}};

const KindSpec kSite{Kind::site,
                     "site",
                     "sites",
                     "meraki_sites",
                     "id",
                     {{"name", T::text},
                      {"product_types", T::json},
                      {"time_zone", T::text},
                      {"tags", T::json},
                      {"notes", T::text},
                      {"bound_to_template", T::boolean}}};

const KindSpec kDevice{Kind::device,
                       "device",
                       "devices",
                       "meraki_devices",
                       "serial",
                       {{"network_id", T::text},
                        {"name", T::text},
                        {"model", T::text},
                        {"mac", T::text},
                        {"lan_ip", T::text},
                        {"product_type", T::text},
                        {"firmware", T::text},
                        {"tags", T::json},
                        {"address", T::text},
                        {"notes", T::text},
                        {"lat", T::real},
                        {"lng", T::real},
                        {"status", T::text},
                        {"last_reported_at", T::text}}};

// The value of `key` as the field's type wants it; null when absent or of another shape.
nlohmann::json value_of(const nlohmann::json& object, const char* key, Field::Type type) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  switch (type) {
    case T::text:
      return it->is_string() ? *it : nlohmann::json(it->dump());
    case T::json:
      return *it;
    case T::real:
      return it->is_number() ? nlohmann::json(it->get<double>()) : nlohmann::json();
    case T::boolean:
      return it->is_boolean() ? *it : nlohmann::json();
  }
  return nullptr;
}

std::string required_id(const nlohmann::json& object, const char* key, const char* what) {
  auto it = object.find(key);
  if (!object.is_object() || it == object.end() || !(it->is_string() || it->is_number()))
    throw std::invalid_argument(std::string("the Meraki API returned a ") + what + " without " +
                                key + ": " + object.dump().substr(0, 200));
  return it->is_string() ? it->get<std::string>() : it->dump();
}

}  // namespace

const KindSpec& spec(Kind kind) {
  switch (kind) {
    case Kind::organization:
      return kOrganization;
    case Kind::site:
      return kSite;
    case Kind::device:
      return kDevice;
  }
  throw std::invalid_argument("unknown kind");
}

Kind kind_from(std::string_view word) {
  for (Kind k : kKinds)
    if (word == spec(k).word) return k;
  throw std::invalid_argument("unknown kind '" + std::string(word) + "'");
}

nlohmann::json Record::to_json(const KindSpec& s) const {
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t i = 0; i < s.fields.size() && i < values.size(); ++i)
    out[s.fields[i].name] = values[i];
  return out;
}

Record organization_record(const nlohmann::json& org) {
  Record r;
  r.id = required_id(org, "id", "organization");
  r.organization_id = r.id;
  r.values = {value_of(org, "name", T::text), value_of(org, "url", T::text)};
  return r;
}

Record site_record(const std::string& organization_id, const nlohmann::json& n) {
  Record r;
  r.id = required_id(n, "id", "network");
  r.organization_id = organization_id;
  r.values = {value_of(n, "name", T::text),     value_of(n, "productTypes", T::json),
              value_of(n, "timeZone", T::text), value_of(n, "tags", T::json),
              value_of(n, "notes", T::text),    value_of(n, "isBoundToConfigTemplate", T::boolean)};
  return r;
}

Record device_record(const std::string& organization_id, const nlohmann::json& d) {
  Record r;
  r.id = required_id(d, "serial", "device");
  r.organization_id = organization_id;
  r.values = {value_of(d, "networkId", T::text),
              value_of(d, "name", T::text),
              value_of(d, "model", T::text),
              value_of(d, "mac", T::text),
              value_of(d, "lanIp", T::text),
              value_of(d, "productType", T::text),
              value_of(d, "firmware", T::text),
              value_of(d, "tags", T::json),
              value_of(d, "address", T::text),
              value_of(d, "notes", T::text),
              value_of(d, "lat", T::real),
              value_of(d, "lng", T::real),
              nullptr,
              nullptr};
  return r;
}

void with_status(Record& device, const nlohmann::json& status) {
  device.values[12] = value_of(status, "status", T::text);
  device.values[13] = value_of(status, "lastReportedAt", T::text);
}

Record record_from_json(Kind kind, const std::string& id, const std::string& organization_id,
                        const nlohmann::json& fields) {
  Record r;
  r.id = id;
  r.organization_id = organization_id;
  for (const auto& f : spec(kind).fields)
    r.values.push_back(fields.value(f.name, nlohmann::json()));
  return r;
}

RecordMap& Inventory::of(Kind kind) {
  return kind == Kind::organization ? organizations : kind == Kind::site ? sites : devices;
}
const RecordMap& Inventory::of(Kind kind) const {
  return kind == Kind::organization ? organizations : kind == Kind::site ? sites : devices;
}

}  // namespace mks
