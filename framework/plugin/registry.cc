#include "plugin/registry.h"

#include <sys/stat.h>

namespace jobhost::plugin {

std::optional<FileIdentity> identity_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileIdentity{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino),
                      static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

void LoadedPlugin::shut_down() {
  if (initialized && spec.shutdown) spec.shutdown(spec.user_data);
  initialized = false;
}

LoadedPlugin::~LoadedPlugin() {
  // Host-side state first (it may point into plugin memory), then the code.
  runtime.reset();
  library.reset();
}

PluginRegistry::~PluginRegistry() {
  shutdown_all();
}

std::optional<std::string> PluginRegistry::conflict(const PluginSpec& spec) const {
  std::lock_guard lock(mutex_);
  for (const auto& p : plugins_) {
    if (p->spec.name == spec.name)
      return "a plugin named '" + spec.name + "' is already loaded from " + p->spec.file +
             ": keep one of the two files in plugin_dirs / plugin_files";
  }
  for (const auto& p : retired_) {
    if (p->spec.name == spec.name)
      return "a plugin named '" + spec.name + "' (from " + p->spec.file +
             ") is still finishing its jobs after its file was removed; reload again once it "
             "is unloaded";
  }
  for (const auto& jt : spec.job_types) {
    auto it = job_types_.find(jt.name);
    if (it != job_types_.end())
      return "job type '" + jt.name + "' is already declared by plugin '" +
             it->second.type->plugin + "'";
  }
  return std::nullopt;
}

void PluginRegistry::add(std::shared_ptr<LoadedPlugin> plugin) {
  std::lock_guard lock(mutex_);
  plugins_.push_back(std::move(plugin));
  reindex_locked();
}

bool PluginRegistry::retire(const std::string& name) {
  std::lock_guard lock(mutex_);
  for (auto it = plugins_.begin(); it != plugins_.end(); ++it) {
    if ((*it)->spec.name == name) {
      retired_.push_back(std::move(*it));
      plugins_.erase(it);
      reindex_locked();
      return true;
    }
  }
  return false;
}

std::vector<std::string> PluginRegistry::reap_retired() {
  std::vector<std::shared_ptr<LoadedPlugin>> unused;
  {
    std::lock_guard lock(mutex_);
    if (keep_loaded_.load()) return {};
    // Only this list can hand out new references to a retired plugin, and it does not: a
    // count of one means no run, query or snapshot holds it, now or later.
    for (auto it = retired_.begin(); it != retired_.end();) {
      if (it->use_count() == 1) {
        unused.push_back(std::move(*it));
        it = retired_.erase(it);
      } else {
        ++it;
      }
    }
  }
  std::vector<std::string> names;
  for (auto& p : unused) {
    names.push_back(p->spec.name);
    p->shut_down();
    p.reset();
  }
  return names;
}

size_t PluginRegistry::retired_count() const {
  std::lock_guard lock(mutex_);
  return retired_.size();
}

void PluginRegistry::shutdown_all() {
  std::vector<std::shared_ptr<LoadedPlugin>> all;
  {
    std::lock_guard lock(mutex_);
    all = std::move(retired_);
    all.insert(all.end(), plugins_.begin(), plugins_.end());
    plugins_.clear();
    retired_.clear();
    job_types_.clear();
  }
  if (keep_loaded_.load()) {
    // Deliberately never destroyed: a hung thread may be inside a plugin's code.
    static auto* kept = new std::vector<std::shared_ptr<LoadedPlugin>>;
    kept->insert(kept->end(), all.begin(), all.end());
    return;
  }
  for (auto it = all.rbegin(); it != all.rend(); ++it) (*it)->shut_down();
  while (!all.empty()) all.pop_back();
}

std::shared_ptr<const JobTypeSpec> PluginRegistry::find_job_type(const std::string& name) const {
  return resolve(name).type;
}

JobTypeEntry PluginRegistry::resolve(const std::string& job_type) const {
  std::lock_guard lock(mutex_);
  auto it = job_types_.find(job_type);
  return it == job_types_.end() ? JobTypeEntry{} : it->second;
}

std::shared_ptr<LoadedPlugin> PluginRegistry::find_plugin(const std::string& name) const {
  std::lock_guard lock(mutex_);
  for (const auto& p : plugins_)
    if (p->spec.name == name) return p;
  return nullptr;
}

std::shared_ptr<LoadedPlugin> PluginRegistry::find_by_file(const std::string& file) const {
  std::lock_guard lock(mutex_);
  for (const auto& p : plugins_)
    if (p->spec.file == file) return p;
  return nullptr;
}

std::vector<std::shared_ptr<LoadedPlugin>> PluginRegistry::plugins() const {
  std::lock_guard lock(mutex_);
  return plugins_;
}

std::vector<std::shared_ptr<const JobTypeSpec>> PluginRegistry::job_types() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<const JobTypeSpec>> out;
  for (const auto& [name, entry] : job_types_) out.push_back(entry.type);
  return out;
}

void PluginRegistry::reindex_locked() {
  job_types_.clear();
  for (const auto& p : plugins_)
    for (const auto& jt : p->spec.job_types)
      job_types_[jt.name] = JobTypeEntry{std::shared_ptr<const JobTypeSpec>(p, &jt), p};
}

}  // namespace jobhost::plugin
