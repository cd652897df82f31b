// Method and path patterns to handlers. A pattern's `{name}` segment matches any one segment and
// hands it to the handler by name. Unknown paths get 404 and a known path with another method
// 405 with the methods it has (Allow).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "web/http_server.h"

namespace jobhost::api {

using PathParams = std::map<std::string, std::string>;
using RouteHandler = std::function<web::Response(const web::Request&, const PathParams&)>;

enum class Access { open, read, change };  // open: never asks for a token (health, assets)

struct Route {
  std::string method;
  std::vector<std::string> segments;
  Access access = Access::read;
  RouteHandler handler;
};

struct RouteMatch {
  const Route* route = nullptr;
  PathParams params;
  std::string allow;  // the path's methods when it matched with another method
};

class Router {
 public:
  void add(const std::string& method, const std::string& pattern, Access access,
           RouteHandler handler);
  RouteMatch match(const std::string& method, const std::string& path) const;

 private:
  std::vector<Route> routes_;
};

}  // namespace jobhost::api
