#include "fakes/zabbix/frontend.h"

#include <algorithm>
#include <functional>
#include <set>
#include <shared_mutex>
#include <string_view>

#include "fakes/zabbix/catalogue.h"
#include "fakes/zabbix/get_options.h"
#include "fakes/zabbix/host_writer.h"
#include "fakes/zabbix/params.h"
#include "fakes/zabbix/rpc_errors.h"

// host.get (CHost::get): the filters the plugin and the tests use, sorting, limit, counting,
// and every select* the fake keeps data for.
namespace jobhost::testing::fake_zabbix {
namespace {

// Known host.get parameters (CHost::get $defOptions) the fake implements.
bool host_get_implemented(std::string_view key, const ApiVersion& version) {
  static const std::set<std::string, std::less<>> common = {"groupids",
                                                            "hostids",
                                                            "proxyids",
                                                            "templateids",
                                                            "monitored_hosts",
                                                            "editable",
                                                            "nopermissions",
                                                            "evaltype",
                                                            "inheritedTags",
                                                            "filter",
                                                            "searchByAny",
                                                            "startSearch",
                                                            "excludeSearch",
                                                            "searchWildcardsEnabled",
                                                            "output",
                                                            "selectHostGroups",
                                                            "selectParentTemplates",
                                                            "selectInterfaces",
                                                            "selectInventory",
                                                            "selectTags",
                                                            "countOutput",
                                                            "preservekeys",
                                                            "sortfield",
                                                            "sortorder",
                                                            "limit",
                                                            "tags",
                                                            "search"};
  if (common.contains(key)) return true;
  if (key == "selectGroups") return !version.v72();
  if (key == "proxy_groupids") return !version.v64();
  return false;
}

// Known host.get parameters the fake does not implement: used, they answer -32603.
bool host_get_known(std::string_view key, const ApiVersion& version) {
  static const std::set<std::string, std::less<>> others = {"interfaceids",
                                                            "itemids",
                                                            "triggerids",
                                                            "maintenanceids",
                                                            "graphids",
                                                            "dserviceids",
                                                            "httptestids",
                                                            "templated_hosts",
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
                                                            "withProblemsSuppressed",
                                                            "severities",
                                                            "searchInventory",
                                                            "selectItems",
                                                            "selectDiscoveries",
                                                            "selectTriggers",
                                                            "selectGraphs",
                                                            "selectMacros",
                                                            "selectDashboards",
                                                            "selectHttpTests",
                                                            "selectDiscoveryRule",
                                                            "selectHostDiscovery",
                                                            "selectInheritedTags",
                                                            "selectValueMaps",
                                                            "groupCount",
                                                            "limitSelects"};
  (void)version;
  return others.contains(key);
}

}  // namespace

std::string Frontend::host_get(const ojson& params, const RequestSettings& settings) {
  const ApiVersion& version = settings.version;
  const ojson& p = params.is_object() ? params : empty_object();
  for (const auto& item : p.items()) {
    const auto& key = item.key();
    if (host_get_implemented(key, version)) {
      if ((key == "search" || key == "tags") && !item.value().is_null() && !item.value().empty()) {
        throw ApiError{kInternalError, "fake-zabbix does not implement host.get \"" + key + "\"."};
      }
      continue;
    }
    if (host_get_known(key, version)) {
      if (item.value().is_null()) continue;
      throw ApiError{kInternalError, "fake-zabbix does not implement host.get \"" + key + "\"."};
    }
    // Real host.get ignores what it does not know (7.2+: selectGroups among them).
    if (settings.strict) throw_params(invalid("/", unexpected(key)));
  }

  HostQuery query;
  if (const ojson* output = given(p, "output")) {
    if (output->is_array() || output->is_object()) {
      query.output.extend = false;
      for (const auto& field : *output) {
        if (field.is_string()) query.output.fields.push_back(field.get<std::string>());
      }
    } else if (!(output->is_string() && output->get<std::string>() == "extend")) {
      query.output.extend = false;
    }
  }
  // CHost::validateGet checks these two; the host groups go through hostgroup.get's output.
  query.tags =
      parse_select(given(p, "selectTags"), "/selectTags", {"tag", "value", "automatic"}, false);
  static const std::vector<std::string_view> template_fields70 = {
      "templateid", "host", "name", "description", "uuid", "link_type"};
  static const std::vector<std::string_view> template_fields64 = {"templateid", "host", "name",
                                                                  "description", "uuid"};
  query.parent_templates =
      parse_select(given(p, "selectParentTemplates"), "/selectParentTemplates",
                   version.v64() ? template_fields64 : template_fields70, true);
  query.hostgroups =
      parse_select(given(p, "selectHostGroups"), "/output", group_output_fields(), false);
  if (!version.v72()) {
    query.groups = parse_select(given(p, "selectGroups"), "/output", group_output_fields(), false);
  }
  query.interfaces = parse_select(given(p, "selectInterfaces"), "/selectInterfaces", {}, true);
  query.inventory = parse_select(given(p, "selectInventory"), "/selectInventory", {}, false);

  // Filters
  struct Term {
    std::string field;
    std::vector<std::string> values;
    bool interface_field;
  };
  std::vector<Term> terms;
  if (const ojson* filter = given(p, "filter"); filter && filter->is_object()) {
    for (const auto& item : filter->items()) {
      if (item.value().is_null()) continue;
      const auto& field = item.key();
      bool on_interface = field == "ip" || field == "dns" || field == "port" || field == "type" ||
                          field == "main" || field == "useip" || field == "interfaceid";
      std::string probe;
      if (!on_interface && !host_field(Host{}, field, version, probe)) continue;  // not a column
      terms.push_back(Term{field, scalar_list(item.value()), on_interface});
    }
  }
  bool any_term = truthy(given(p, "searchByAny"));
  std::optional<std::vector<std::uint64_t>> hostids;
  if (const ojson* v = given(p, "hostids")) hostids = id_list(*v);
  std::optional<std::vector<std::uint64_t>> groupids;
  if (const ojson* v = given(p, "groupids")) groupids = id_list(*v);
  std::optional<std::vector<std::uint64_t>> templateids;
  if (const ojson* v = given(p, "templateids")) templateids = id_list(*v);
  std::optional<std::vector<std::uint64_t>> proxyids;
  if (const ojson* v = given(p, "proxyids")) proxyids = id_list(*v);
  std::optional<std::vector<std::uint64_t>> proxy_groupids;
  if (!version.v64()) {
    if (const ojson* v = given(p, "proxy_groupids")) proxy_groupids = id_list(*v);
  }
  bool monitored_only = given(p, "monitored_hosts") != nullptr;
  bool count_output = truthy(given(p, "countOutput"));
  bool preserve_keys = truthy(given(p, "preservekeys"));
  static const std::vector<std::string_view> sort_columns = {"hostid", "host", "name", "status"};
  std::vector<SortKey> sort = read_sort(p, sort_columns);
  std::optional<std::size_t> limit = read_limit(p);

  auto has = [](const std::vector<std::uint64_t>& list, std::uint64_t id) {
    return std::find(list.begin(), list.end(), id) != list.end();
  };
  auto matches = [&](const Host& h) {
    if (h.deleted) return false;
    if (hostids && !has(*hostids, h.hostid)) return false;
    if (groupids && std::none_of(h.groups.begin(), h.groups.end(),
                                 [&](std::uint64_t g) { return has(*groupids, g); })) {
      return false;
    }
    if (templateids && std::none_of(h.templates.begin(), h.templates.end(),
                                    [&](std::uint64_t t) { return has(*templateids, t); })) {
      return false;
    }
    if (proxyids && (h.monitored_by != 1 || !has(*proxyids, h.proxyid))) return false;
    if (proxy_groupids && (h.monitored_by != 2 || !has(*proxy_groupids, h.proxy_groupid))) {
      return false;
    }
    if (monitored_only && h.status != 0) return false;
    if (terms.empty()) return true;
    std::string value;
    for (const Term& term : terms) {
      bool hit = false;
      if (term.interface_field) {
        for (const Interface& i : h.interfaces) {
          interface_field(i, h.hostid, term.field, value);
          if (contains(term.values, value)) hit = true;
        }
      } else {
        host_field(h, term.field, version, value);
        hit = contains(term.values, value);
      }
      if (any_term && hit) return true;
      if (!any_term && !hit) return false;
    }
    return !any_term;
  };

  std::string out;
  std::size_t returned = 0;
  {
    std::shared_lock lock(data_mutex_);
    // Candidates: by technical name or by id when the query names them, else every host.
    std::vector<std::size_t> candidates;
    const Term* by_name = nullptr;
    for (const Term& term : terms) {
      if (term.field == "host" && !any_term) by_name = &term;
    }
    if (by_name != nullptr || hostids) {
      if (by_name != nullptr) {
        for (const auto& name : by_name->values) {
          if (auto it = by_host_.find(name); it != by_host_.end()) candidates.push_back(it->second);
        }
      } else {
        for (std::uint64_t id : *hostids) {
          if (auto it = by_id_.find(id); it != by_id_.end()) candidates.push_back(it->second);
        }
      }
      std::sort(candidates.begin(), candidates.end());
      candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    } else {
      candidates.resize(hosts_.size());
      for (std::size_t i = 0; i < hosts_.size(); ++i) candidates[i] = i;
    }
    std::vector<const Host*> selected;
    selected.reserve(candidates.size());
    for (std::size_t index : candidates) {
      if (matches(hosts_[index])) selected.push_back(&hosts_[index]);
    }
    if (count_output) return json_string(std::to_string(selected.size()));
    if (!sort.empty()) {
      std::stable_sort(selected.begin(), selected.end(), [&](const Host* a, const Host* b) {
        for (const SortKey& key : sort) {
          int c = 0;
          if (key.field == "hostid") {
            c = a->hostid < b->hostid ? -1 : a->hostid > b->hostid ? 1 : 0;
          } else if (key.field == "status") {
            c = a->status - b->status;
          } else {
            const std::string& x = key.field == "host" ? a->host : a->name;
            const std::string& y = key.field == "host" ? b->host : b->name;
            c = x.compare(y);
          }
          if (c != 0) return key.descending ? c > 0 : c < 0;
        }
        return false;
      });
    }
    if (limit && selected.size() > *limit) selected.resize(*limit);
    returned = selected.size();
    out.reserve(selected.size() * 1200 + 2);
    HostWriter writer(query, version);
    if (preserve_keys && !selected.empty()) {
      out += '{';
      for (std::size_t i = 0; i < selected.size(); ++i) {
        if (i > 0) out += ',';
        put_number(out, selected[i]->hostid);
        out += ':';
        writer.write(out, *selected[i]);
      }
      out += '}';
    } else {
      out += '[';
      for (std::size_t i = 0; i < selected.size(); ++i) {
        if (i > 0) out += ',';
        writer.write(out, *selected[i]);
      }
      out += ']';
    }
  }
  counters_.count_hosts_returned(returned);
  return out;
}

}  // namespace jobhost::testing::fake_zabbix
