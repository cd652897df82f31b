#include "plugin/loader.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>
#include <system_error>

#include <sys/stat.h>
#include <unistd.h>

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

std::string octal_mode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

}  // namespace

std::optional<std::string> unsafe_ownership(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;  // missing: reported elsewhere
  const char* what = S_ISDIR(st.st_mode) ? "the directory" : "the file";
  const uid_t self = ::geteuid();
  if (st.st_uid != 0 && st.st_uid != self)
    return std::string(what) + " is owned by uid " + std::to_string(st.st_uid) +
           ", neither root nor the user jobhost runs as (uid " + std::to_string(self) +
           "): that user could put any code into jobhost; `chown root " + path + "`";
  if (st.st_mode & S_IWOTH)
    return std::string(what) + " is writable by every user (mode " + octal_mode(st.st_mode) +
           "): anyone could put code into jobhost; `chmod o-w " + path + "`";
  if ((st.st_mode & S_IWGRP) && st.st_gid != 0)
    return std::string(what) + " is writable by its group (gid " + std::to_string(st.st_gid) +
           ", mode " + octal_mode(st.st_mode) +
           "): its members could put code into jobhost; `chmod g-w " + path + "`";
  return std::nullopt;
}

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
    throw LoadError("cannot load it as a shared library: " + loader_reason(e.what()) + " (`ldd " +
                    path +
                    "` shows whether it is one for this machine and which libraries it lacks; "
                    "rebuild or reinstall the plugin)");
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
    if (auto unsafe = unsafe_ownership(dir)) {
      problems.push_back({dir, "plugin directory refused, none of its plugins loaded: " + *unsafe});
      continue;
    }
    std::vector<fs::path> found;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.path().extension() == ".so" && !entry.is_directory()) found.push_back(entry.path());
    }
    if (ec) problems.push_back({dir, "cannot list the plugin directory: " + ec.message()});
    std::sort(found.begin(), found.end());
    for (const auto& p : found) {
      if (auto unsafe = unsafe_ownership(p.string()))
        problems.push_back({p.string(), *unsafe});
      else
        add(p);
    }
  }
  for (const auto& file : files) {
    std::error_code ec;
    if (!fs::exists(file, ec)) {
      problems.push_back({file, "plugin file does not exist"});
      continue;
    }
    const std::string dir = fs::path(file).parent_path().string();
    if (auto unsafe = unsafe_ownership(dir.empty() ? "." : dir)) {
      problems.push_back({file, "its directory " + dir + " is not safe: " + *unsafe});
      continue;
    }
    if (auto unsafe = unsafe_ownership(file)) {
      problems.push_back({file, *unsafe});
      continue;
    }
    add(file);
  }
  return out;
}

}  // namespace jobhost::plugin
