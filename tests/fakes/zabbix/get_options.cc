#include "fakes/zabbix/get_options.h"

#include <algorithm>

#include "fakes/zabbix/rpc_errors.h"

namespace jobhost::testing::fake_zabbix {

std::optional<Select> parse_select(const ojson* value, const std::string& path,
                                   const std::vector<std::string_view>& allowed, bool allow_count) {
  if (value == nullptr || value->is_null()) return std::nullopt;
  Select select;
  bool validate = !allowed.empty();
  if (value->is_string()) {
    const auto& text = value->get_ref<const std::string&>();
    if (text == "extend") return select;
    if (text == "count" && allow_count) {
      select.extend = false;
      select.count = true;
      return select;
    }
    if (validate) {
      throw_params(invalid(path, allow_count ? R"(value must be one of "extend", "count")"
                                             : R"(value must be "extend")"));
    }
    select.extend = false;  // an unknown word selects nothing
    return select;
  }
  if (value->is_array() || value->is_object()) {
    select.extend = false;
    std::size_t index = 0;
    for (const auto& item : *value) {
      std::string item_path = child(path, index++);
      if (!item.is_string()) {
        if (validate) throw_params(invalid(item_path, "a character string is expected"));
        continue;
      }
      const auto& field = item.get_ref<const std::string&>();
      if (validate) {
        if (std::find(allowed.begin(), allowed.end(), field) == allowed.end()) {
          std::string list;
          for (auto name : allowed)
            list += (list.empty() ? "\"" : ", \"") + std::string(name) + '"';
          throw_params(invalid(item_path, "value must be one of " + list));
        }
        if (contains(select.fields, field)) {
          throw_params(invalid(item_path, "value (" + field + ") already exists"));
        }
      }
      select.fields.push_back(field);
    }
    return select;
  }
  if (validate) throw_params(invalid(path, "an array or a character string is expected"));
  return select;
}

std::vector<SortKey> read_sort(const ojson& params, const std::vector<std::string_view>& columns) {
  std::vector<SortKey> keys;
  const ojson* sortfield = given(params, "sortfield");
  if (sortfield == nullptr) return keys;
  std::vector<std::string> fields = scalar_list(*sortfield);
  std::vector<std::string> orders;
  if (const ojson* sortorder = given(params, "sortorder")) orders = scalar_list(*sortorder);
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].empty()) continue;
    if (std::find(columns.begin(), columns.end(), fields[i]) == columns.end()) {
      throw_params("Sorting by field \"" + fields[i] + "\" not allowed.");
    }
    std::string order = orders.empty() ? "ASC" : orders[std::min(i, orders.size() - 1)];
    if (order != "ASC" && order != "DESC") {
      throw_params("Sorting order \"" + order + "\" not allowed.");
    }
    keys.push_back(SortKey{fields[i], order == "DESC"});
  }
  return keys;
}

std::optional<std::size_t> read_limit(const ojson& params) {
  const ojson* limit = given(params, "limit");
  if (limit == nullptr) return std::nullopt;
  auto n = int_value(*limit);
  if (!n || *n <= 0) return std::nullopt;  // zbx_ctype_digit() and non-zero, else no limit
  return static_cast<std::size_t>(*n);
}

bool truthy(const ojson* value) {
  if (value == nullptr || value->is_null()) return false;
  if (value->is_boolean()) return value->get<bool>();
  if (auto n = int_value(*value)) return *n != 0;
  if (value->is_string()) return !value->get_ref<const std::string&>().empty();
  return true;
}

void sort_catalogue(std::vector<std::uint64_t>& ids, const std::vector<SortKey>& sort,
                    std::string_view id_field,
                    const std::function<std::string(std::uint64_t)>& name) {
  if (sort.empty()) return;
  std::stable_sort(ids.begin(), ids.end(), [&](std::uint64_t a, std::uint64_t b) {
    for (const SortKey& key : sort) {
      int c = key.field == id_field ? (a < b ? -1 : a > b ? 1 : 0) : name(a).compare(name(b));
      if (c != 0) return key.descending ? c > 0 : c < 0;
    }
    return false;
  });
}

std::string write_objects(const std::vector<std::uint64_t>& ids, bool preserve_keys,
                          const std::function<void(Members&, std::uint64_t)>& members) {
  const bool as_map = preserve_keys && !ids.empty();
  std::string out = as_map ? "{" : "[";
  for (std::size_t n = 0; n < ids.size(); ++n) {
    if (n > 0) out += ',';
    if (as_map) {
      append_quoted(out, std::to_string(ids[n]));
      out += ':';
    }
    out += '{';
    Members m(out);
    members(m, ids[n]);
    out += '}';
  }
  out += as_map ? "}" : "]";
  return out;
}

}  // namespace jobhost::testing::fake_zabbix
