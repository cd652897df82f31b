// A host with the zabbix-host-sync plugin pointed at a fake Zabbix, on the test's store.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakes/zabbix/fake_zabbix.h"
#include "host/host.h"
#include "support/host_fixture.h"
#include "support/store_params.h"
#include "support/temp_dir.h"

namespace jobhost::testing {

class ZabbixPluginTest : public StoreTest {
 protected:
  // Starts the fake with `options`, then a host whose plugin section is `url`, `token` and
  // `settings_yaml` (lines "key: value", indented by the fixture).
  void start(FakeZabbixOptions options, const std::string& settings_yaml = "");
  // The failure tests' setup: 40 hosts (a quarter drifted) checked 5 per host.get, one request
  // at a time (apiinfo.version and 8 host.get per refresh), their HostConfigs imported.
  // `options` and `settings_yaml` add what the test provokes.
  void start_paged(FakeZabbixOptions options, const std::string& settings_yaml);
  // Reopens the host with other settings (the fake and the store stay).
  void reopen(const std::string& settings_yaml, const std::string& token = "fake-token");

  // Writes the fake's desired configs to a file and imports them.
  jobs::RunOutcome import_desired();
  jobs::RunOutcome run(const std::string& type,
                       std::vector<std::pair<std::string, std::string>> params = {});
  static nlohmann::json result(const jobs::RunOutcome& o);

  int64_t count(const std::string& where);
  std::optional<std::string> column(const std::string& column, const std::string& host);

  FakeZabbix& zabbix() { return *zabbix_; }
  Host& host() { return *host_; }
  TempDir& dir() { return dir_; }

 private:
  TempDir dir_{"zabbix-plugin"};
  std::unique_ptr<FakeZabbix> zabbix_;
  std::unique_ptr<Host> host_;
};

}  // namespace jobhost::testing
