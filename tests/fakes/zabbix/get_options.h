#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fakes/zabbix/json_text.h"
#include "fakes/zabbix/params.h"

// The options every *.get method shares (CApiService): output and select*, sorting, limit,
// and the flags PHP takes for true when they are merely non-empty.
namespace jobhost::testing::fake_zabbix {

// One select*/output parameter: "extend", "count" or a list of fields.
struct Select {
  bool extend = true;
  bool count = false;
  std::vector<std::string> fields;

  bool wants(std::string_view field) const { return extend || contains(fields, field); }
};

// API_OUTPUT validation (only where real Zabbix validates: `allowed` not empty). nullopt when
// the parameter is absent or null.
std::optional<Select> parse_select(const ojson* value, const std::string& path,
                                   const std::vector<std::string_view>& allowed, bool allow_count);

struct SortKey {
  std::string field;
  bool descending = false;
};

// sortfield/sortorder; a field outside `columns` or an unknown order throws -32602.
std::vector<SortKey> read_sort(const ojson& params, const std::vector<std::string_view>& columns);
std::optional<std::size_t> read_limit(const ojson& params);
bool truthy(const ojson* value);

// Sorts catalogue objects (groups, templates) by `sort`: `id_field` by number, any other
// field by the object's name.
void sort_catalogue(std::vector<std::uint64_t>& ids, const std::vector<SortKey>& sort,
                    std::string_view id_field,
                    const std::function<std::string(std::uint64_t)>& name);
// A *.get result: a list of objects, or with preservekeys a map from id to object; `members`
// writes each object's fields.
std::string write_objects(const std::vector<std::uint64_t>& ids, bool preserve_keys,
                          const std::function<void(Members&, std::uint64_t)>& members);

}  // namespace jobhost::testing::fake_zabbix
