#include "fakes/zabbix/host_input.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "fakes/zabbix/catalogue.h"
#include "fakes/zabbix/params.h"
#include "fakes/zabbix/rpc_errors.h"

namespace jobhost::testing::fake_zabbix {
namespace {

// The interfaces replace the host's set; an interfaceid must be one of `host`'s own.
std::vector<Interface> read_interfaces(const ojson& value, const std::string& path,
                                       const Host& host) {
  std::vector<Interface> out;
  std::vector<const ojson*> items = get_objects(value, path);
  for (std::size_t n = 0; n < items.size(); ++n) {
    const ojson& item = *items[n];
    std::string item_path = child(path, n);
    check_fields(item, item_path,
                 {"interfaceid", "type", "main", "useip", "ip", "dns", "port", "details"});
    Interface i;
    if (const ojson* v = member(item, "interfaceid")) {
      i.interfaceid = get_id(*v, child(item_path, "interfaceid"));
      bool own = std::any_of(host.interfaces.begin(), host.interfaces.end(),
                             [&](const Interface& x) { return x.interfaceid == i.interfaceid; });
      if (!own) throw_permissions(invalid(child(item_path, "interfaceid"), kObjectMissing));
    }
    for (const char* required : {"type", "main", "useip", "port"}) {
      if (member(item, required) == nullptr) throw_params(invalid(item_path, missing(required)));
    }
    i.type = get_int_in(*member(item, "type"), child(item_path, "type"), {1, 2, 3, 4});
    i.main = get_int_in(*member(item, "main"), child(item_path, "main"), {0, 1});
    i.useip = get_int_in(*member(item, "useip"), child(item_path, "useip"), {0, 1});
    if (const ojson* v = member(item, "ip")) i.ip = get_string(*v, child(item_path, "ip"));
    if (const ojson* v = member(item, "dns")) i.dns = get_string(*v, child(item_path, "dns"));
    const ojson& port = *member(item, "port");
    if (port.is_number_integer() || port.is_number_unsigned()) {
      i.port = dump(port);
    } else {
      i.port = get_string(port, child(item_path, "port"));
    }
    if (i.port.empty()) throw_params(invalid(child(item_path, "port"), "cannot be empty"));
    if (i.useip == 1 && i.ip.empty()) {
      throw_params(invalid(child(item_path, "ip"), "cannot be empty"));
    }
    if (i.useip == 0 && i.dns.empty()) {
      throw_params(invalid(child(item_path, "dns"), "cannot be empty"));
    }
    const ojson* details = member(item, "details");
    if (i.type == 2) {
      // SNMP interfaces need their details: at least the SNMP version.
      if (details == nullptr) throw_params(invalid(item_path, missing("details")));
      if (!details->is_object())
        throw_params(invalid(child(item_path, "details"), "an array is expected"));
      const ojson* snmp_version = member(*details, "version");
      if (snmp_version == nullptr) {
        throw_params(invalid(child(item_path, "details"), missing("version")));
      }
      get_int_in(*snmp_version, child(child(item_path, "details"), "version"), {1, 2, 3});
      ojson normalized = ojson::object();
      for (const auto& d : details->items()) {
        normalized[d.key()] = scalar_text(d.value()).value_or(dump(d.value()));
      }
      if (!normalized.contains("bulk")) normalized["bulk"] = "1";
      i.details = dump(normalized);
    } else if (details != nullptr && !details->empty()) {
      throw_params(invalid(child(item_path, "details"), "should be empty"));
    }
    out.push_back(std::move(i));
  }
  // One default interface per type (CHostInterface::checkMainInterfaces).
  for (int type = 1; type <= 4; ++type) {
    int of_type = 0;
    int mains = 0;
    for (const Interface& i : out) {
      if (i.type != type) continue;
      ++of_type;
      mains += i.main;
    }
    if (mains > 1) {
      throw_params("Host \"" + host.host +
                   "\" cannot have more than one default interface of the same type.");
    }
    if (of_type > 0 && mains == 0) {
      throw_params("No default interface for \"" + std::string(interface_type_label(type)) +
                   "\" type on \"" + host.host + "\".");
    }
  }
  return out;
}

}  // namespace

void read_host(const ojson& in, const std::string& path, bool creating, const ApiVersion& version,
               Host& h) {
  // 1. The fields a host has in this version.
  for (const auto& item : in.items()) {
    const auto& key = item.key();
    static const std::set<std::string, std::less<>> common = {
        "host",        "name",          "description",    "status",        "inventory_mode",
        "inventory",   "groups",        "templates",      "tags",          "interfaces",
        "macros",      "ipmi_authtype", "ipmi_privilege", "ipmi_username", "ipmi_password",
        "tls_connect", "tls_accept",    "tls_issuer",     "tls_subject",   "tls_psk_identity",
        "tls_psk"};
    bool known =
        common.contains(key) || (!creating && (key == "hostid" || key == "templates_clear"));
    if (version.v64()) {
      known = known || key == "proxy_hostid";
    } else {
      known = known || key == "monitored_by" || key == "proxyid" || key == "proxy_groupid";
    }
    if (!known) throw_params(invalid(path, unexpected(key)));
  }

  // 2. Monitoring source (7.0: monitored_by + proxyid/proxy_groupid; 6.4: proxy_hostid).
  if (version.v64()) {
    if (const ojson* v = member(in, "proxy_hostid")) {
      std::uint64_t proxy = get_id(*v, child(path, "proxy_hostid"));
      if (proxy != 0 && !known_proxy(proxy)) throw_permissions(std::string(kNoPermissions));
      h.monitored_by = proxy == 0 ? 0 : 1;
      h.proxyid = proxy;
      h.proxy_groupid = 0;
    }
  } else {
    int monitored_by = h.monitored_by;
    if (const ojson* v = member(in, "monitored_by")) {
      monitored_by = get_int_in(*v, child(path, "monitored_by"), {0, 1, 2});
    }
    const ojson* proxyid = member(in, "proxyid");
    const ojson* proxy_groupid = member(in, "proxy_groupid");
    std::uint64_t proxy = monitored_by == 1 && h.monitored_by == 1 ? h.proxyid : 0;
    std::uint64_t proxy_group = monitored_by == 2 && h.monitored_by == 2 ? h.proxy_groupid : 0;
    if (monitored_by == 1) {
      if (proxyid == nullptr && proxy == 0) throw_params(invalid(path, missing("proxyid")));
      if (proxyid != nullptr) proxy = get_id(*proxyid, child(path, "proxyid"));
    } else if (proxyid != nullptr && get_id(*proxyid, child(path, "proxyid")) != 0) {
      throw_params(invalid(child(path, "proxyid"), "value must be 0"));
    }
    if (monitored_by == 2) {
      if (proxy_groupid == nullptr && proxy_group == 0) {
        throw_params(invalid(path, missing("proxy_groupid")));
      }
      if (proxy_groupid != nullptr)
        proxy_group = get_id(*proxy_groupid, child(path, "proxy_groupid"));
    } else if (proxy_groupid != nullptr &&
               get_id(*proxy_groupid, child(path, "proxy_groupid")) != 0) {
      throw_params(invalid(child(path, "proxy_groupid"), "value must be 0"));
    }
    if (monitored_by == 1 && !known_proxy(proxy)) {
      throw_permissions(invalid(child(path, "proxyid"), kObjectMissing));
    }
    if (monitored_by == 2 && !known_proxy_group(proxy_group)) {
      throw_permissions(invalid(child(path, "proxy_groupid"), kObjectMissing));
    }
    h.monitored_by = monitored_by;
    h.proxyid = proxy;
    h.proxy_groupid = proxy_group;
  }

  // 3. Groups, templates, tags.
  const ojson* groups = member(in, "groups");
  if (creating && groups == nullptr) throw_params(invalid(path, missing("groups")));
  if (groups != nullptr) {
    std::string groups_path = child(path, "groups");
    std::vector<const ojson*> items = get_objects(*groups, groups_path);
    if (items.empty()) throw_params(invalid(groups_path, "cannot be empty"));
    std::vector<std::uint64_t> ids;
    for (std::size_t n = 0; n < items.size(); ++n) {
      std::string item_path = child(groups_path, n);
      check_fields(*items[n], item_path, {"groupid"});
      const ojson* id = member(*items[n], "groupid");
      if (id == nullptr) throw_params(invalid(item_path, missing("groupid")));
      std::uint64_t groupid = get_id(*id, child(item_path, "groupid"));
      if (std::find(ids.begin(), ids.end(), groupid) != ids.end()) {
        throw_params(
            invalid(item_path, "value (groupid)=(" + std::to_string(groupid) + ") already exists"));
      }
      ids.push_back(groupid);
    }
    for (std::size_t n = 0; n < ids.size(); ++n) {
      if (known_group(ids[n])) continue;
      if (version.v64()) throw_permissions(std::string(kNoPermissions));
      throw_permissions(invalid(child(groups_path, n), kObjectMissing));
    }
    std::sort(ids.begin(), ids.end());
    h.groups = std::move(ids);
  }
  auto read_templates = [&](const char* key, std::vector<std::uint64_t>& ids) {
    const ojson* templates = member(in, key);
    if (templates == nullptr) return false;
    std::string list_path = child(path, key);
    std::vector<const ojson*> items = get_objects(*templates, list_path);
    for (std::size_t n = 0; n < items.size(); ++n) {
      std::string item_path = child(list_path, n);
      check_fields(*items[n], item_path, {"templateid"});
      const ojson* id = member(*items[n], "templateid");
      if (id == nullptr) throw_params(invalid(item_path, missing("templateid")));
      std::uint64_t templateid = get_id(*id, child(item_path, "templateid"));
      if (std::find(ids.begin(), ids.end(), templateid) != ids.end()) {
        throw_params(invalid(
            item_path, "value (templateid)=(" + std::to_string(templateid) + ") already exists"));
      }
      ids.push_back(templateid);
    }
    for (std::size_t n = 0; n < ids.size(); ++n) {
      if (known_template(ids[n])) continue;
      if (version.v64()) throw_permissions(std::string(kNoPermissions));
      throw_permissions(invalid(child(list_path, n), kObjectMissing));
    }
    return true;
  };
  std::vector<std::uint64_t> templates;
  if (read_templates("templates", templates)) {
    std::sort(templates.begin(), templates.end());
    h.templates = std::move(templates);
  }
  std::vector<std::uint64_t> clear;
  if (read_templates("templates_clear", clear)) {
    for (std::uint64_t id : clear) {
      h.templates.erase(std::remove(h.templates.begin(), h.templates.end(), id), h.templates.end());
    }
  }
  if (const ojson* tags = member(in, "tags")) {
    std::string tags_path = child(path, "tags");
    std::vector<std::pair<std::string, std::string>> list;
    std::vector<const ojson*> items = get_objects(*tags, tags_path);
    for (std::size_t n = 0; n < items.size(); ++n) {
      std::string item_path = child(tags_path, n);
      check_fields(*items[n], item_path, {"tag", "value", "automatic"});
      const ojson* tag = member(*items[n], "tag");
      if (tag == nullptr) throw_params(invalid(item_path, missing("tag")));
      std::string name = get_string(*tag, child(item_path, "tag"));
      if (name.empty()) throw_params(invalid(child(item_path, "tag"), "cannot be empty"));
      std::string value;
      if (const ojson* v = member(*items[n], "value"))
        value = get_string(*v, child(item_path, "value"));
      std::pair<std::string, std::string> entry{name, value};
      if (std::find(list.begin(), list.end(), entry) != list.end()) {
        throw_params(
            invalid(item_path, "value (tag, value)=(" + name + ", " + value + ") already exists"));
      }
      list.push_back(std::move(entry));
    }
    h.tags = std::move(list);
  }

  // 4. Names.
  if (const ojson* host = member(in, "host")) {
    std::string name = get_string(*host, child(path, "host"));
    if (!valid_host_name(name)) {
      throw_params("Incorrect characters used for host name \"" + name + "\".");
    }
    h.host = std::move(name);
  } else if (creating) {
    throw_params("Wrong fields for host \"\".");
  }
  // A visible name not given or blank follows the technical name (on update too, when the
  // technical name is given).
  std::string visible;
  if (const ojson* name = member(in, "name")) visible = get_string(*name, child(path, "name"));
  bool blank = visible.find_first_not_of(' ') == std::string::npos;
  if (!blank) {
    h.name = visible;
  } else if (creating || member(in, "host") != nullptr) {
    h.name = h.host;
  }
  if (const ojson* description = member(in, "description")) {
    h.description = get_string(*description, child(path, "description"));
  }

  // 5. Status and inventory.
  if (const ojson* status = member(in, "status")) {
    if (creating) {
      auto value = int_value(*status);
      if (!value || (*value != 0 && *value != 1)) {
        throw_params("Incorrect status for host \"" + h.host + "\".");
      }
      h.status = static_cast<int>(*value);
    } else {
      h.status = get_int_in(*status, child(path, "status"), {0, 1});
    }
  }
  const ojson* inventory = member(in, "inventory");
  bool inventory_given = inventory != nullptr && !inventory->empty() && !inventory->is_null();
  if (const ojson* mode = member(in, "inventory_mode")) {
    auto value = int_value(*mode);
    if (!value || *value < -1 || *value > 1) {
      throw_params("Incorrect value for field \"inventory_mode\": value must be one of -1, 0, 1.");
    }
    h.inventory_mode = static_cast<int>(*value);
    if (h.inventory_mode == -1) {
      if (inventory_given) throw_params("Cannot set inventory fields for disabled inventory.");
      h.inventory.clear();
    } else if (h.inventory.empty()) {
      h.inventory.assign(kInventoryFields.size(), "");
    }
  }
  if (inventory_given) {
    if (!inventory->is_object()) {
      throw_params(invalid(child(path, "inventory"), "an array is expected"));
    }
    if (h.inventory_mode == -1) {
      if (!creating) throw_params("Inventory disabled for host \"" + h.host + "\".");
      h.inventory_mode = 0;  // inventory fields alone switch a new host to manual mode
    }
    if (h.inventory.empty()) h.inventory.assign(kInventoryFields.size(), "");
    for (const auto& item : inventory->items()) {
      auto it = std::find(kInventoryFields.begin(), kInventoryFields.end(), item.key());
      if (it == kInventoryFields.end()) {
        throw_params("Incorrect inventory field \"" + item.key() + "\".");
      }
      h.inventory[static_cast<std::size_t>(it - kInventoryFields.begin())] =
          scalar_text(item.value()).value_or("");
    }
  }

  // 6. Interfaces replace the host's set.
  if (const ojson* interfaces = member(in, "interfaces")) {
    h.interfaces = read_interfaces(*interfaces, child(path, "interfaces"), h);
  }
}

}  // namespace jobhost::testing::fake_zabbix
