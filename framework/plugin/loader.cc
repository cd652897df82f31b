#include "plugin/loader.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>

#include <boost/dll/shared_library.hpp>

namespace jobhost::plugin {

namespace fs = std::filesystem;

namespace {

// Boost.DLL wraps dlerror's text ("boost::dll::shared_library::load() failed (dlerror system
// message: /x.so: invalid ELF header): Bad file descriptor"); the loader's own words are
// what helps.
std::string loader_reason(const std::string& what) {
  const std::string marker = "dlerror system message: ";
  auto start = what.find(marker);
  if (start == std::string::npos) return what;
  start += marker.size();
  auto end = what.rfind("): ");
  if (end == std::string::npos || end < start) return what.substr(start);
  return what.substr(start, end - start);
}

}  // namespace

struct PluginLibrary::Impl {
  boost::dll::shared_library library;
  jh_plugin_entry_v1 entry = nullptr;
};

PluginLibrary::PluginLibrary(std::string path, std::unique_ptr<Impl> impl)
    : path_(std::move(path)), impl_(std::move(impl)) {}

PluginLibrary::~PluginLibrary() = default;

std::unique_ptr<PluginLibrary> PluginLibrary::open(const std::string& path) {
  auto impl = std::make_unique<Impl>();
  try {
    impl->library.load(fs::path(path),
                       boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::system_error& e) {
    throw LoadError("cannot load it as a shared library: " + loader_reason(e.what()));
  }
  if (!impl->library.has(JH_PLUGIN_ENTRY_V1))
    throw LoadError("it does not export " JH_PLUGIN_ENTRY_V1
                    "(): not a jobhost plugin, or built without the SDK's JOBHOST_PLUGIN macro");
  impl->entry = impl->library.get<const jh_plugin_v1*(const jh_host_info*)>(JH_PLUGIN_ENTRY_V1);
  return std::unique_ptr<PluginLibrary>(new PluginLibrary(path, std::move(impl)));
}

const jh_plugin_v1* PluginLibrary::descriptor(const jh_host_info& host) const {
  return impl_->entry(&host);
}

std::vector<std::string> discover_plugin_files(const std::vector<std::string>& dirs,
                                               const std::vector<std::string>& files,
                                               std::vector<DiscoveryProblem>& problems) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](const fs::path& p) {
    std::error_code ec;
    auto canonical = fs::weakly_canonical(p, ec);
    const std::string key = ec ? p.string() : canonical.string();
    if (seen.insert(key).second) out.push_back(p.string());
  };
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      problems.push_back({dir, "plugin directory does not exist or is not a directory"});
      continue;
    }
    std::vector<fs::path> found;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.path().extension() == ".so" && !entry.is_directory()) found.push_back(entry.path());
    }
    if (ec) problems.push_back({dir, "cannot list the plugin directory: " + ec.message()});
    std::sort(found.begin(), found.end());
    for (const auto& p : found) add(p);
  }
  for (const auto& file : files) {
    std::error_code ec;
    if (!fs::exists(file, ec)) {
      problems.push_back({file, "plugin file does not exist"});
      continue;
    }
    add(file);
  }
  return out;
}

}  // namespace jobhost::plugin
