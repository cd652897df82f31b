#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

#include "fakes/kubernetes/api_server.h"

// The apiserver's request chain as far as the fake goes: injected failures (in place of
// everything), authentication (401), authorization (403 for the anonymous user outside
// /version and discovery), the method (GET only), then the endpoint.
namespace jobhost::testing::fake_kubernetes {

namespace {

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path.front() != '/') return out;
  path.remove_prefix(1);
  while (!path.empty()) {
    std::size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

enum class Caller { anonymous, authenticated, rejected };

// "Authorization: Bearer <token>" (the scheme in any case); anything else that is present is
// a credential the apiserver cannot accept.
Caller authenticate(const TestRequest& request, const std::string& token) {
  if (!request.has_header("authorization")) return Caller::anonymous;
  std::string value = request.header("authorization");
  std::string_view text = trim(value);
  std::size_t space = text.find(' ');
  if (space == std::string_view::npos) return Caller::rejected;
  std::string scheme(text.substr(0, space));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string_view presented = trim(text.substr(space + 1));
  if (scheme != "bearer" || presented.empty() || presented != token) return Caller::rejected;
  return Caller::authenticated;
}

// The verb RBAC checks for a request.
std::string verb_of(const TestRequest& request, bool collection, bool resource) {
  const std::string& method = request.method;
  if (!resource) {
    std::string lower = method;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower;
  }
  if (method == "GET" || method == "HEAD") {
    if (request.query_param("watch") == "true" || request.query_param("watch") == "1")
      return "watch";
    return collection ? "list" : "get";
  }
  if (method == "POST") return "create";
  if (method == "PUT") return "update";
  if (method == "PATCH") return "patch";
  if (method == "DELETE") return collection ? "deletecollection" : "delete";
  return "proxy";
}

}  // namespace

ApiServer::Route ApiServer::route(std::string_view path) {
  Route route;
  if (path == "/version" || path == "/version/") {
    route.target = Route::Target::version;
    return route;
  }
  std::vector<std::string_view> parts = segments(path);
  bool empty_part = std::any_of(parts.begin(), parts.end(), [](auto p) { return p.empty(); });
  if (parts.size() < 3 || parts[0] != "apis" || empty_part) return route;

  ResourceRequest resource;
  resource.group = parts[1];
  resource.version = parts[2];
  if (parts.size() == 3) {
    route.target = Route::Target::discovery;
    return route;
  }
  if (parts.size() == 4) {  // /apis/g/v/plural: every namespace
    resource.plural = parts[3];
    route.target = Route::Target::list;
  } else if (parts[3] == "namespaces" && (parts.size() == 6 || parts.size() == 7)) {
    resource.ns = parts[4];
    resource.plural = parts[5];
    route.target = Route::Target::list;
    if (parts.size() == 7) {
      resource.name = parts[6];
      route.target = Route::Target::object;
    }
  } else {
    return route;
  }
  if (auto kind = kind_index(resource.plural)) {
    const KubeKind& k = hedgehog_kinds()[*kind];
    if (k.group == resource.group && k.version == resource.version) route.kind = kind;
  }
  route.resource = std::move(resource);
  return route;
}

TestResponse ApiServer::handle(const TestRequest& request) {
  counters_.begin_request(request, Clock::now());
  RequestSettings settings = settings_.for_request();
  Route where = route(request.path);
  TestResponse response;
  try {
    if (auto failure = failures_.take(request.target)) {
      response = failure_answer(*failure, where.resource, request.path, options_);
    } else {
      if (where.target == Route::Target::list && where.kind) {
        counters_.count_list(where.resource->plural);
      }
      response = respond(request, where, settings);
    }
  } catch (...) {
    counters_.abandon_request();
    throw;
  }
  // The latency is the server's timer, not a sleep: the handler thread serves others meanwhile.
  response.delay += settings.latency;
  counters_.answer_due(Clock::now() + response.delay);
  return response;
}

TestResponse ApiServer::respond(const TestRequest& request, const Route& where,
                                const RequestSettings& settings) {
  Caller caller = authenticate(request, settings.token);
  if (caller == Caller::rejected) return unauthorized();
  bool reading = request.method == "GET";
  if (caller == Caller::anonymous) {
    // What the fake lets system:anonymous read; everything else RBAC forbids.
    bool open = reading && (where.target == Route::Target::version ||
                            where.target == Route::Target::discovery);
    if (!open) {
      bool collection = where.resource && where.resource->name.empty();
      return forbidden(kAnonymousUser, verb_of(request, collection, where.resource.has_value()),
                       where.resource, request.path);
    }
  }
  if (!reading) return method_not_allowed();

  switch (where.target) {
    case Route::Target::version:
      return version();
    case Route::Target::discovery: {
      std::vector<std::string_view> parts = segments(request.path);
      return discovery(parts[1], parts[2], settings);
    }
    case Route::Target::list:
      if (!where.kind || !settings.installed[*where.kind]) return not_found();
      return list(request, *where.kind, *where.resource);
    case Route::Target::object:
      if (!where.kind || !settings.installed[*where.kind]) return not_found();
      return get_object(*where.kind, *where.resource);
    case Route::Target::other:
      break;
  }
  return not_found();
}

}  // namespace jobhost::testing::fake_kubernetes
