// A HostConfig: what one host should look like in Zabbix, in a canonical form (ids sorted,
// lists ordered) so that the desired and the observed configuration compare field by field.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace zhs {

struct Tag {
  std::string tag, value;
  bool operator<(const Tag& o) const { return tag != o.tag ? tag < o.tag : value < o.value; }
  bool operator==(const Tag& o) const { return tag == o.tag && value == o.value; }
};

// Zabbix interface types: 1 agent, 2 SNMP, 3 IPMI, 4 JMX.
struct Interface {
  int type = 1;
  bool main = true;
  bool useip = true;
  std::string ip, dns, port;
  bool operator<(const Interface& o) const;
  bool operator==(const Interface& o) const;
};

struct HostConfig {
  std::string host;  // technical name: the key
  std::string name;  // visible name
  int status = 0;    // 0 enabled (monitored), 1 disabled
  std::string description;
  int monitored_by = 0;  // 0 server, 1 proxy, 2 proxy group
  std::string proxyid = "0";
  std::string proxy_groupid = "0";
  int inventory_mode = -1;             // -1 disabled, 0 manual, 1 automatic
  std::vector<std::string> groups;     // host group ids
  std::vector<std::string> templates;  // template ids
  std::vector<Tag> tags;
  std::vector<Interface> interfaces;

  // Sorts the lists, so that equal configurations are equal.
  void canonicalize();
};

// The list fields as the JSON text they are stored and compared as.
std::string ids_json(const std::vector<std::string>& ids);
std::string tags_json(const std::vector<Tag>& tags);
std::string interfaces_json(const std::vector<Interface>& interfaces);
std::vector<std::string> ids_from_json(const std::string& text);
std::vector<Tag> tags_from_json(const std::string& text);
std::vector<Interface> interfaces_from_json(const std::string& text);

// Names for the coded fields, as users write them in the import file.
const char* status_name(int status);
const char* monitored_by_name(int monitored_by);
const char* inventory_mode_name(int mode);
const char* interface_type_name(int type);

// One field that differs between the desired and the observed configuration; values as JSON.
struct Difference {
  std::string field;
  nlohmann::json expected, actual;
};

// Every field of `observed` that is not as `desired` says (the proxy fields only where the
// desired monitoring mode uses them).
std::vector<Difference> compare(const HostConfig& desired, const HostConfig& observed);
nlohmann::json differences_json(const std::vector<Difference>& diffs);

// The desired configuration in the import file's format (also what the plugin reports).
nlohmann::json to_json(const HostConfig& c);

}  // namespace zhs
