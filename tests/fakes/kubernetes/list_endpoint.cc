#include <cerrno>
#include <cstdlib>
#include <iterator>
#include <string>
#include <utility>

#include "fakes/kubernetes/api_server.h"

// GET .../namespaces/{ns}/{plural}[?limit=N&continue=T] and GET .../{plural}/{name}.
namespace jobhost::testing::fake_kubernetes {

namespace {

const Snapshot& no_objects() {
  static const Snapshot empty = std::make_shared<const ObjectMap>();
  return empty;
}

// limit as the apiserver reads it: an integer; 0 or less means no limit.
std::optional<long long> parse_limit(const std::string& text) {
  if (text.empty()) return 0;
  char* end = nullptr;
  errno = 0;
  long long value = std::strtoll(text.c_str(), &end, 10);
  if (errno == ERANGE || end != text.c_str() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

TestResponse ApiServer::list(const TestRequest& request, std::size_t kind,
                             const ResourceRequest& resource) {
  const KubeKind& k = hedgehog_kinds()[kind];
  // Objects live in one namespace; a list of all namespaces (no ns) sees them too.
  bool our_namespace = resource.ns.empty() || resource.ns == options_.ns;
  std::string scope = k.plural + "/" + (resource.ns.empty() ? "*" : resource.ns);

  std::string limit_text = request.query_param("limit");
  std::optional<long long> limit = parse_limit(limit_text);
  if (!limit) return bad_request("invalid value for limit: \"" + limit_text + "\"");

  Snapshot objects;
  std::uint64_t resource_version = 0;
  std::string start_key;
  std::string token = request.query_param("continue");
  if (!token.empty()) {
    ContinuePosition position;
    try {
      position = decode_continue(token);
    } catch (const InvalidContinue& error) {
      return bad_request(std::string("invalid continue token: ") + error.what());
    }
    std::string asked_version = request.query_param("resourceVersion");
    if (!asked_version.empty() && asked_version != "0") {
      return bad_request("specifying resource version is not allowed when using continue");
    }
    objects = tokens_.find(scope, token, Clock::now());
    if (!objects) {
      counters_.count_gone();
      return expired_continue();
    }
    resource_version = position.resource_version;
    start_key = std::move(position.start_key);
  } else {
    KindView view = store_.view(kind);
    objects = our_namespace ? view.objects : no_objects();
    resource_version = view.resource_version;
  }

  auto from = objects->lower_bound(start_key);
  auto to = from;
  std::size_t page_size = 0;
  std::size_t body_size = 256;
  while (to != objects->end() && (*limit <= 0 || page_size < static_cast<std::size_t>(*limit))) {
    body_size += to->second->text.size() + 1;
    ++page_size;
    ++to;
  }

  std::string body;
  body.reserve(body_size);
  // Keys in the order the apiserver writes a custom resource list (sorted, as Go marshals an
  // unstructured map): apiVersion, items, kind, metadata.
  body += R"({"apiVersion":")" + api_version(k) + R"(","items":[)";
  for (auto it = from; it != to; ++it) {
    if (it != from) body += ',';
    body += it->second->text;
  }
  body += R"(],"kind":")" + k.kind + R"(List","metadata":{)";
  if (to != objects->end()) {
    std::string next = encode_continue(resource_version, std::prev(to)->first);
    tokens_.issue(scope, next, objects, Clock::now());
    auto remaining = std::distance(to, objects->end());
    body +=
        R"("continue":")" + next + R"(","remainingItemCount":)" + std::to_string(remaining) + ",";
  }
  body += R"("resourceVersion":")" + std::to_string(resource_version) + R"("}})";
  return TestResponse::json(std::move(body));
}

TestResponse ApiServer::get_object(std::size_t kind, const ResourceRequest& resource) const {
  KindView view = store_.view(kind);
  auto it = view.objects->find(resource.name);
  if (resource.ns != options_.ns || it == view.objects->end()) return object_not_found(resource);
  return TestResponse::json(it->second->text);
}

}  // namespace jobhost::testing::fake_kubernetes
