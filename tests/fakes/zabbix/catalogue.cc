#include "fakes/zabbix/catalogue.h"

#include "fakes/zabbix/deterministic_ids.h"
#include "fakes/zabbix/params.h"

namespace jobhost::testing::fake_zabbix {

bool known_group(std::uint64_t id) {
  return id >= kGroupFirst && id <= kGroupLast;
}
bool known_template(std::uint64_t id) {
  return id >= kTemplateFirst && id <= kTemplateLast;
}
bool known_proxy(std::uint64_t id) {
  return id >= 1 && id <= kProxyLast;
}
bool known_proxy_group(std::uint64_t id) {
  return id >= 1 && id <= kProxyGroupLast;
}

std::string group_name(std::uint64_t id) {
  return "Group " + std::to_string(id);
}
std::string template_name(std::uint64_t id) {
  return "Template " + std::to_string(id - 10000);
}

std::string uuid_of(std::uint64_t kind, std::uint64_t id) {
  return hex128(mix64(kind * 1000003 + id), mix64(id * 7919 + kind));
}

std::optional<std::uint64_t> template_by_name(std::string_view name) {
  constexpr std::string_view prefix = "Template ";
  if (name.substr(0, prefix.size()) != prefix) return std::nullopt;
  std::string_view rest = name.substr(prefix.size());
  if (!all_digits(rest) || rest.size() > 4 || rest[0] == '0') return std::nullopt;
  std::uint64_t id = 10000 + std::stoull(std::string(rest));
  return known_template(id) ? std::optional(id) : std::nullopt;
}

const std::vector<std::string_view>& group_output_fields() {
  static const std::vector<std::string_view> fields = {"groupid", "name", "flags", "uuid"};
  return fields;
}

}  // namespace jobhost::testing::fake_zabbix
