#include "fakes/zabbix/frontend.h"

#include <fstream>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <utility>

#include "fakes/zabbix/generated_inventory.h"
#include "fakes/zabbix/host_writer.h"
#include "fakes/zabbix/params.h"

// The inventory as tests see it: the generated plan, hosts added directly, hosts read back.
namespace jobhost::testing::fake_zabbix {

json Frontend::desired_host_configs() const {
  json configs = json::array();
  for (std::size_t i = 0; i < options_.hosts; ++i) {
    configs.push_back(desired_config<json>(generate_host(i, options_.seed)));
  }
  return configs;
}

std::vector<FakeZabbix::Drift> Frontend::drifted() const {
  std::vector<FakeZabbix::Drift> out;
  out.reserve(drifted_.size());
  for (std::size_t k = 0; k < drifted_.size(); ++k) {
    out.push_back(FakeZabbix::Drift{numbered("host-", drifted_[k]), std::string(drift_field(k))});
  }
  return out;
}

std::vector<std::string> Frontend::missing_hosts() const {
  std::vector<std::string> out;
  out.reserve(missing_.size());
  for (std::size_t i : missing_) out.push_back(numbered("host-", i));
  return out;
}

void Frontend::write_desired(const std::filesystem::path& path) const {
  ojson configs = ojson::array();
  for (std::size_t i = 0; i < options_.hosts; ++i) {
    configs.push_back(desired_config<ojson>(generate_host(i, options_.seed)));
  }
  ojson document = ojson::object();
  document["host_configs"] = std::move(configs);
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) throw std::runtime_error("fake-zabbix: cannot write " + path.string());
  file << document.dump(2) << '\n';
  file.close();
  if (!file) throw std::runtime_error("fake-zabbix: cannot write " + path.string());
}

// A lenient reader for tests building their own inventory: no validation beyond the shape
// and unique names and ids.
std::string Frontend::add_host(const json& input) {
  auto fail = [](const std::string& what) -> void {
    throw std::invalid_argument("fake-zabbix add_host: " + what);
  };
  if (!input.is_object()) fail("a host object is expected");
  ojson in = ojson::parse(input.dump());
  auto number_of = [&](const char* name, long long fallback) {
    const ojson* v = given(in, name);
    if (v == nullptr) return fallback;
    auto n = int_value(*v);
    if (!n) fail(std::string(name) + " must be a number");
    return *n;
  };
  auto id_of = [&](const ojson& v, const std::string& what) {
    auto id = id_value(v);
    if (!id) fail(what + " must be an id");
    return *id;
  };
  auto text_of = [&](const char* name, std::string fallback) {
    const ojson* v = given(in, name);
    if (v == nullptr) return fallback;
    auto text = scalar_text(*v);
    if (!text) fail(std::string(name) + " must be a string");
    return *text;
  };
  Host h;
  h.host = text_of("host", "");
  if (h.host.empty()) fail("\"host\" is required");
  h.name = text_of("name", h.host);
  if (h.name.empty()) h.name = h.host;
  h.description = text_of("description", "");
  h.status = static_cast<int>(number_of("status", 0));
  h.monitored_by = static_cast<int>(number_of("monitored_by", 0));
  if (const ojson* v = given(in, "proxyid")) h.proxyid = id_of(*v, "proxyid");
  if (const ojson* v = given(in, "proxy_hostid")) {
    h.proxyid = id_of(*v, "proxy_hostid");
    if (h.proxyid != 0) h.monitored_by = 1;
  }
  if (const ojson* v = given(in, "proxy_groupid")) h.proxy_groupid = id_of(*v, "proxy_groupid");
  h.inventory_mode = static_cast<int>(number_of("inventory_mode", -1));
  auto ids = [&](const char* name, const char* key, std::vector<std::uint64_t>& out) {
    const ojson* list = given(in, name);
    if (list == nullptr) return;
    if (!list->is_array()) fail(std::string(name) + " must be an array");
    for (const auto& item : *list) {
      const ojson* id = item.is_object() ? given(item, key) : &item;
      if (id == nullptr) fail(std::string(name) + " entries need \"" + key + "\"");
      out.push_back(id_of(*id, key));
    }
  };
  ids("groups", "groupid", h.groups);
  ids("hostgroups", "groupid", h.groups);
  ids("templates", "templateid", h.templates);
  ids("parentTemplates", "templateid", h.templates);
  if (const ojson* tags = given(in, "tags")) {
    for (const auto& tag : *tags) {
      if (!tag.is_object() || given(tag, "tag") == nullptr) fail("tags entries need \"tag\"");
      h.tags.emplace_back(scalar_text(tag["tag"]).value_or(""),
                          tag.contains("value") ? scalar_text(tag["value"]).value_or("") : "");
    }
  }
  if (const ojson* interfaces = given(in, "interfaces")) {
    for (const auto& item : *interfaces) {
      if (!item.is_object()) fail("interfaces entries must be objects");
      Interface i;
      auto int_of = [&](const char* name, int fallback) {
        const ojson* v = given(item, name);
        if (v == nullptr) return fallback;
        auto n = int_value(*v);
        if (!n && v->is_boolean()) return v->get<bool>() ? 1 : 0;
        if (!n) fail(std::string("interface ") + name + " must be a number");
        return static_cast<int>(*n);
      };
      if (const ojson* v = given(item, "interfaceid")) i.interfaceid = id_of(*v, "interfaceid");
      i.type = int_of("type", 1);
      i.main = int_of("main", 1);
      i.useip = int_of("useip", 1);
      i.ip = given(item, "ip") ? scalar_text(item["ip"]).value_or("") : "";
      i.dns = given(item, "dns") ? scalar_text(item["dns"]).value_or("") : "";
      i.port = given(item, "port") ? scalar_text(item["port"]).value_or("") : "";
      if (const ojson* details = given(item, "details")) {
        i.details = dump(*details);
      } else if (i.type == 2) {
        i.details = std::string(kSnmpDetails);
      }
      h.interfaces.push_back(std::move(i));
    }
  }
  if (h.inventory_mode != -1) {
    h.inventory.assign(kInventoryFields.size(), "");
    if (const ojson* inventory = given(in, "inventory"); inventory && inventory->is_object()) {
      for (std::size_t k = 0; k < kInventoryFields.size(); ++k) {
        const ojson* v = given(*inventory, std::string(kInventoryFields[k]).c_str());
        if (v != nullptr) h.inventory[k] = scalar_text(*v).value_or("");
      }
    }
  }

  std::unique_lock lock(data_mutex_);
  if (const ojson* v = given(in, "hostid")) {
    h.hostid = id_of(*v, "hostid");
  } else {
    h.hostid = next_hostid_;
  }
  if (by_id_.contains(h.hostid)) fail("hostid " + std::to_string(h.hostid) + " exists");
  if (by_host_.contains(h.host)) fail("host \"" + h.host + "\" exists");
  if (by_name_.contains(h.name)) fail("visible name \"" + h.name + "\" exists");
  std::string hostid = std::to_string(h.hostid);
  insert_host(std::move(h));
  return hostid;
}

std::optional<json> Frontend::host_by_name(const std::string& name) const {
  ApiVersion version = settings_.version();
  HostQuery query;
  query.interfaces = Select{};
  query.parent_templates = Select{};
  query.tags = Select{};
  query.hostgroups = Select{};
  if (!version.v72()) query.groups = Select{};
  query.inventory = Select{};
  std::string text;
  {
    std::shared_lock lock(data_mutex_);
    auto it = by_host_.find(name);
    if (it == by_host_.end()) return std::nullopt;
    HostWriter(query, version).write(text, hosts_[it->second]);
  }
  return json::parse(text);
}

std::size_t Frontend::host_count() const {
  std::shared_lock lock(data_mutex_);
  return by_host_.size();
}

}  // namespace jobhost::testing::fake_zabbix
