#include "fakes/zabbix/host_writer.h"

#include <algorithm>
#include <cstdint>

#include "fakes/zabbix/catalogue.h"
#include "fakes/zabbix/json_text.h"

namespace jobhost::testing::fake_zabbix {
namespace {

std::string group_object(std::uint64_t id, const Select& select) {
  std::string out = "{";
  Members m(out);
  if (select.wants("groupid")) m.string("groupid", std::to_string(id));
  if (select.wants("name")) m.string("name", group_name(id));
  if (select.wants("flags")) m.string("flags", "0");
  if (select.wants("uuid")) m.string("uuid", uuid_of(1, id));
  out += '}';
  return out;
}

std::string template_object(std::uint64_t id, const Select& select, const ApiVersion& version) {
  std::string out = "{";
  Members t(out);
  if (select.wants("templateid")) t.string("templateid", std::to_string(id));
  if (select.wants("host")) t.string("host", template_name(id));
  if (select.wants("name")) t.string("name", template_name(id));
  if (select.wants("description")) t.string("description", "");
  if (select.wants("uuid")) t.string("uuid", uuid_of(2, id));
  if (!version.v64() && select.wants("link_type")) t.string("link_type", "0");
  out += '}';
  return out;
}

// Every catalogue group written once, indexed by groupid - kGroupFirst.
void groups_for(const Select& select, std::vector<std::string>& objects) {
  for (std::uint64_t id = kGroupFirst; id <= kGroupLast; ++id) {
    objects.push_back(group_object(id, select));
  }
}

void write_groups(std::string& out, std::string_view opening, const Host& h,
                  const std::vector<std::string>& objects, const Select& select) {
  out += opening;
  for (std::size_t n = 0; n < h.groups.size(); ++n) {
    if (n > 0) out += ',';
    std::uint64_t id = h.groups[n];
    out += known_group(id) ? objects[id - kGroupFirst] : group_object(id, select);
  }
  out += ']';
}

}  // namespace

HostWriter::HostWriter(const HostQuery& query, const ApiVersion& version)
    : query_(query), version_(version) {
  add_host_field("hostid");
  if (query.output.extend) {
    for (std::string_view field : host_fields(version)) {
      if (field != "hostid") add_host_field(field);
    }
  } else {
    std::vector<std::string_view> seen = {"hostid"};
    for (const auto& field : query.output.fields) {
      if (std::find(seen.begin(), seen.end(), field) != seen.end()) continue;
      seen.push_back(field);
      add_host_field(field);
    }
  }
  if (query.hostgroups) groups_for(*query.hostgroups, hostgroups_);
  if (query.groups) groups_for(*query.groups, groups_);
  if (query.parent_templates && !query.parent_templates->count) {
    for (std::uint64_t id = kTemplateFirst; id <= kTemplateLast; ++id) {
      templates_.push_back(template_object(id, *query.parent_templates, version));
    }
  }
  if (query.interfaces && !query.interfaces->count) {
    bool first = true;
    for (std::string_view field : kInterfaceFields) {
      if (!query.interfaces->wants(field)) continue;
      interface_fields_.push_back(ObjectField{field, key_text(field, first)});
      first = false;
    }
  }
  if (query.tags) {
    bool first = true;
    for (std::string_view field : {"tag", "value", "automatic"}) {
      if (!query.tags->wants(field)) continue;
      tag_fields_.push_back(ObjectField{field, key_text(field, first)});
      first = false;
    }
  }
  if (query.inventory) {
    bool first = true;
    for (std::size_t k = 0; k < kInventoryFields.size(); ++k) {
      if (!query.inventory->wants(kInventoryFields[k])) continue;
      inventory_fields_.emplace_back(k, key_text(kInventoryFields[k], first));
      first = false;
    }
  }
}

void HostWriter::write(std::string& out, const Host& h) const {
  out += '{';
  for (const HostField& field : host_fields_) {
    out += field.key;
    if (field.get != nullptr) {
      field.get(h, out);
    } else {
      out += field.constant;
    }
  }
  if (query_.groups) write_groups(out, ",\"groups\":[", h, groups_, *query_.groups);
  if (query_.hostgroups) write_groups(out, ",\"hostgroups\":[", h, hostgroups_, *query_.hostgroups);
  if (query_.parent_templates) {
    out += ",\"parentTemplates\":";
    if (query_.parent_templates->count) {
      put_number(out, h.templates.size());
    } else {
      out += '[';
      for (std::size_t n = 0; n < h.templates.size(); ++n) {
        if (n > 0) out += ',';
        std::uint64_t id = h.templates[n];
        if (known_template(id)) {
          out += templates_[id - kTemplateFirst];
        } else {
          out += template_object(id, *query_.parent_templates, version_);
        }
      }
      out += ']';
    }
  }
  if (query_.interfaces) {
    out += ",\"interfaces\":";
    if (query_.interfaces->count) {
      put_number(out, h.interfaces.size());
    } else {
      out += '[';
      for (std::size_t n = 0; n < h.interfaces.size(); ++n) {
        if (n > 0) out += ',';
        write_interface(out, h, h.interfaces[n]);
      }
      out += ']';
    }
  }
  if (query_.tags) {
    out += ",\"tags\":[";
    for (std::size_t n = 0; n < h.tags.size(); ++n) {
      if (n > 0) out += ',';
      out += '{';
      for (const auto& field : tag_fields_) {
        out += field.key;
        if (field.name == "tag") {
          append_quoted(out, h.tags[n].first);
        } else if (field.name == "value") {
          append_quoted(out, h.tags[n].second);
        } else {
          out += "\"0\"";
        }
      }
      out += '}';
    }
    out += ']';
  }
  if (query_.inventory) {
    out += ",\"inventory\":";
    if (h.inventory.empty()) {
      out += "[]";  // no host_inventory row: the relation map leaves an empty array
    } else {
      out += '{';
      for (const auto& [index, key] : inventory_fields_) {
        out += key;
        append_quoted(out, h.inventory[index]);
      }
      out += '}';
    }
  }
  out += '}';
}

void HostWriter::add_host_field(std::string_view field) {
  std::string value;
  if (!host_field(Host{}, field, version_, value)) return;  // not a field of this version
  HostField entry{key_text(field, host_fields_.empty()), nullptr, {}};
  if (field == "hostid") {
    entry.get = [](const Host& h, std::string& out) { put_number(out, h.hostid); };
  } else if (field == "host") {
    entry.get = [](const Host& h, std::string& out) { append_quoted(out, h.host); };
  } else if (field == "name") {
    entry.get = [](const Host& h, std::string& out) { append_quoted(out, h.name); };
  } else if (field == "description") {
    entry.get = [](const Host& h, std::string& out) { append_quoted(out, h.description); };
  } else if (field == "status") {
    entry.get = [](const Host& h, std::string& out) { put_int(out, h.status); };
  } else if (field == "inventory_mode") {
    entry.get = [](const Host& h, std::string& out) { put_int(out, h.inventory_mode); };
  } else if (field == "monitored_by") {
    entry.get = [](const Host& h, std::string& out) { put_int(out, h.monitored_by); };
  } else if (field == "proxyid") {
    entry.get = [](const Host& h, std::string& out) { put_number(out, h.proxyid); };
  } else if (field == "proxy_groupid") {
    entry.get = [](const Host& h, std::string& out) { put_number(out, h.proxy_groupid); };
  } else if (field == "proxy_hostid" || field == "assigned_proxyid") {
    entry.get = [](const Host& h, std::string& out) {
      put_number(out, h.monitored_by == 1 ? h.proxyid : 0);
    };
  } else {
    append_quoted(entry.constant, value);
  }
  host_fields_.push_back(std::move(entry));
}

void HostWriter::write_interface(std::string& out, const Host& h, const Interface& i) const {
  out += '{';
  for (const ObjectField& field : interface_fields_) {
    out += field.key;
    std::string_view name = field.name;
    if (name == "interfaceid") {
      put_number(out, i.interfaceid);
    } else if (name == "hostid") {
      put_number(out, h.hostid);
    } else if (name == "main") {
      put_int(out, i.main);
    } else if (name == "type") {
      put_int(out, i.type);
    } else if (name == "useip") {
      put_int(out, i.useip);
    } else if (name == "ip") {
      append_quoted(out, i.ip);
    } else if (name == "dns") {
      append_quoted(out, i.dns);
    } else if (name == "port") {
      append_quoted(out, i.port);
    } else if (name == "details") {
      out += i.details;
    } else if (name == "error") {
      out += "\"\"";
    } else {
      out += "\"0\"";
    }
  }
  out += '}';
}

}  // namespace jobhost::testing::fake_zabbix
