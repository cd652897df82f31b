// A host with the hedgehog-fabric-sync plugin whose fabrics are fake Kubernetes API servers
// on 127.0.0.1, on the test's store.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakes/kubernetes/fake_kubernetes.h"
#include "host/host.h"
#include "support/host_fixture.h"
#include "support/store_params.h"
#include "support/temp_dir.h"

namespace jobhost::testing {

class HedgehogPluginTest : public StoreTest {
 protected:
  // Starts a fake API server for `fabric` (a fabric of the configuration from now on).
  FakeKubernetes& add_fabric(const std::string& fabric, FakeKubernetesOptions options = {});
  FakeKubernetes& fake(const std::string& fabric) { return *fakes_.at(fabric); }

  // The YAML of the plugin section: one entry per fabric added, each `{name, url, token}` plus
  // its `extra` keys ("sync_interval: 60, ca_file: /x"), then `settings` lines.
  std::string section(const std::map<std::string, std::string>& extra = {},
                      const std::string& settings = "") const;
  config::HostConfig config(const std::map<std::string, std::string>& extra = {},
                            const std::string& settings = "") const;
  // (Re)opens the host, as a start or restart does; the store and the fakes stay.
  void open(const std::map<std::string, std::string>& extra = {}, const std::string& settings = "");

  jobs::RunOutcome run(const std::string& type,
                       std::vector<std::pair<std::string, std::string>> params = {});
  jobs::RunOutcome sync(const std::string& fabric);
  static nlohmann::json result(const jobs::RunOutcome& o);
  // The fabric's entry in hedgehog.status.
  nlohmann::json status(const std::string& fabric);

  // The events the plugin emitted for one job (the host's own left out), oldest first.
  std::vector<jobs::EventRecord> plugin_events(int64_t job_id);

  int64_t count(const std::string& sql);
  std::optional<std::string> text(const std::string& sql);

  Host& host() { return *host_; }
  TempDir& dir() { return dir_; }

 private:
  TempDir dir_{"hedgehog-plugin"};
  std::map<std::string, std::unique_ptr<FakeKubernetes>> fakes_;
  std::unique_ptr<Host> host_;
};

}  // namespace jobhost::testing
