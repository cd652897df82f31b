#include "fakes/zabbix/host.h"

#include <algorithm>
#include <cctype>

namespace jobhost::testing::fake_zabbix {

std::string_view interface_type_name(int type) {
  switch (type) {
    case 1:
      return "agent";
    case 2:
      return "snmp";
    case 3:
      return "ipmi";
    default:
      return "jmx";
  }
}

std::string_view interface_type_label(int type) {
  switch (type) {
    case 1:
      return "Agent";
    case 2:
      return "SNMP";
    case 3:
      return "IPMI";
    default:
      return "JMX";
  }
}

std::string_view monitored_by_name(int monitored_by) {
  return monitored_by == 1 ? "proxy" : monitored_by == 2 ? "proxy_group" : "server";
}

std::string_view inventory_mode_name(int mode) {
  return mode == 0 ? "manual" : mode == 1 ? "automatic" : "disabled";
}

const std::vector<std::string_view>& host_fields(const ApiVersion& version) {
  static const std::vector<std::string_view> v70 = {"hostid",
                                                    "proxyid",
                                                    "host",
                                                    "status",
                                                    "ipmi_authtype",
                                                    "ipmi_privilege",
                                                    "ipmi_username",
                                                    "ipmi_password",
                                                    "maintenanceid",
                                                    "maintenance_status",
                                                    "maintenance_type",
                                                    "maintenance_from",
                                                    "name",
                                                    "flags",
                                                    "templateid",
                                                    "description",
                                                    "tls_connect",
                                                    "tls_accept",
                                                    "tls_issuer",
                                                    "tls_subject",
                                                    "custom_interfaces",
                                                    "uuid",
                                                    "vendor_name",
                                                    "vendor_version",
                                                    "proxy_groupid",
                                                    "monitored_by",
                                                    "inventory_mode",
                                                    "active_available"};
  static const std::vector<std::string_view> v64 = {"hostid",
                                                    "proxy_hostid",
                                                    "host",
                                                    "status",
                                                    "ipmi_authtype",
                                                    "ipmi_privilege",
                                                    "ipmi_username",
                                                    "ipmi_password",
                                                    "maintenanceid",
                                                    "maintenance_status",
                                                    "maintenance_type",
                                                    "maintenance_from",
                                                    "name",
                                                    "flags",
                                                    "templateid",
                                                    "description",
                                                    "tls_connect",
                                                    "tls_accept",
                                                    "tls_issuer",
                                                    "tls_subject",
                                                    "proxy_address",
                                                    "auto_compress",
                                                    "custom_interfaces",
                                                    "uuid",
                                                    "inventory_mode",
                                                    "active_available"};
  return version.v64() ? v64 : v70;
}

bool host_field(const Host& h, std::string_view field, const ApiVersion& version,
                std::string& out) {
  auto number = [&out](auto value) {
    out = std::to_string(value);
    return true;
  };
  auto text = [&out](std::string_view value) {
    out.assign(value);
    return true;
  };
  if (field == "hostid") return number(h.hostid);
  if (field == "host") return text(h.host);
  if (field == "name") return text(h.name);
  if (field == "description") return text(h.description);
  if (field == "status") return number(h.status);
  if (field == "inventory_mode") return number(h.inventory_mode);
  if (version.v64()) {
    if (field == "proxy_hostid") return number(h.monitored_by == 1 ? h.proxyid : 0);
    if (field == "proxy_address") return text("");
    if (field == "auto_compress") return text("1");
  } else {
    if (field == "proxyid") return number(h.proxyid);
    if (field == "proxy_groupid") return number(h.proxy_groupid);
    if (field == "monitored_by") return number(h.monitored_by);
    if (field == "assigned_proxyid") return number(h.monitored_by == 1 ? h.proxyid : 0);
    if (field == "vendor_name" || field == "vendor_version") return text("");
  }
  if (field == "ipmi_authtype") return text("-1");
  if (field == "ipmi_privilege") return text("2");
  if (field == "tls_connect" || field == "tls_accept") return text("1");
  if (field == "ipmi_username" || field == "ipmi_password" || field == "tls_issuer" ||
      field == "tls_subject" || field == "uuid") {
    return text("");
  }
  if (field == "maintenanceid" || field == "maintenance_status" || field == "maintenance_type" ||
      field == "maintenance_from" || field == "flags" || field == "templateid" ||
      field == "custom_interfaces" || field == "active_available") {
    return text("0");
  }
  return false;
}

bool interface_field(const Interface& i, std::uint64_t hostid, std::string_view field,
                     std::string& out) {
  if (field == "interfaceid") {
    out = std::to_string(i.interfaceid);
  } else if (field == "hostid") {
    out = std::to_string(hostid);
  } else if (field == "main") {
    out = std::to_string(i.main);
  } else if (field == "type") {
    out = std::to_string(i.type);
  } else if (field == "useip") {
    out = std::to_string(i.useip);
  } else if (field == "ip") {
    out = i.ip;
  } else if (field == "dns") {
    out = i.dns;
  } else if (field == "port") {
    out = i.port;
  } else if (field == "available" || field == "errors_from" || field == "disable_until") {
    out = "0";
  } else if (field == "error") {
    out.clear();
  } else {
    return false;
  }
  return true;
}

bool valid_host_name(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == ' ' || c == '.' || c == '-' ||
           c == '_';
  });
}

}  // namespace jobhost::testing::fake_zabbix
