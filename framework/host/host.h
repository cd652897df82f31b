// The host: configuration -> store (opened and migrated) -> plugins (loaded, negotiated,
// settings validated, migrated, initialized). What every command and the daemon start from.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/host_config.h"
#include "jobs/duration_stats.h"
#include "jobs/job_store.h"
#include "jobs/runner.h"
#include "plugin/registry.h"
#include "store/database.h"

namespace jobhost::http {
class HttpClient;
}

namespace jobhost {

// A plugin file the host did not load, and why. The host keeps running without it.
struct PluginRefusal {
  std::string file;
  std::string reason;
};

struct PluginCandidate;

struct HostOptions {
  bool load_plugins = true;
};

class Host {
 public:
  // Throws store::StoreError / store::MigrationError when the store cannot be used: without
  // a store the host cannot run. A bad plugin is refused and logged, never fatal.
  static std::unique_ptr<Host> open(const config::HostConfig& config, HostOptions options = {});
  ~Host();

  const config::HostConfig& config() const { return config_; }
  const std::string& name() const { return config_.host_name; }
  // This process among the host's processes: "<name>/<pid>.<random>". Jobs record it as who runs
  // them (several processes on one machine share the name: a daemon and a `tick`).
  const std::string& instance() const { return instance_; }
  store::Database& database() { return *database_; }
  // The session of the thread that opened the host (commands use it; workers open their own).
  store::Session& session() { return *session_; }
  jobs::JobStore& jobs() { return *job_store_; }
  plugin::PluginRegistry& plugins() { return registry_; }
  // The plugin files the last load or reload refused (a copy: a reload may replace them).
  std::vector<PluginRefusal> refusals() const;
  jobs::DurationStats& durations() { return durations_; }
  jobs::RunnerOptions runner_options() const;

  // The job type (its plugin stays loaded while it is held), or throws std::invalid_argument
  // naming the loaded types.
  std::shared_ptr<const plugin::JobTypeSpec> job_type(const std::string& name) const;

  // Enqueue a job of `type` with text parameters (`--param k=v`). Throws jobs::ParamError,
  // jobs::SingletonConflict, store::StoreError.
  int64_t enqueue(const std::string& type,
                  const std::vector<std::pair<std::string, std::string>>& params,
                  const std::string& origin = "manual", Micros scheduled_at = 0);

  // A reload's plugin files (the daemon's SIGHUP): a file not loaded yet (a drop-in copied into
  // a plugin directory, or one refused before) is loaded; a loaded plugin whose file is gone is
  // retired (no new runs; unloaded by reap_retired_plugins once its running jobs finished).
  // A file replaced in place keeps running its old code until a restart. Returns a line per
  // change or refusal (also logged).
  std::vector<std::string> reload_plugins(const config::HostConfig& config);
  // Unloads the retired plugins nothing uses any more; returns a line for each (also logged).
  std::vector<std::string> reap_retired_plugins();

  // After a reload: each loaded plugin whose section of `config` changed gets the new settings
  // through its reconfigure callback (ABI 1.2). One whose new section is invalid, that refuses
  // it, or that has no such callback keeps its previous settings. Returns a line per plugin
  // whose settings changed or were refused (also logged).
  std::vector<std::string> reconfigure_plugins(const config::HostConfig& config);

  // Enqueue and run it here and now on this thread; returns its committed outcome.
  jobs::RunOutcome run_now(const std::string& type,
                           const std::vector<std::pair<std::string, std::string>>& params);

 private:
  explicit Host(config::HostConfig config);
  void load_plugins();
  std::vector<std::string> sync_plugins(const config::HostConfig& config, bool reloading);
  // Loads an opened plugin file; the reason it was refused, or empty once it runs.
  std::string load_candidate(PluginCandidate& candidate, const config::HostConfig& config,
                             bool reloading);

  config::HostConfig config_;
  std::string instance_;
  std::unique_ptr<store::Database> database_;
  std::unique_ptr<store::Session> session_;
  std::unique_ptr<jobs::JobStore> job_store_;
  std::shared_ptr<http::HttpClient> http_;
  jobs::DurationStats durations_;
  mutable std::mutex refusals_mutex_;
  std::vector<PluginRefusal> refusals_;
  plugin::PluginRegistry registry_;  // last: unloaded first, before the store closes
};

}  // namespace jobhost
