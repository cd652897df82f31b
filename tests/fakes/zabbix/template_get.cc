#include "fakes/zabbix/frontend.h"

#include <algorithm>
#include <functional>
#include <set>
#include <shared_mutex>

#include "fakes/zabbix/catalogue.h"
#include "fakes/zabbix/get_options.h"
#include "fakes/zabbix/params.h"
#include "fakes/zabbix/rpc_errors.h"

// template.get over the fixed catalogue of templates: the lookups a client makes by name or
// id, or for the templates of some hosts.
namespace jobhost::testing::fake_zabbix {

std::string Frontend::template_get(const ojson& params, const RequestSettings& settings) {
  const ojson& p = params.is_object() ? params : empty_object();
  static const std::set<std::string, std::less<>> implemented = {
      "templateids", "hostids",   "filter", "output",   "countOutput",  "preservekeys",
      "sortfield",   "sortorder", "limit",  "editable", "nopermissions"};
  for (const auto& item : p.items()) {
    if (implemented.contains(item.key())) continue;
    if (settings.strict) throw_params(invalid("/", unexpected(item.key())));
  }
  Select fields;
  if (const ojson* output = given(p, "output")) {
    if (output->is_array()) {
      fields.extend = false;
      for (const auto& f : *output) {
        if (f.is_string()) fields.fields.push_back(f.get<std::string>());
      }
    } else if (!(output->is_string() && *output == "extend")) {
      fields.extend = false;
    }
  }
  std::vector<std::pair<std::string, std::vector<std::string>>> terms;
  if (const ojson* filter = given(p, "filter"); filter && filter->is_object()) {
    for (const auto& item : filter->items()) {
      if (item.key() == "host" || item.key() == "name" || item.key() == "templateid") {
        if (!item.value().is_null()) terms.emplace_back(item.key(), scalar_list(item.value()));
      }
    }
  }
  std::optional<std::vector<std::uint64_t>> templateids;
  if (const ojson* v = given(p, "templateids")) templateids = id_list(*v);
  std::optional<std::set<std::uint64_t>> of_hosts;
  if (const ojson* v = given(p, "hostids")) {
    of_hosts.emplace();
    std::shared_lock lock(data_mutex_);
    for (std::uint64_t hostid : id_list(*v)) {
      if (const Host* h = find_host(hostid))
        of_hosts->insert(h->templates.begin(), h->templates.end());
    }
  }
  static const std::vector<std::string_view> sort_columns = {"hostid", "host", "name"};
  std::vector<SortKey> sort = read_sort(p, sort_columns);
  std::optional<std::size_t> limit = read_limit(p);
  std::vector<std::uint64_t> selected;
  for (std::uint64_t id = kTemplateFirst; id <= kTemplateLast; ++id) {
    if (templateids &&
        std::find(templateids->begin(), templateids->end(), id) == templateids->end()) {
      continue;
    }
    if (of_hosts && !of_hosts->contains(id)) continue;
    bool ok = true;
    for (const auto& [field, values] : terms) {
      std::string value = field == "templateid" ? std::to_string(id) : template_name(id);
      ok = ok && contains(values, value);
    }
    if (ok) selected.push_back(id);
  }
  if (truthy(given(p, "countOutput"))) return json_string(std::to_string(selected.size()));
  sort_catalogue(selected, sort, "hostid", template_name);
  if (limit && selected.size() > *limit) selected.resize(*limit);
  return write_objects(selected, truthy(given(p, "preservekeys")),
                       [&](Members& m, std::uint64_t id) {
                         m.string("templateid", std::to_string(id));
                         if (fields.wants("host")) m.string("host", template_name(id));
                         if (fields.wants("name")) m.string("name", template_name(id));
                         if (fields.wants("description")) m.string("description", "");
                         if (fields.wants("status")) m.string("status", "3");
                         if (fields.wants("uuid")) m.string("uuid", uuid_of(2, id));
                       });
}

}  // namespace jobhost::testing::fake_zabbix
