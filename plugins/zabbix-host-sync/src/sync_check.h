// Checking stored HostConfigs against Zabbix: one host.get per batch of hosts, a bounded
// number in flight, the outcomes written back in bulk and an event for each host whose state
// changed. Any Zabbix or transport failure throws: the run errors and nothing is stamped.
#pragma once

#include <cstdint>
#include <vector>

#include <jobhost/sdk.hpp>

#include "config_table.h"
#include "zabbix_client.h"

namespace zhs {

struct CheckSummary {
  int64_t checked = 0;  // compared with what Zabbix has
  int64_t in_sync = 0;
  int64_t out_of_sync = 0;
  int64_t failed = 0;  // could not be compared (e.g. no such host in Zabbix)
  int64_t hosts_returned = 0;
};

CheckSummary check_and_stamp(jobhost::Run& run, ZabbixClient& client, ConfigTable& table,
                             const std::vector<StoredConfig>& configs);

}  // namespace zhs
