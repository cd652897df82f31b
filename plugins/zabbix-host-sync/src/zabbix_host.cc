#include "zabbix_host.h"

#include <stdexcept>

namespace zhs {

nlohmann::json host_get_params(const std::vector<std::string>& names, ApiVersion v) {
  nlohmann::json output = {"hostid", "host", "name", "status", "description", "inventory_mode"};
  if (v.at_least(7, 0)) {
    output.push_back("monitored_by");
    output.push_back("proxyid");
    output.push_back("proxy_groupid");
  } else {
    output.push_back("proxy_hostid");
  }
  return {{"filter", {{"host", names}}},
          {"output", output},
          {"selectInterfaces", {"type", "main", "useip", "ip", "dns", "port"}},
          {"selectParentTemplates", {"templateid"}},
          {"selectTags", {"tag", "value"}},
          {"selectHostGroups", {"groupid"}}};
}

namespace {

const nlohmann::json& field(const nlohmann::json& o, const char* name) {
  auto it = o.find(name);
  if (it == o.end()) throw std::runtime_error(std::string("the host has no field '") + name + "'");
  return *it;
}

// Zabbix scalars are strings; tolerate numbers too.
std::string text(const nlohmann::json& o, const char* name) {
  const auto& v = field(o, name);
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  throw std::runtime_error(std::string("field '") + name + "' is " + v.type_name() +
                           ", not a string");
}

int number(const nlohmann::json& o, const char* name) {
  const std::string t = text(o, name);
  try {
    size_t used = 0;
    int n = std::stoi(t, &used);
    if (used == t.size()) return n;
  } catch (const std::exception&) {
  }
  throw std::runtime_error(std::string("field '") + name + "' is '" + t + "', not a number");
}

const nlohmann::json& list(const nlohmann::json& o, const char* name) {
  const auto& v = field(o, name);
  if (!v.is_array()) throw std::runtime_error(std::string("field '") + name + "' is not a list");
  return v;
}

}  // namespace

ObservedHost parse_host(const nlohmann::json& h, ApiVersion v) {
  if (!h.is_object()) throw std::runtime_error("a host is not an object");
  ObservedHost o;
  o.hostid = text(h, "hostid");
  HostConfig& c = o.config;
  c.host = text(h, "host");
  c.name = text(h, "name");
  c.status = number(h, "status");
  c.description = text(h, "description");
  c.inventory_mode = number(h, "inventory_mode");
  if (v.at_least(7, 0)) {
    c.monitored_by = number(h, "monitored_by");
    c.proxyid = text(h, "proxyid");
    c.proxy_groupid = text(h, "proxy_groupid");
  } else {
    c.proxyid = text(h, "proxy_hostid");
    c.monitored_by = c.proxyid != "0" ? 1 : 0;
  }
  for (const auto& g : list(h, "hostgroups")) c.groups.push_back(text(g, "groupid"));
  for (const auto& t : list(h, "parentTemplates")) c.templates.push_back(text(t, "templateid"));
  for (const auto& t : list(h, "tags")) c.tags.push_back({text(t, "tag"), text(t, "value")});
  for (const auto& i : list(h, "interfaces")) {
    Interface itf;
    itf.type = number(i, "type");
    itf.main = number(i, "main") == 1;
    itf.useip = number(i, "useip") == 1;
    itf.ip = text(i, "ip");
    itf.dns = text(i, "dns");
    itf.port = text(i, "port");
    c.interfaces.push_back(std::move(itf));
  }
  c.canonicalize();
  return o;
}

nlohmann::json host_write_params(const HostConfig& d, const std::string& hostid, ApiVersion v) {
  nlohmann::json p = {{"host", d.host},
                      {"name", d.name},
                      {"status", d.status},
                      {"description", d.description},
                      {"inventory_mode", d.inventory_mode}};
  if (!hostid.empty()) p["hostid"] = hostid;
  if (v.at_least(7, 0)) {
    p["monitored_by"] = d.monitored_by;
    if (d.monitored_by == 1) p["proxyid"] = d.proxyid;
    if (d.monitored_by == 2) p["proxy_groupid"] = d.proxy_groupid;
  } else {
    p["proxy_hostid"] = d.monitored_by == 1 ? d.proxyid : "0";
  }
  nlohmann::json groups = nlohmann::json::array(), templates = nlohmann::json::array(),
                 tags = nlohmann::json::array(), interfaces = nlohmann::json::array();
  for (const auto& g : d.groups) groups.push_back({{"groupid", g}});
  for (const auto& t : d.templates) templates.push_back({{"templateid", t}});
  for (const auto& t : d.tags) tags.push_back({{"tag", t.tag}, {"value", t.value}});
  for (const auto& i : d.interfaces) {
    nlohmann::json itf = {{"type", i.type}, {"main", i.main ? 1 : 0}, {"useip", i.useip ? 1 : 0},
                          {"ip", i.ip},     {"dns", i.dns},           {"port", i.port}};
    // Zabbix requires SNMP details; HostConfigs do not carry them (yet): SNMPv2c with the
    // community from the {$SNMP_COMMUNITY} macro, Zabbix's own default.
    if (i.type == 2)
      itf["details"] = {{"version", 2}, {"bulk", 1}, {"community", "{$SNMP_COMMUNITY}"}};
    interfaces.push_back(std::move(itf));
  }
  p["groups"] = groups;
  p["templates"] = templates;
  p["tags"] = tags;
  p["interfaces"] = interfaces;
  return p;
}

}  // namespace zhs
