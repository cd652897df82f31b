#include "fakes/zabbix/frontend.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "fakes/zabbix/generated_inventory.h"

namespace jobhost::testing::fake_zabbix {

Frontend::Frontend(FakeZabbixOptions options)
    : options_(std::move(options)),
      settings_(options_),
      credentials_(options_.token, options_.seed, options_.zabbix_session_errors) {
  auto check_fraction = [](double value, const char* name) {
    if (!(value >= 0.0 && value <= 1.0)) {
      throw std::invalid_argument(std::string("fake-zabbix: ") + name + " must be within 0..1");
    }
  };
  check_fraction(options_.drift, "drift");
  check_fraction(options_.missing, "missing");

  std::size_t n = options_.hosts;
  GeneratedInventory generated =
      generate_inventory(n, options_.drift, options_.missing, options_.seed);
  hosts_.reserve(generated.in_zabbix.size() + 64);
  by_host_.reserve(n);
  by_name_.reserve(n);
  by_id_.reserve(n);
  for (Host& h : generated.in_zabbix) insert_host(std::move(h));
  missing_ = std::move(generated.missing);
  drifted_ = std::move(generated.drifted);
  // Hosts created later never take the id of a missing generated host.
  next_hostid_ = std::max<std::uint64_t>(next_hostid_, 10000 + n);

  server_ = std::make_unique<HttpTestServer>(
      [this](const TestRequest& request) { return handle(request); },
      HttpTestServerOptions{options_.threads, options_.tls, options_.port});
}

void Frontend::insert_host(Host host) {
  for (Interface& i : host.interfaces) {
    if (i.interfaceid == 0) i.interfaceid = next_interfaceid_++;
    next_interfaceid_ = std::max(next_interfaceid_, i.interfaceid + 1);
  }
  next_hostid_ = std::max(next_hostid_, host.hostid + 1);
  std::size_t index = hosts_.size();
  by_host_.emplace(host.host, index);
  by_name_.emplace(host.name, index);
  by_id_.emplace(host.hostid, index);
  hosts_.push_back(std::move(host));
}

const Host* Frontend::find_host(std::uint64_t hostid) const {
  auto it = by_id_.find(hostid);
  return it == by_id_.end() ? nullptr : &hosts_[it->second];
}

}  // namespace jobhost::testing::fake_zabbix
