#include "fakes/zabbix/generated_inventory.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <utility>

#include "fakes/zabbix/catalogue.h"
#include "fakes/zabbix/deterministic_ids.h"
#include "fakes/zabbix/json_text.h"

namespace jobhost::testing::fake_zabbix {
namespace {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return mix64(state_);
  }
  std::uint64_t below(std::uint64_t n) { return next() % n; }

 private:
  std::uint64_t state_;
};

constexpr std::array<std::string_view, 9> kDriftFields = {
    "name",      "status",     "description",    "tags",        "groups",
    "templates", "interfaces", "inventory_mode", "monitored_by"};

constexpr std::array<std::string_view, 5> kRoles = {"web", "db", "app", "cache", "edge"};

std::vector<std::uint64_t> pick_distinct(Rng& rng, std::size_t count, std::uint64_t first,
                                         std::uint64_t last) {
  std::vector<std::uint64_t> out;
  while (out.size() < count) {
    std::uint64_t id = first + rng.below(last - first + 1);
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Changes one field of a drifted host; k, its rank among the drifted hosts, also alternates
// between the two kinds of interface drift (address and port).
void apply_drift(Host& h, std::string_view field, std::size_t k) {
  if (field == "name") {
    h.name += " (renamed)";
  } else if (field == "status") {
    h.status = 1;
  } else if (field == "description") {
    h.description = "edited by hand";
  } else if (field == "tags") {
    h.tags.back().second += "-old";
  } else if (field == "groups") {
    std::uint64_t g = h.groups.front();
    do {
      g = g % kGroupLast + 1;
    } while (std::find(h.groups.begin(), h.groups.end(), g) != h.groups.end());
    h.groups.front() = g;
    std::sort(h.groups.begin(), h.groups.end());
  } else if (field == "templates") {
    std::uint64_t t = h.templates.front();
    do {
      t = (t - kTemplateFirst + 1) % (kTemplateLast - kTemplateFirst + 1) + kTemplateFirst;
    } while (std::find(h.templates.begin(), h.templates.end(), t) != h.templates.end());
    h.templates.front() = t;
    std::sort(h.templates.begin(), h.templates.end());
  } else if (field == "interfaces") {
    if ((k / kDriftFields.size()) % 2 == 0) {
      h.interfaces.front().ip =
          "192.168." + std::to_string((h.hostid >> 8) & 255) + "." + std::to_string(h.hostid & 255);
    } else {
      h.interfaces.front().port = "10051";
    }
  } else if (field == "inventory_mode") {
    h.inventory_mode = 0;
    h.inventory.assign(kInventoryFields.size(), "");
  } else if (field == "monitored_by") {
    h.monitored_by = 1;
    h.proxyid = 1 + h.hostid % kProxyLast;
  }
}

}  // namespace

GeneratedInventory generate_inventory(std::size_t hosts, double drift_fraction,
                                      double missing_fraction, std::uint64_t seed) {
  // Which hosts are missing, which drift: a seeded partial shuffle, so the two sets are
  // disjoint and spread over the whole inventory.
  std::size_t n = hosts;
  auto n_missing =
      static_cast<std::size_t>(std::llround(static_cast<double>(n) * missing_fraction));
  auto n_drift = static_cast<std::size_t>(std::llround(static_cast<double>(n) * drift_fraction));
  n_missing = std::min(n_missing, n);
  n_drift = std::min(n_drift, n - n_missing);
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(i);
  Rng rng(mix64(seed ^ 0xD1F7D1F7ULL));
  for (std::size_t k = 0; k < n_missing + n_drift; ++k) {
    std::swap(order[k], order[k + rng.below(n - k)]);
  }
  std::vector<std::uint8_t> state(n, 0);  // 0 in sync, 1 missing, 2 drifted
  for (std::size_t k = 0; k < n_missing + n_drift; ++k) state[order[k]] = k < n_missing ? 1 : 2;

  GeneratedInventory inventory;
  inventory.in_zabbix.reserve(n - n_missing);
  for (std::size_t i = 0; i < n; ++i) {
    if (state[i] == 1) {
      inventory.missing.push_back(i);
      continue;
    }
    Host h = generate_host(i, seed);
    if (state[i] == 2) {
      std::size_t k = inventory.drifted.size();
      inventory.drifted.push_back(i);
      apply_drift(h, drift_field(k), k);
    }
    inventory.in_zabbix.push_back(std::move(h));
  }
  return inventory;
}

Host generate_host(std::size_t i, std::uint64_t seed) {
  Rng rng(mix64(seed) ^ mix64(i + 0x5151));
  Host h;
  h.hostid = 10000 + i;
  h.host = numbered("host-", i);
  h.name = numbered("Host ", i);
  h.description = "generated";
  h.groups = pick_distinct(rng, 1 + rng.below(2), kGroupFirst, kGroupLast);
  h.templates = pick_distinct(rng, 1 + rng.below(2), kTemplateFirst, kTemplateLast);
  h.tags = {{"site", "site-" + std::to_string(i % 50)},
            {"role", std::string(kRoles[rng.below(kRoles.size())])}};
  std::uint64_t n = i + 1;
  std::string ip = "10." + std::to_string((n >> 16) & 255) + "." + std::to_string((n >> 8) & 255) +
                   "." + std::to_string(n & 255);
  h.interfaces.push_back(Interface{0, 1, 1, 1, ip, "", "10050", "[]"});
  if (rng.below(4) == 0) {
    h.interfaces.push_back(Interface{0, 2, 1, 1, ip, "", "161", std::string(kSnmpDetails)});
  }
  return h;
}

std::string_view drift_field(std::size_t k) {
  return kDriftFields[k % kDriftFields.size()];
}

std::string numbered(const char* prefix, std::size_t i) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%s%06zu", prefix, i);
  return buffer;
}

// The plugin's import format (see FakeZabbix::desired_host_configs in fake_zabbix.h).
template <typename J>
J desired_config(const Host& h) {
  J config = J::object();
  config["host"] = h.host;
  config["name"] = h.name;
  config["status"] = h.status == 0 ? "enabled" : "disabled";
  config["description"] = h.description;
  config["monitored_by"] = monitored_by_name(h.monitored_by);
  config["proxyid"] = std::to_string(h.proxyid);
  config["proxy_groupid"] = std::to_string(h.proxy_groupid);
  config["inventory_mode"] = inventory_mode_name(h.inventory_mode);
  J groups = J::array();
  for (auto id : h.groups) groups.push_back(std::to_string(id));
  config["groups"] = std::move(groups);
  J templates = J::array();
  for (auto id : h.templates) templates.push_back(std::to_string(id));
  config["templates"] = std::move(templates);
  J tags = J::array();
  for (const auto& [tag, value] : h.tags) {
    J t = J::object();
    t["tag"] = tag;
    t["value"] = value;
    tags.push_back(std::move(t));
  }
  config["tags"] = std::move(tags);
  J interfaces = J::array();
  for (const auto& i : h.interfaces) {
    J entry = J::object();
    entry["type"] = interface_type_name(i.type);
    entry["main"] = i.main == 1;
    entry["useip"] = i.useip == 1;
    entry["ip"] = i.ip;
    entry["dns"] = i.dns;
    entry["port"] = i.port;
    interfaces.push_back(std::move(entry));
  }
  config["interfaces"] = std::move(interfaces);
  return config;
}

template json desired_config<json>(const Host& h);
template ojson desired_config<ojson>(const Host& h);

}  // namespace jobhost::testing::fake_zabbix
