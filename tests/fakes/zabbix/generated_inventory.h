#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fakes/zabbix/host.h"

// The generated inventory, deterministic from (hosts, drift, missing, seed): host-000000 ...
// host-<hosts-1> as the desired configs describe them, and the Zabbix side of it with some
// hosts missing and some drifted in exactly one field, so a sync run has known work to find.
namespace jobhost::testing::fake_zabbix {

struct GeneratedInventory {
  std::vector<Host> in_zabbix;       // in host order, drift applied
  std::vector<std::size_t> missing;  // host numbers, ascending
  std::vector<std::size_t> drifted;  // host numbers, ascending; the k-th has drift_field(k)
};

// Fractions within 0..1 (checked by the caller).
GeneratedInventory generate_inventory(std::size_t hosts, double drift_fraction,
                                      double missing_fraction, std::uint64_t seed);

// Generated host number i as its desired config describes it (before any drift).
Host generate_host(std::size_t i, std::uint64_t seed);
// Which field the k-th drifted host (in host order) has changed: they take turns.
std::string_view drift_field(std::size_t k);
// "host-000042" for numbered("host-", 42).
std::string numbered(const char* prefix, std::size_t i);

// The plugin's import format (see FakeZabbix::desired_host_configs); J is nlohmann::json or
// nlohmann::ordered_json.
template <typename J>
J desired_config(const Host& h);

}  // namespace jobhost::testing::fake_zabbix
