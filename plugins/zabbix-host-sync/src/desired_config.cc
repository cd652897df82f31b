#include "desired_config.h"

#include <algorithm>
#include <tuple>

namespace zhs {

namespace {

// Ids are numbers in text: "9" sorts before "10".
bool id_less(const std::string& a, const std::string& b) {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

}  // namespace

bool Interface::operator<(const Interface& o) const {
  return std::tie(type, main, useip, ip, dns, port) <
         std::tie(o.type, o.main, o.useip, o.ip, o.dns, o.port);
}

bool Interface::operator==(const Interface& o) const {
  return std::tie(type, main, useip, ip, dns, port) ==
         std::tie(o.type, o.main, o.useip, o.ip, o.dns, o.port);
}

void HostConfig::canonicalize() {
  std::sort(groups.begin(), groups.end(), id_less);
  groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
  std::sort(templates.begin(), templates.end(), id_less);
  templates.erase(std::unique(templates.begin(), templates.end()), templates.end());
  std::sort(tags.begin(), tags.end());
  std::sort(interfaces.begin(), interfaces.end());
}

const char* status_name(int status) {
  return status == 0 ? "enabled" : status == 1 ? "disabled" : "unknown";
}

const char* monitored_by_name(int monitored_by) {
  switch (monitored_by) {
    case 0:
      return "server";
    case 1:
      return "proxy";
    case 2:
      return "proxy_group";
    default:
      return "unknown";
  }
}

const char* inventory_mode_name(int mode) {
  switch (mode) {
    case -1:
      return "disabled";
    case 0:
      return "manual";
    case 1:
      return "automatic";
    default:
      return "unknown";
  }
}

const char* interface_type_name(int type) {
  switch (type) {
    case 1:
      return "agent";
    case 2:
      return "snmp";
    case 3:
      return "ipmi";
    case 4:
      return "jmx";
    default:
      return "unknown";
  }
}

namespace {

nlohmann::json interface_value(const Interface& i) {
  return {{"type", interface_type_name(i.type)},
          {"main", i.main},
          {"useip", i.useip},
          {"ip", i.ip},
          {"dns", i.dns},
          {"port", i.port}};
}

nlohmann::json tags_value(const std::vector<Tag>& tags) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& t : tags) a.push_back({{"tag", t.tag}, {"value", t.value}});
  return a;
}

nlohmann::json interfaces_value(const std::vector<Interface>& interfaces) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& i : interfaces) a.push_back(interface_value(i));
  return a;
}

int interface_type_code(const std::string& name) {
  for (int t = 1; t <= 4; ++t)
    if (name == interface_type_name(t)) return t;
  return 0;
}

}  // namespace

std::string ids_json(const std::vector<std::string>& ids) {
  return nlohmann::json(ids).dump();
}

std::string tags_json(const std::vector<Tag>& tags) {
  return tags_value(tags).dump();
}

std::string interfaces_json(const std::vector<Interface>& interfaces) {
  return interfaces_value(interfaces).dump();
}

std::vector<std::string> ids_from_json(const std::string& text) {
  return nlohmann::json::parse(text).get<std::vector<std::string>>();
}

std::vector<Tag> tags_from_json(const std::string& text) {
  std::vector<Tag> out;
  for (const auto& t : nlohmann::json::parse(text))
    out.push_back({t.at("tag").get<std::string>(), t.at("value").get<std::string>()});
  return out;
}

std::vector<Interface> interfaces_from_json(const std::string& text) {
  std::vector<Interface> out;
  for (const auto& j : nlohmann::json::parse(text)) {
    Interface i;
    i.type = interface_type_code(j.at("type").get<std::string>());
    i.main = j.at("main").get<bool>();
    i.useip = j.at("useip").get<bool>();
    i.ip = j.at("ip").get<std::string>();
    i.dns = j.at("dns").get<std::string>();
    i.port = j.at("port").get<std::string>();
    out.push_back(std::move(i));
  }
  return out;
}

std::vector<Difference> compare(const HostConfig& d, const HostConfig& o) {
  std::vector<Difference> diffs;
  auto scalar = [&](const char* field, const auto& want, const auto& got) {
    if (!(want == got)) diffs.push_back({field, want, got});
  };
  scalar("name", d.name, o.name);
  if (d.status != o.status)
    diffs.push_back({"status", status_name(d.status), status_name(o.status)});
  scalar("description", d.description, o.description);
  if (d.monitored_by != o.monitored_by)
    diffs.push_back(
        {"monitored_by", monitored_by_name(d.monitored_by), monitored_by_name(o.monitored_by)});
  if (d.monitored_by == 1) scalar("proxyid", d.proxyid, o.proxyid);
  if (d.monitored_by == 2) scalar("proxy_groupid", d.proxy_groupid, o.proxy_groupid);
  if (d.inventory_mode != o.inventory_mode)
    diffs.push_back({"inventory_mode", inventory_mode_name(d.inventory_mode),
                     inventory_mode_name(o.inventory_mode)});
  if (d.groups != o.groups) diffs.push_back({"groups", d.groups, o.groups});
  if (d.templates != o.templates) diffs.push_back({"templates", d.templates, o.templates});
  if (d.tags != o.tags) diffs.push_back({"tags", tags_value(d.tags), tags_value(o.tags)});
  if (d.interfaces != o.interfaces)
    diffs.push_back({"interfaces", interfaces_value(d.interfaces), interfaces_value(o.interfaces)});
  return diffs;
}

nlohmann::json differences_json(const std::vector<Difference>& diffs) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& d : diffs)
    a.push_back({{"field", d.field}, {"expected", d.expected}, {"actual", d.actual}});
  return a;
}

nlohmann::json to_json(const HostConfig& c) {
  return {{"host", c.host},
          {"name", c.name},
          {"status", status_name(c.status)},
          {"description", c.description},
          {"monitored_by", monitored_by_name(c.monitored_by)},
          {"proxyid", c.proxyid},
          {"proxy_groupid", c.proxy_groupid},
          {"inventory_mode", inventory_mode_name(c.inventory_mode)},
          {"groups", c.groups},
          {"templates", c.templates},
          {"tags", tags_value(c.tags)},
          {"interfaces", interfaces_value(c.interfaces)}};
}

}  // namespace zhs
