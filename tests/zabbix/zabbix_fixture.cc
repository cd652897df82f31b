#include "zabbix_fixture.h"

#include <sstream>

#include "support/sql_probe.h"

namespace jobhost::testing {

void ZabbixPluginTest::start(FakeZabbixOptions options, const std::string& settings_yaml) {
  zabbix_ = std::make_unique<FakeZabbix>(std::move(options));
  reopen(settings_yaml);
}

void ZabbixPluginTest::reopen(const std::string& settings_yaml, const std::string& token) {
  host_.reset();
  HostSetup setup;
  setup.store = target();
  setup.plugin_files = {built_plugin("zabbix-host-sync")};
  std::string yaml =
      "  zabbix-host-sync:\n    url: " + zabbix_->url() + "\n    token: " + token + "\n";
  std::istringstream lines(settings_yaml);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) yaml += "    " + line + "\n";
  setup.plugins_yaml = yaml;
  host_ = open_test_host(setup);
  ASSERT_TRUE(host_->refusals().empty()) << host_->refusals().front().reason;
}

void ZabbixPluginTest::start_paged(FakeZabbixOptions options, const std::string& settings_yaml) {
  options.hosts = 40;
  options.drift = 0.25;
  start(options, "batch_size: 5\nmax_in_flight: 1\n" + settings_yaml);
  if (HasFatalFailure()) return;
  ASSERT_EQ(import_desired().status, jobs::JobStatus::completed);
}

jobs::RunOutcome ZabbixPluginTest::import_desired() {
  const auto file = dir_.file("desired.json");
  zabbix_->write_desired(file);
  return run("zabbix.import_host_configs", {{"file", file.string()}});
}

jobs::RunOutcome ZabbixPluginTest::run(const std::string& type,
                                       std::vector<std::pair<std::string, std::string>> params) {
  return host_->run_now(type, params);
}

nlohmann::json ZabbixPluginTest::result(const jobs::RunOutcome& o) {
  if (!o.result) return nlohmann::json();
  return nlohmann::json::parse(*o.result);
}

int64_t ZabbixPluginTest::count(const std::string& where) {
  return scalar(host_->session(), "SELECT COUNT(*) FROM zabbix_host_configs WHERE " + where);
}

std::optional<std::string> ZabbixPluginTest::column(const std::string& column,
                                                    const std::string& host) {
  return text(host_->session(),
              "SELECT " + column + " FROM zabbix_host_configs WHERE host = '" + host + "'");
}

}  // namespace jobhost::testing
