// The plugins this host has loaded and the job types they declare; refuses a second plugin
// of the same name or a job type already declared by another plugin.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "plugin/loader.h"
#include "plugin/plugin_spec.h"

namespace jobhost::services {
struct PluginRuntime;
}

namespace jobhost::plugin {

struct LoadedPlugin {
  PluginSpec spec;
  std::unique_ptr<PluginLibrary> library;
  bool initialized = false;
  // Host-side state lent to the plugin (settings, logger, its context); owned here.
  std::shared_ptr<services::PluginRuntime> runtime;
};

class PluginRegistry {
 public:
  PluginRegistry() = default;
  PluginRegistry(const PluginRegistry&) = delete;
  PluginRegistry& operator=(const PluginRegistry&) = delete;
  ~PluginRegistry();

  // Why `spec` cannot join (duplicate plugin name or job type), or nullopt if it can.
  std::optional<std::string> conflict(const PluginSpec& spec) const;
  // Adds a plugin that has no conflict.
  LoadedPlugin& add(LoadedPlugin plugin);
  // Removes and unloads a plugin (after a failed init: shutdown is not called).
  void remove(const std::string& name);
  // Calls every initialized plugin's shutdown, then unloads, in reverse load order. After
  // keep_loaded() (a run was abandoned and may still execute plugin code) nothing is called
  // or unloaded: the process exits with the code still mapped.
  void shutdown_all();
  void keep_loaded() { keep_loaded_.store(true); }

  const JobTypeSpec* find_job_type(const std::string& name) const;
  LoadedPlugin* find_plugin(const std::string& name);
  const std::vector<std::unique_ptr<LoadedPlugin>>& plugins() const { return plugins_; }
  std::vector<const JobTypeSpec*> job_types() const;

 private:
  void reindex();
  std::vector<std::unique_ptr<LoadedPlugin>> plugins_;
  std::map<std::string, const JobTypeSpec*> job_types_;
  std::atomic<bool> keep_loaded_{false};
};

}  // namespace jobhost::plugin
