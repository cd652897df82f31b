// A host with the meraki-sync plugin whose API is a fake Meraki Dashboard on 127.0.0.1, on the
// test's store.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakes/meraki/fake_meraki.h"
#include "host/host.h"
#include "support/host_fixture.h"
#include "support/store_params.h"
#include "support/temp_dir.h"

namespace jobhost::testing {

class MerakiPluginTest : public StoreTest {
 protected:
  FakeMeraki& start_fake(FakeMerakiOptions options = {});
  FakeMeraki& fake() { return *fake_; }

  // The plugin's section: api_key and base_url of the fake, then `settings` lines (YAML at
  // the section's indentation, e.g. "scheduled_sync_mode: auto").
  std::string section(const std::vector<std::string>& settings = {}) const;
  config::HostConfig config(const std::vector<std::string>& settings = {},
                            const std::string& schedules_yaml = "") const;
  // (Re)opens the host; the store and the fake stay. Fails the test if the plugin is refused.
  void open(const std::vector<std::string>& settings = {});
  // Opens a host that may refuse the plugin; returns it.
  std::unique_ptr<Host> open_maybe_refused(const std::vector<std::string>& settings,
                                           const std::string& schedules_yaml = "");

  jobs::RunOutcome run(const std::string& type,
                       std::vector<std::pair<std::string, std::string>> params = {});
  jobs::RunOutcome sync(const std::string& mode);
  static nlohmann::json result(const jobs::RunOutcome& o);

  int64_t count(const std::string& sql);
  std::optional<std::string> text(const std::string& sql);
  int64_t devices() { return count("SELECT COUNT(*) FROM meraki_devices"); }
  int64_t sites() { return count("SELECT COUNT(*) FROM meraki_sites"); }
  int64_t change_sets() { return count("SELECT COUNT(*) FROM meraki_change_sets"); }
  // Every device the fake serves for every organization, with its status.
  size_t fake_devices();

  Host& host() { return *host_; }
  TempDir& dir() { return dir_; }

 private:
  TempDir dir_{"meraki-plugin"};
  std::unique_ptr<FakeMeraki> fake_;
  std::unique_ptr<Host> host_;
};

}  // namespace jobhost::testing
