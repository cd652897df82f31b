#include "fakes/zabbix/frontend.h"

#include <algorithm>
#include <mutex>
#include <shared_mutex>

#include "fakes/zabbix/catalogue.h"
#include "fakes/zabbix/host_input.h"
#include "fakes/zabbix/params.h"
#include "fakes/zabbix/rpc_errors.h"

// host.create, host.update and host.delete: all hosts of a call are checked before any is
// stored, so a call that fails changes nothing.
namespace jobhost::testing::fake_zabbix {

std::string Frontend::host_create(const ojson& params, const RequestSettings& settings) {
  std::vector<const ojson*> inputs = get_objects(params, "/");
  if (inputs.empty()) throw_params(invalid("/", "cannot be empty"));
  std::unique_lock lock(data_mutex_);
  std::vector<Host> created;
  for (std::size_t n = 0; n < inputs.size(); ++n) {
    Host h;
    read_host(*inputs[n], child("/", n), true, settings.version, h);
    created.push_back(std::move(h));
  }
  for (std::size_t a = 0; a < created.size(); ++a) {
    for (std::size_t b = 0; b < a; ++b) {
      if (created[a].host == created[b].host) {
        throw_params("Duplicate host. Host with the same host name \"" + created[a].host +
                     "\" already exists in data.");
      }
      if (created[a].name == created[b].name) {
        throw_params("Duplicate host. Host with the same visible name \"" + created[a].name +
                     "\" already exists in data.");
      }
    }
  }
  for (const Host& h : created) {
    if (by_host_.contains(h.host)) {
      throw_params("Host with the same name \"" + h.host + "\" already exists.");
    }
    if (by_name_.contains(h.name)) {
      throw_params("Host with the same visible name \"" + h.name + "\" already exists.");
    }
    if (template_by_name(h.host)) {
      throw_params("Template with the same name \"" + h.host + "\" already exists.");
    }
    if (template_by_name(h.name)) {
      throw_params("Template with the same visible name \"" + h.name + "\" already exists.");
    }
  }
  std::string out = "{\"hostids\":[";
  for (std::size_t n = 0; n < created.size(); ++n) {
    created[n].hostid = next_hostid_;
    if (n > 0) out += ',';
    append_quoted(out, std::to_string(created[n].hostid));
    insert_host(std::move(created[n]));
  }
  out += "]}";
  return out;
}

std::string Frontend::host_update(const ojson& params, const RequestSettings& settings) {
  std::vector<const ojson*> inputs = get_objects(params, "/");
  if (inputs.empty()) throw_params(invalid("/", "cannot be empty"));
  std::vector<std::uint64_t> ids;
  for (std::size_t n = 0; n < inputs.size(); ++n) {
    std::string path = child("/", n);
    const ojson* hostid = member(*inputs[n], "hostid");
    if (hostid == nullptr) throw_params(invalid(path, missing("hostid")));
    std::uint64_t id = get_id(*hostid, child(path, "hostid"));
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) {
      throw_params(invalid(path, "value (hostid)=(" + std::to_string(id) + ") already exists"));
    }
    ids.push_back(id);
  }
  std::unique_lock lock(data_mutex_);
  for (std::uint64_t id : ids) {
    if (find_host(id) == nullptr) throw_permissions(std::string(kNoPermissions));
  }
  std::vector<Host> updated;
  for (std::size_t n = 0; n < inputs.size(); ++n) {
    Host h = *find_host(ids[n]);
    read_host(*inputs[n], child("/", n), false, settings.version, h);
    updated.push_back(std::move(h));
  }
  for (std::size_t a = 0; a < updated.size(); ++a) {
    const Host& h = updated[a];
    for (std::size_t b = 0; b < a; ++b) {
      if (updated[b].host == h.host) {
        throw_params("Host with the same name \"" + h.host + "\" already exists.");
      }
      if (updated[b].name == h.name) {
        throw_params("Host with the same visible name \"" + h.name + "\" already exists.");
      }
    }
    auto other = [&](const std::unordered_map<std::string, std::size_t>& index,
                     const std::string& key) {
      auto it = index.find(key);
      if (it == index.end() || hosts_[it->second].hostid == h.hostid) return false;
      // A host renamed in the same call frees its old name.
      std::uint64_t holder = hosts_[it->second].hostid;
      return std::none_of(updated.begin(), updated.end(),
                          [&](const Host& u) { return u.hostid == holder; });
    };
    if (other(by_host_, h.host)) {
      throw_params("Host with the same name \"" + h.host + "\" already exists.");
    }
    if (other(by_name_, h.name)) {
      throw_params("Host with the same visible name \"" + h.name + "\" already exists.");
    }
    if (template_by_name(h.host)) {
      throw_params("Template with the same name \"" + h.host + "\" already exists.");
    }
  }
  std::string out = "{\"hostids\":[";
  for (std::size_t n = 0; n < updated.size(); ++n) {
    Host& h = updated[n];
    std::size_t index = by_id_.at(h.hostid);
    Host& stored = hosts_[index];
    by_host_.erase(stored.host);
    by_name_.erase(stored.name);
    for (Interface& i : h.interfaces) {
      if (i.interfaceid == 0) i.interfaceid = next_interfaceid_++;
    }
    stored = std::move(h);
    if (n > 0) out += ',';
    append_quoted(out, std::to_string(stored.hostid));
  }
  for (std::uint64_t id : ids) {
    std::size_t index = by_id_.at(id);
    by_host_[hosts_[index].host] = index;
    by_name_[hosts_[index].name] = index;
  }
  out += "]}";
  return out;
}

std::string Frontend::host_delete(const ojson& params) {
  // API_IDS, API_NOT_EMPTY, uniq
  std::vector<std::uint64_t> ids;
  std::size_t n = 0;
  for (const auto& item : params) {
    std::string path = child("/", n++);
    std::uint64_t id = get_id(item, path);
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) {
      throw_params(invalid(path, "value (" + std::to_string(id) + ") already exists"));
    }
    ids.push_back(id);
  }
  if (ids.empty()) throw_params(invalid("/", "cannot be empty"));
  std::unique_lock lock(data_mutex_);
  for (std::uint64_t id : ids) {
    if (find_host(id) == nullptr) throw_permissions(std::string(kNoPermissions));
  }
  std::string out = "{\"hostids\":[";
  for (std::size_t k = 0; k < ids.size(); ++k) {
    std::size_t index = by_id_.at(ids[k]);
    Host& h = hosts_[index];
    by_host_.erase(h.host);
    by_name_.erase(h.name);
    by_id_.erase(h.hostid);
    h.deleted = true;
    h.interfaces.clear();
    h.tags.clear();
    if (k > 0) out += ',';
    append_quoted(out, std::to_string(ids[k]));
  }
  out += "]}";
  return out;
}

}  // namespace jobhost::testing::fake_zabbix
