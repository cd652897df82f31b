#include "hedgehog_fixture.h"

#include <algorithm>

#include "config/loader.h"
#include "support/sql_probe.h"

namespace jobhost::testing {

FakeKubernetes& HedgehogPluginTest::add_fabric(const std::string& fabric,
                                               FakeKubernetesOptions options) {
  auto& fake = fakes_[fabric];
  fake = std::make_unique<FakeKubernetes>(std::move(options));
  return *fake;
}

std::string HedgehogPluginTest::section(const std::map<std::string, std::string>& extra,
                                        const std::string& settings) const {
  std::string yaml = "  hedgehog-fabric-sync:\n    fabrics:\n";
  for (const auto& [name, fake] : fakes_) {
    auto it = extra.find(name);
    if (it != extra.end() && it->second == "absent") continue;  // left out of the YAML
    yaml += "      - {name: " + name + ", url: \"" + fake->url() + "\", token: fake-k8s-token";
    if (it != extra.end() && !it->second.empty()) yaml += ", " + it->second;
    yaml += "}\n";
  }
  if (!settings.empty()) yaml += "    " + settings + "\n";
  return yaml;
}

config::HostConfig HedgehogPluginTest::config(const std::map<std::string, std::string>& extra,
                                              const std::string& settings) const {
  HostSetup setup;
  setup.store = target();
  setup.plugin_files = {built_plugin("hedgehog-fabric-sync")};
  setup.plugins_yaml = section(extra, settings);
  return config::load_config_string(host_yaml(setup), "jobhost.yaml");
}

void HedgehogPluginTest::open(const std::map<std::string, std::string>& extra,
                              const std::string& settings) {
  host_.reset();
  host_ = Host::open(config(extra, settings));
  ASSERT_TRUE(host_->refusals().empty()) << host_->refusals().front().reason;
}

jobs::RunOutcome HedgehogPluginTest::run(const std::string& type,
                                         std::vector<std::pair<std::string, std::string>> params) {
  return host_->run_now(type, params);
}

jobs::RunOutcome HedgehogPluginTest::sync(const std::string& fabric) {
  return run("hedgehog.fabric_sync", {{"fabric", fabric}});
}

nlohmann::json HedgehogPluginTest::result(const jobs::RunOutcome& o) {
  return o.result ? nlohmann::json::parse(*o.result) : nlohmann::json();
}

nlohmann::json HedgehogPluginTest::status(const std::string& fabric) {
  auto o = run("hedgehog.status");
  EXPECT_EQ(o.status, jobs::JobStatus::completed) << o.error;
  const auto all = result(o);
  for (const auto& f : all["fabrics"])
    if (f["name"] == fabric) return f;
  ADD_FAILURE() << "no fabric " << fabric << " in " << all.dump();
  return nullptr;
}

std::vector<jobs::EventRecord> HedgehogPluginTest::plugin_events(int64_t job_id) {
  jobs::EventFilter f;
  f.job_id = job_id;
  auto all = host_->jobs().events(f);
  std::vector<jobs::EventRecord> out;
  for (auto& e : all)
    if (e.message.rfind("fabric ", 0) == 0) out.push_back(std::move(e));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

int64_t HedgehogPluginTest::count(const std::string& sql) {
  return scalar(host_->session(), sql);
}

std::optional<std::string> HedgehogPluginTest::text(const std::string& sql) {
  return testing::text(host_->session(), sql);
}

}  // namespace jobhost::testing
