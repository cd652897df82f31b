// The plugins this host has loaded and the job types they declare; refuses a second plugin
// of the same name or a job type already declared by another plugin.
//
// A daemon's reload adds and retires plugins while workers run jobs and HTTP threads read the
// list, so every lookup returns shared pointers: a job type found here keeps its plugin's code
// mapped until the caller lets go, and a retired plugin is unloaded (reap_retired) only once
// nothing refers to it any more, i.e. once its running jobs finished.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "plugin/loader.h"
#include "plugin/plugin_spec.h"

namespace jobhost::services {
struct PluginRuntime;
}

namespace jobhost::plugin {

// The file a plugin was loaded from, as it was then (a copy over it is a new file).
struct FileIdentity {
  uint64_t device = 0, inode = 0;
  int64_t modified_ns = 0;
  bool operator==(const FileIdentity&) const = default;
};
std::optional<FileIdentity> identity_of(const std::string& path);

struct LoadedPlugin {
  PluginSpec spec;
  std::unique_ptr<PluginLibrary> library;
  FileIdentity file;
  bool initialized = false;
  // Host-side state lent to the plugin (settings, logger, its context); owned here.
  std::shared_ptr<services::PluginRuntime> runtime;

  // Calls shutdown (once, if init succeeded); the code is unloaded when the object goes.
  void shut_down();
  ~LoadedPlugin();
};

// A job type with the plugin that declares it: both stay valid while `plugin` is held.
struct JobTypeEntry {
  std::shared_ptr<const JobTypeSpec> type;  // aliases `plugin`
  std::shared_ptr<LoadedPlugin> plugin;
  explicit operator bool() const { return type != nullptr; }
};

class PluginRegistry {
 public:
  PluginRegistry() = default;
  PluginRegistry(const PluginRegistry&) = delete;
  PluginRegistry& operator=(const PluginRegistry&) = delete;
  ~PluginRegistry();

  // Why `spec` cannot join (duplicate plugin name or job type), or nullopt if it can.
  std::optional<std::string> conflict(const PluginSpec& spec) const;
  // Publishes an initialized plugin that has no conflict: from now on lookups find it.
  void add(std::shared_ptr<LoadedPlugin> plugin);
  // Takes a plugin out of the lookups (its file was removed). It is unloaded by reap_retired
  // once no run, query or reader holds it any more.
  bool retire(const std::string& name);
  // Shuts down and unloads the retired plugins nothing refers to; returns their names.
  std::vector<std::string> reap_retired();
  // How many retired plugins still wait for their last user.
  size_t retired_count() const;
  // Calls every initialized plugin's shutdown, then unloads, in reverse load order. After
  // keep_loaded() (a run was abandoned and may still execute plugin code) nothing is called
  // or unloaded: the process exits with the code still mapped.
  void shutdown_all();
  void keep_loaded() { keep_loaded_.store(true); }

  std::shared_ptr<const JobTypeSpec> find_job_type(const std::string& name) const;
  JobTypeEntry resolve(const std::string& job_type) const;
  std::shared_ptr<LoadedPlugin> find_plugin(const std::string& name) const;
  // The plugin loaded from `file` (the path as configured), if any.
  std::shared_ptr<LoadedPlugin> find_by_file(const std::string& file) const;
  // Snapshots: safe to iterate while a reload changes the registry.
  std::vector<std::shared_ptr<LoadedPlugin>> plugins() const;
  std::vector<std::shared_ptr<const JobTypeSpec>> job_types() const;  // sorted by name

 private:
  void reindex_locked();
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<LoadedPlugin>> plugins_;
  std::map<std::string, JobTypeEntry> job_types_;
  std::vector<std::shared_ptr<LoadedPlugin>> retired_;
  std::atomic<bool> keep_loaded_{false};
};

}  // namespace jobhost::plugin
