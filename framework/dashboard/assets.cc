#include "dashboard/assets.h"

#include <string>
#include <unordered_map>

#include "dashboard/embedded_assets.h"

namespace jobhost::dashboard {

namespace {

using Index = std::unordered_map<std::string_view, Asset>;

const Index& index() {
  static const Index files = [] {
    Index out;
    for (std::size_t i = 0; i < detail::kEmbeddedFileCount; ++i) {
      const auto& f = detail::kEmbeddedFiles[i];
      out.emplace(f.name, Asset{f.content_type,
                                std::string_view(reinterpret_cast<const char*>(f.data), f.size)});
    }
    return out;
  }();
  return files;
}

}  // namespace

const Asset* find_asset(std::string_view path) {
  constexpr std::string_view kStatic = "/static/";
  std::string_view name;
  if (path == "/" || path == "/index.html") {
    name = "index.html";
  } else if (path.starts_with(kStatic)) {
    name = path.substr(kStatic.size());
    // Plain file names only: no sub-directories, no "..".
    if (name.empty() || name.find('/') != std::string_view::npos || name.starts_with("."))
      return nullptr;
  } else {
    return nullptr;
  }
  const auto& files = index();
  const auto it = files.find(name);
  return it == files.end() ? nullptr : &it->second;
}

}  // namespace jobhost::dashboard
