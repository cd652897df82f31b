#include "plugin/registry.h"

namespace jobhost::plugin {

PluginRegistry::~PluginRegistry() {
  shutdown_all();
}

std::optional<std::string> PluginRegistry::conflict(const PluginSpec& spec) const {
  for (const auto& p : plugins_) {
    if (p->spec.name == spec.name)
      return "a plugin named '" + spec.name + "' is already loaded from " + p->spec.file;
  }
  for (const auto& jt : spec.job_types) {
    auto it = job_types_.find(jt.name);
    if (it != job_types_.end())
      return "job type '" + jt.name + "' is already declared by plugin '" + it->second->plugin +
             "'";
  }
  return std::nullopt;
}

LoadedPlugin& PluginRegistry::add(LoadedPlugin plugin) {
  plugins_.push_back(std::make_unique<LoadedPlugin>(std::move(plugin)));
  reindex();
  return *plugins_.back();
}

void PluginRegistry::remove(const std::string& name) {
  for (auto it = plugins_.begin(); it != plugins_.end(); ++it) {
    if ((*it)->spec.name == name) {
      plugins_.erase(it);
      break;
    }
  }
  reindex();
}

void PluginRegistry::shutdown_all() {
  if (keep_loaded_.load()) {
    // Deliberately leaked: a hung thread may be inside a plugin's code.
    for (auto& p : plugins_) (void)p.release();
    plugins_.clear();
    job_types_.clear();
    return;
  }
  for (auto it = plugins_.rbegin(); it != plugins_.rend(); ++it) {
    auto& p = **it;
    if (p.initialized && p.spec.shutdown) p.spec.shutdown(p.spec.user_data);
    p.initialized = false;
  }
  // Host-side state first (it may point into plugin memory), then the code.
  for (auto& p : plugins_) p->runtime.reset();
  while (!plugins_.empty()) plugins_.pop_back();
  job_types_.clear();
}

const JobTypeSpec* PluginRegistry::find_job_type(const std::string& name) const {
  auto it = job_types_.find(name);
  return it == job_types_.end() ? nullptr : it->second;
}

LoadedPlugin* PluginRegistry::find_plugin(const std::string& name) {
  for (auto& p : plugins_)
    if (p->spec.name == name) return p.get();
  return nullptr;
}

std::vector<const JobTypeSpec*> PluginRegistry::job_types() const {
  std::vector<const JobTypeSpec*> out;
  for (const auto& [name, jt] : job_types_) out.push_back(jt);
  return out;
}

void PluginRegistry::reindex() {
  job_types_.clear();
  for (const auto& p : plugins_)
    for (const auto& jt : p->spec.job_types) job_types_[jt.name] = &jt;
}

}  // namespace jobhost::plugin
