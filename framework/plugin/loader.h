// Finding plugin files and opening them (Boost.DLL, RTLD_NOW | RTLD_LOCAL: a missing symbol
// fails at load, not in the middle of a job, and plugins cannot see each other's symbols).
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "jobhost/plugin_api.h"

namespace jobhost::plugin {

class LoadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An open plugin library; closing it (destruction) unloads the code.
class PluginLibrary {
 public:
  // Throws LoadError: not a shared library (the loader's message), no entry symbol.
  static std::unique_ptr<PluginLibrary> open(const std::string& path);
  ~PluginLibrary();
  PluginLibrary(const PluginLibrary&) = delete;
  PluginLibrary& operator=(const PluginLibrary&) = delete;

  const std::string& path() const { return path_; }
  // Calls the entry point with the host's handshake.
  const jh_plugin_v1* descriptor(const jh_host_info& host) const;

 private:
  struct Impl;
  PluginLibrary(std::string path, std::unique_ptr<Impl> impl);
  std::string path_;
  std::unique_ptr<Impl> impl_;
};

struct DiscoveryProblem {
  std::string path;
  std::string reason;
};

// Why `path` (a plugin file or directory) must not be trusted: a drop-in .so is code execution,
// so one that a user other than its owner could write is refused. Accepted: owned by root or by
// the user jobhost runs as, and not writable by its group (unless that is root) or by others.
std::optional<std::string> unsafe_ownership(const std::string& path);

// The plugin files to load: every *.so directly in each directory (sorted by name, so the
// order does not depend on the file system), then the explicit files. Missing directories
// and files, and files or directories refused by unsafe_ownership, are reported, not fatal.
std::vector<std::string> discover_plugin_files(const std::vector<std::string>& dirs,
                                               const std::vector<std::string>& files,
                                               std::vector<DiscoveryProblem>& problems);

}  // namespace jobhost::plugin
