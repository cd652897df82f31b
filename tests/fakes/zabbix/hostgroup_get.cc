#include "fakes/zabbix/frontend.h"

#include <algorithm>
#include <set>
#include <shared_mutex>

#include "fakes/zabbix/catalogue.h"
#include "fakes/zabbix/get_options.h"
#include "fakes/zabbix/params.h"
#include "fakes/zabbix/rpc_errors.h"

// hostgroup.get over the fixed catalogue of groups, strictly validated as CHostGroup::get is:
// unlike host.get, an unknown parameter is an error in real Zabbix too.
namespace jobhost::testing::fake_zabbix {

std::string Frontend::hostgroup_get(const ojson& params) {
  if (params.is_array() && !params.empty()) throw_params(invalid("/", unexpected("0")));
  const ojson& p = params.is_object() ? params : empty_object();
  check_fields(p, "/",
               {"groupids",
                "hostids",
                "graphids",
                "triggerids",
                "maintenanceids",
                "monitored_hosts",
                "with_monitored_hosts",
                "real_hosts",
                "with_hosts",
                "with_items",
                "with_item_prototypes",
                "with_simple_graph_items",
                "with_simple_graph_item_prototypes",
                "with_monitored_items",
                "with_triggers",
                "with_monitored_triggers",
                "with_httptests",
                "with_monitored_httptests",
                "with_graphs",
                "with_graph_prototypes",
                "filter",
                "search",
                "searchByAny",
                "startSearch",
                "excludeSearch",
                "searchWildcardsEnabled",
                "output",
                "selectHosts",
                "selectGroupDiscovery",
                "selectDiscoveryRule",
                "selectGroupDiscoveries",
                "countOutput",
                "sortfield",
                "sortorder",
                "limit",
                "limitSelects",
                "editable",
                "preservekeys",
                "nopermissions"});
  for (const char* key :
       {"graphids", "triggerids", "maintenanceids", "search", "selectHosts", "selectGroupDiscovery",
        "selectDiscoveryRule", "selectGroupDiscoveries"}) {
    if (given(p, key) != nullptr) {
      throw ApiError{kInternalError,
                     std::string("fake-zabbix does not implement hostgroup.get \"") + key + "\"."};
    }
  }
  std::optional<Select> output =
      parse_select(given(p, "output"), "/output", group_output_fields(), false);
  Select fields = output.value_or(Select{});
  std::vector<std::string> names;
  std::vector<std::string> flags;
  if (const ojson* filter = given(p, "filter")) {
    if (!filter->is_object() && !(filter->is_array() && filter->empty())) {
      throw_params(invalid("/filter", "an array is expected"));
    }
    if (filter->is_object()) check_fields(*filter, "/filter", {"name", "flags", "uuid"});
    if (const ojson* v = given(*filter, "name")) names = scalar_list(*v);
    if (const ojson* v = given(*filter, "flags")) flags = scalar_list(*v);
  }
  std::optional<std::vector<std::uint64_t>> groupids;
  if (const ojson* v = given(p, "groupids")) groupids = id_list(*v);
  std::optional<std::vector<std::uint64_t>> hostids;
  if (const ojson* v = given(p, "hostids")) hostids = id_list(*v);
  bool with_hosts = truthy(given(p, "with_hosts")) || truthy(given(p, "real_hosts"));
  bool with_monitored =
      truthy(given(p, "with_monitored_hosts")) || truthy(given(p, "monitored_hosts"));
  static const std::vector<std::string_view> sort_columns = {"groupid", "name"};
  std::vector<SortKey> sort = read_sort(p, sort_columns);
  std::optional<std::size_t> limit = read_limit(p);

  std::set<std::uint64_t> used;
  std::set<std::uint64_t> used_monitored;
  std::set<std::uint64_t> of_hosts;
  if (with_hosts || with_monitored || hostids) {
    std::shared_lock lock(data_mutex_);
    for (const Host& h : hosts_) {
      if (h.deleted) continue;
      for (auto g : h.groups) {
        used.insert(g);
        if (h.status == 0) used_monitored.insert(g);
        if (hostids && std::find(hostids->begin(), hostids->end(), h.hostid) != hostids->end()) {
          of_hosts.insert(g);
        }
      }
    }
  }
  std::vector<std::uint64_t> selected;
  for (std::uint64_t id = kGroupFirst; id <= kGroupLast; ++id) {
    if (groupids && std::find(groupids->begin(), groupids->end(), id) == groupids->end()) continue;
    if (hostids && !of_hosts.contains(id)) continue;
    if (with_hosts && !used.contains(id)) continue;
    if (with_monitored && !used_monitored.contains(id)) continue;
    if (!names.empty() && !contains(names, group_name(id))) continue;
    if (!flags.empty() && !contains(flags, "0")) continue;
    selected.push_back(id);
  }
  if (truthy(given(p, "countOutput"))) return json_string(std::to_string(selected.size()));
  sort_catalogue(selected, sort, "groupid", group_name);
  if (limit && selected.size() > *limit) selected.resize(*limit);
  return write_objects(selected, truthy(given(p, "preservekeys")),
                       [&](Members& m, std::uint64_t id) {
                         if (fields.wants("groupid")) m.string("groupid", std::to_string(id));
                         if (fields.wants("name")) m.string("name", group_name(id));
                         if (fields.wants("flags")) m.string("flags", "0");
                         if (fields.wants("uuid")) m.string("uuid", uuid_of(1, id));
                       });
}

}  // namespace jobhost::testing::fake_zabbix
