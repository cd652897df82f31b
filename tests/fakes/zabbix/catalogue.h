#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The fixed catalogue next to the hosts: host groups 1..50 ("Group N"), templates
// 10001..10100 ("Template N"), proxies 1..10 and proxy groups 1..5. Nothing changes them, so
// they are ranges rather than tables.
namespace jobhost::testing::fake_zabbix {

inline constexpr std::uint64_t kGroupFirst = 1;
inline constexpr std::uint64_t kGroupLast = 50;
inline constexpr std::uint64_t kTemplateFirst = 10001;
inline constexpr std::uint64_t kTemplateLast = 10100;
inline constexpr std::uint64_t kProxyLast = 10;
inline constexpr std::uint64_t kProxyGroupLast = 5;

bool known_group(std::uint64_t id);
bool known_template(std::uint64_t id);
bool known_proxy(std::uint64_t id);
bool known_proxy_group(std::uint64_t id);

std::string group_name(std::uint64_t id);
std::string template_name(std::uint64_t id);
// A stable uuid per object; `kind` 1 for host groups, 2 for templates.
std::string uuid_of(std::uint64_t kind, std::uint64_t id);
// Template technical (and visible) names, for host.create's name clash check.
std::optional<std::uint64_t> template_by_name(std::string_view name);

// The fields of a host group object (hostgroup.get output, host.get selectHostGroups).
const std::vector<std::string_view>& group_output_fields();

}  // namespace jobhost::testing::fake_zabbix
