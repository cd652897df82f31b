#pragma once

#include <string>

// The Zabbix versions the fake tells apart. Every rule that differs between releases asks
// one of these questions, so the version boundaries live in one place.
namespace jobhost::testing::fake_zabbix {

struct ApiVersion {
  int major = 7;
  int minor = 0;

  bool before(int ma, int mi) const { return major < ma || (major == ma && minor < mi); }
  // Up to 6.4: proxy_hostid instead of monitored_by/proxyid/proxy_groupid.
  bool v64() const { return before(7, 0); }
  // 7.2 and later: no "auth" in the request body, no selectGroups.
  bool v72() const { return !before(7, 2); }
};

// "7.0.0", "6.4", "7.2.1rc1": the leading major.minor. Throws std::invalid_argument.
ApiVersion parse_version(const std::string& text);

}  // namespace jobhost::testing::fake_zabbix
