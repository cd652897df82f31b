#include "meraki_fixture.h"

#include "config/loader.h"
#include "support/sql_probe.h"

namespace jobhost::testing {

FakeMeraki& MerakiPluginTest::start_fake(FakeMerakiOptions options) {
  fake_ = std::make_unique<FakeMeraki>(std::move(options));
  return *fake_;
}

std::string MerakiPluginTest::section(const std::vector<std::string>& settings) const {
  std::string yaml =
      "  meraki-sync:\n    api_key: fake-meraki-key\n    base_url: \"" + fake_->api_url() + "\"\n";
  for (const auto& s : settings) yaml += "    " + s + "\n";
  return yaml;
}

config::HostConfig MerakiPluginTest::config(const std::vector<std::string>& settings,
                                            const std::string& schedules_yaml) const {
  HostSetup setup;
  setup.store = target();
  setup.plugin_files = {built_plugin("meraki-sync")};
  setup.plugins_yaml = section(settings);
  return config::load_config_string(
      host_yaml(setup) + (schedules_yaml.empty() ? "" : "schedules:\n" + schedules_yaml),
      "jobhost.yaml");
}

void MerakiPluginTest::open(const std::vector<std::string>& settings) {
  host_.reset();
  host_ = Host::open(config(settings));
  ASSERT_TRUE(host_->refusals().empty()) << host_->refusals().front().reason;
}

std::unique_ptr<Host> MerakiPluginTest::open_maybe_refused(const std::vector<std::string>& settings,
                                                           const std::string& schedules_yaml) {
  host_.reset();
  return Host::open(config(settings, schedules_yaml));
}

jobs::RunOutcome MerakiPluginTest::run(const std::string& type,
                                       std::vector<std::pair<std::string, std::string>> params) {
  return host_->run_now(type, params);
}

jobs::RunOutcome MerakiPluginTest::sync(const std::string& mode) {
  return run("meraki.sync", {{"mode", mode}});
}

nlohmann::json MerakiPluginTest::result(const jobs::RunOutcome& o) {
  return o.result ? nlohmann::json::parse(*o.result) : nlohmann::json();
}

int64_t MerakiPluginTest::count(const std::string& sql) {
  return scalar(host_->session(), sql);
}

std::optional<std::string> MerakiPluginTest::text(const std::string& sql) {
  return testing::text(host_->session(), sql);
}

size_t MerakiPluginTest::fake_devices() {
  size_t n = 0;
  for (const auto& org : fake_->organization_ids()) n += fake_->devices(org).size();
  return n;
}

}  // namespace jobhost::testing
