#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fakes/zabbix/api_version.h"

// A host as the fake stores it, and its fields as host.get shows them per version.
namespace jobhost::testing::fake_zabbix {

// The host_inventory columns the fake keeps (a subset of the real table).
inline constexpr std::array<std::string_view, 20> kInventoryFields = {
    "type",      "type_full",    "name",         "alias",        "os",
    "os_full",   "os_short",     "serialno_a",   "serialno_b",   "tag",
    "asset_tag", "macaddress_a", "macaddress_b", "hardware",     "software",
    "contact",   "location",     "location_lat", "location_lon", "notes"};

// What an SNMP interface without details of its own gets.
inline constexpr std::string_view kSnmpDetails =
    R"({"version":"2","bulk":"1","community":"{$SNMP_COMMUNITY}","max_repetitions":"10"})";

// host.get selectInterfaces "extend", in the order real Zabbix writes them.
inline constexpr std::array<std::string_view, 13> kInterfaceFields = {
    "interfaceid", "hostid",    "main",  "type",        "useip",         "ip",     "dns",
    "port",        "available", "error", "errors_from", "disable_until", "details"};

struct Interface {
  std::uint64_t interfaceid = 0;
  int type = 1;
  int main = 1;
  int useip = 1;
  std::string ip;
  std::string dns;
  std::string port;
  std::string details = "[]";  // JSON text, as host.get returns it
};

// Always in the 7.0 model (monitored_by, proxyid, proxy_groupid); 6.4's proxy_hostid is a view.
struct Host {
  std::uint64_t hostid = 0;
  std::string host;
  std::string name;
  std::string description;
  int status = 0;
  int monitored_by = 0;
  std::uint64_t proxyid = 0;
  std::uint64_t proxy_groupid = 0;
  int inventory_mode = -1;
  std::vector<std::uint64_t> groups;
  std::vector<std::uint64_t> templates;
  std::vector<std::pair<std::string, std::string>> tags;
  std::vector<Interface> interfaces;
  std::vector<std::string> inventory;  // kInventoryFields values; empty while disabled
  // Deleted hosts keep their slot so the indexes into the host table stay valid.
  bool deleted = false;
};

// The words of the plugin's import format for the numeric codes.
std::string_view interface_type_name(int type);   // "agent", "snmp", ...
std::string_view interface_type_label(int type);  // "Agent", "SNMP", ... as errors show them
std::string_view monitored_by_name(int monitored_by);
std::string_view inventory_mode_name(int mode);

// host.get "extend" per version (the hosts table, write-only fields left out).
const std::vector<std::string_view>& host_fields(const ApiVersion& version);
// A host field as host.get shows it into `out`; false for a field the version does not have.
bool host_field(const Host& h, std::string_view field, const ApiVersion& version, std::string& out);
// An interface field as host.get shows it (details excepted); false for an unknown field.
bool interface_field(const Interface& i, std::uint64_t hostid, std::string_view field,
                     std::string& out);

// CHostNameParser: letters, digits, space, dot, dash, underscore.
bool valid_host_name(std::string_view name);

}  // namespace jobhost::testing::fake_zabbix
