// Zabbix host objects <-> HostConfig, per API version: 6.4 names the proxy `proxy_hostid`
// and has no `monitored_by`/`proxy_groupid`; 7.2 removed `selectGroups` (`selectHostGroups`
// exists since 6.2). Zabbix sends every scalar as a string.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "desired_config.h"
#include "zabbix_client.h"

namespace zhs {

// host.get parameters that fetch everything a config check compares, for these hosts.
nlohmann::json host_get_params(const std::vector<std::string>& technical_names, ApiVersion v);

struct ObservedHost {
  std::string hostid;
  HostConfig config;
};

// One element of host.get's result. Throws std::runtime_error naming the field when the
// object is not what Zabbix sends.
ObservedHost parse_host(const nlohmann::json& host, ApiVersion v);

// host.create (without hostid) / host.update (with) parameters for `desired`.
nlohmann::json host_write_params(const HostConfig& desired, const std::string& hostid,
                                 ApiVersion v);

}  // namespace zhs
