// The inventory the plugin keeps: organizations, networks (as sites) and devices, each a record
// of named fields. One description per kind drives reading the API's JSON, the tables, the
// field-level diff and the review queue, so a field is added in one place.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

namespace mks {

enum class Kind { organization, site, device };
inline constexpr Kind kKinds[] = {Kind::organization, Kind::site, Kind::device};

struct Field {
  enum class Type { text, json, real, boolean };
  const char* name;  // the field's name in diffs and results, and its column
  Type type;
};

struct KindSpec {
  Kind kind;
  const char* word;    // "device"
  const char* plural;  // "devices"
  const char* table;   // "meraki_devices"
  const char* id_column;
  std::vector<Field> fields;
};

const KindSpec& spec(Kind kind);
// "organization", "site" or "device"; throws std::invalid_argument otherwise.
Kind kind_from(std::string_view word);

// One object: its id (organization id, network id, device serial), the organization it belongs
// to (its own id for an organization) and its fields' values in spec order (null when absent).
struct Record {
  std::string id;
  std::string organization_id;
  std::vector<nlohmann::json> values;

  nlohmann::json to_json(const KindSpec& s) const;  // {"field": value, ...}
  bool operator==(const Record&) const = default;
};

// Records of one kind by id.
using RecordMap = std::unordered_map<std::string, Record>;

// From the API's JSON. Throw std::invalid_argument naming what is missing (a device without
// serial). A device's status comes from the statuses endpoint (see with_status).
Record organization_record(const nlohmann::json& org);
Record site_record(const std::string& organization_id, const nlohmann::json& network);
Record device_record(const std::string& organization_id, const nlohmann::json& device);
// Sets a device record's status and last_reported_at from a device status object.
void with_status(Record& device, const nlohmann::json& status);
// A record of `kind` from its to_json form (a staged change's "after").
Record record_from_json(Kind kind, const std::string& id, const std::string& organization_id,
                        const nlohmann::json& fields);

// Everything fetched (or stored) for the synced organizations.
struct Inventory {
  RecordMap organizations, sites, devices;
  RecordMap& of(Kind kind);
  const RecordMap& of(Kind kind) const;
  std::size_t size() const { return organizations.size() + sites.size() + devices.size(); }
};

}  // namespace mks
