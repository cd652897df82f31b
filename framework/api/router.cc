#include "api/router.h"

namespace jobhost::api {

namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 1;  // paths begin with '/'
  while (start <= path.size()) {
    const size_t slash = path.find('/', start);
    const size_t end = slash == std::string::npos ? path.size() : slash;
    if (end > start) out.push_back(path.substr(start, end - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return out;
}

bool matches(const Route& route, const std::vector<std::string>& parts, PathParams& params) {
  if (route.segments.size() != parts.size()) return false;
  PathParams found;
  for (size_t i = 0; i < parts.size(); ++i) {
    const auto& seg = route.segments[i];
    if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}')
      found[seg.substr(1, seg.size() - 2)] = parts[i];
    else if (seg != parts[i])
      return false;
  }
  params = std::move(found);
  return true;
}

}  // namespace

void Router::add(const std::string& method, const std::string& pattern, Access access,
                 RouteHandler handler) {
  routes_.push_back({method, split_path(pattern), access, std::move(handler)});
}

RouteMatch Router::match(const std::string& method, const std::string& path) const {
  RouteMatch m;
  const auto parts = split_path(path);
  const std::string wanted = method == "HEAD" ? "GET" : method;
  for (const auto& route : routes_) {
    PathParams params;
    if (!matches(route, parts, params)) continue;
    if (route.method == wanted) {
      m.route = &route;
      m.params = std::move(params);
      return m;
    }
    if (m.allow.find(route.method) == std::string::npos)
      m.allow += (m.allow.empty() ? "" : ", ") + route.method;
  }
  return m;
}

}  // namespace jobhost::api
