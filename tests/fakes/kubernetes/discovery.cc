#include <cstdio>
#include <string>

#include "fakes/kubernetes/api_server.h"

// GET /version and GET /apis/{group}/{version} (APIResourceList).
namespace jobhost::testing::fake_kubernetes {

namespace {

using ojson = nlohmann::ordered_json;

// "v1.30.4+k3s1" -> {"1", "30"}; what real servers put in major and minor.
std::pair<std::string, std::string> major_minor(const std::string& git_version) {
  unsigned major = 0, minor = 0;
  if (std::sscanf(git_version.c_str(), "v%u.%u", &major, &minor) == 2) {
    return {std::to_string(major), std::to_string(minor)};
  }
  return {"1", "30"};
}

// A hash of the kind that stays the same while the CRD does, like storageVersionHash.
std::string storage_version_hash(const KubeKind& kind) {
  static constexpr char kDigits[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::uint64_t h = mix64(hash_text(kind.group + "/" + kind.version + "/" + kind.kind));
  std::string out;
  for (int i = 0; i < 11; ++i, h >>= 6) out += kDigits[h & 63];
  return out + "=";
}

}  // namespace

TestResponse ApiServer::version() const {
  auto [major, minor] = major_minor(options_.git_version);
  std::uint64_t a = mix64(hash_text(options_.git_version));
  char commit[48];
  std::snprintf(commit, sizeof commit, "%016llx%016llx%08llx", static_cast<unsigned long long>(a),
                static_cast<unsigned long long>(mix64(a)),
                static_cast<unsigned long long>(mix64(a + 1) & 0xffffffffULL));
  ojson body = {
      {"major", major},          {"minor", minor},          {"gitVersion", options_.git_version},
      {"gitCommit", commit},     {"gitTreeState", "clean"}, {"buildDate", "2024-08-14T18:59:05Z"},
      {"goVersion", "go1.22.5"}, {"compiler", "gc"},        {"platform", "linux/amd64"}};
  return TestResponse::json(body.dump());
}

TestResponse ApiServer::discovery(std::string_view group, std::string_view version,
                                  const RequestSettings& settings) const {
  ojson resources = ojson::array();
  const auto& kinds = hedgehog_kinds();
  for (std::size_t kind = 0; kind < kinds.size(); ++kind) {
    const KubeKind& k = kinds[kind];
    if (k.group != group || k.version != version || !settings.installed[kind]) continue;
    ojson categories = {"hedgehog", "fabric"};
    if (k.group == "wiring.githedgehog.com") categories.push_back("wiring");
    resources.push_back(
        {{"name", k.plural},
         {"singularName", singular_name(k)},
         {"namespaced", true},
         {"kind", k.kind},
         {"verbs",
          {"delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"}},
         {"categories", std::move(categories)},
         {"storageVersionHash", storage_version_hash(k)}});
    // Hedgehog's CRDs all have the status subresource, which discovery lists too.
    resources.push_back({{"name", k.plural + "/status"},
                         {"singularName", ""},
                         {"namespaced", true},
                         {"kind", k.kind},
                         {"verbs", {"get", "patch", "update"}}});
  }
  // A group whose CRDs are all gone is not served at all.
  if (resources.empty()) return not_found();
  ojson body = {{"kind", "APIResourceList"},
                {"apiVersion", "v1"},
                {"groupVersion", std::string(group) + "/" + std::string(version)},
                {"resources", std::move(resources)}};
  return TestResponse::json(body.dump());
}

}  // namespace jobhost::testing::fake_kubernetes
