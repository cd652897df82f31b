#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/http_test_server.h"

// A fake Kubernetes API server holding a Hedgehog fabric's custom resources, for tests,
// benchmarks and demos: bearer authentication with `Status` errors, the namespaced list
// endpoints of the Hedgehog kinds with `limit` / `continue` paging over a consistent snapshot
// and expiring continue tokens (410 Gone), 404 for kinds whose CRD is not installed, /version,
// API discovery, generated objects, mutations between syncs, latency and injected failures.
// See ../shared/REMOTE-APIS.md (Hedgehog).
namespace jobhost::testing {

// One kind of custom resource the fake serves.
struct KubeKind {
  std::string group;    // "wiring.githedgehog.com"
  std::string version;  // "v1beta1"
  std::string plural;   // "switches"
  std::string kind;     // "Switch"
  bool synced = true;   // one of the 12 kinds the plugin syncs (false: switchprofiles,
                        // serverprofiles, which the fabric also has)
};

// The 14 kinds, in a fixed order: wiring.githedgehog.com/v1beta1 switches, servers,
// connections, switchgroups, vlannamespaces, switchprofiles, serverprofiles;
// vpc.githedgehog.com/v1beta1 vpcs, vpcattachments, vpcpeerings, ipv4namespaces, externals,
// externalattachments, externalpeerings.
const std::vector<KubeKind>& hedgehog_kinds();

// What an injected failure does to one HTTP request (counted in requests(), nothing served).
enum class KubeFailure {
  internal_error,       // 500 Status reason InternalError
  service_unavailable,  // 503 Status reason ServiceUnavailable, with Retry-After: 1
  too_many_requests,    // 429 Status reason TooManyRequests, Retry-After: options' retry_after
  forbidden,            // 403 Status reason Forbidden (RBAC), naming the resource
  malformed_json,       // 200, application/json, a truncated document
  close_connection,     // the connection closes without a byte of response
  hang,                 // nothing for FakeKubernetesOptions::hang_for, then the connection closes
};
std::string_view to_string(KubeFailure failure);

struct FakeKubernetesOptions {
  // The one valid bearer token. A request with another token answers 401 Status
  // "Unauthorized" on every path; a request without Authorization is anonymous: /version and
  // discovery answer, lists answer 403 for "system:anonymous".
  std::string token = "fake-k8s-token";
  std::string ns = "default";  // the namespace holding the objects (others list empty)

  // Generated objects in all, spread evenly over the 12 synced kinds (the first kinds get the
  // remainder), plus 2 objects of each of the other two kinds. Names "<kind lower>-NNNNN"
  // from 00000 ("switch-00000", "vpcattachment-00003"); deterministic for one seed.
  std::size_t objects = 0;
  std::uint64_t seed = 1;
  // Plurals whose CRD is not installed: their list and discovery answer 404.
  std::vector<std::string> missing_kinds;

  std::chrono::milliseconds latency{0};       // added to every answer
  std::chrono::milliseconds hang_for{60000};  // how long KubeFailure::hang holds a request
  // The Retry-After of KubeFailure::too_many_requests. The apiserver sends whole seconds
  // (1 by default); below a second's precision the fake sends decimal seconds ("0.05"), which
  // clients that parse Retry-After as a number accept and which keeps tests fast.
  std::chrono::milliseconds retry_after{1000};
  // A continue token older than this answers 410 Gone (reason "Expired").
  std::chrono::milliseconds continue_ttl{std::chrono::minutes(5)};
  std::string git_version = "v1.30.4+k3s1";  // what /version answers
  std::size_t threads = 2;
  std::optional<ServerTls> tls;  // set: HTTPS only
  std::uint16_t port = 0;        // 0: an ephemeral port
};

// Paths served (GET only; other methods answer 405 Status MethodNotAllowed):
//   /version
//   /apis/{group}/{version}                     APIResourceList of the installed kinds
//   /apis/{group}/{version}/namespaces/{ns}/{plural}[?limit=N&continue=T]
// Anything else: 404 Status NotFound "the server could not find the requested resource".
class FakeKubernetes {
 public:
  using Options = FakeKubernetesOptions;

  // A change made by mutate(): the kind's plural and the object's name.
  struct Change {
    std::string plural;
    std::string name;
    bool operator==(const Change&) const = default;
  };
  struct Mutation {
    std::vector<Change> added, changed, deleted;
  };

  // Generates the objects and starts listening. Throws std::invalid_argument on a bad option
  // (an unknown plural in missing_kinds).
  explicit FakeKubernetes(Options options = {});
  ~FakeKubernetes();  // stop()
  FakeKubernetes(const FakeKubernetes&) = delete;
  FakeKubernetes& operator=(const FakeKubernetes&) = delete;

  std::string url() const;  // "http://127.0.0.1:PORT" ("https://..." with TLS), no slash
  std::uint16_t port() const;
  void stop();  // stops listening and closes every connection; idempotent

  // --- Objects (thread-safe; lists already under way keep their snapshot) -----------------
  // Every object as the API serves it: apiVersion, kind, metadata {name, namespace, uid,
  // resourceVersion, generation, creationTimestamp, labels, annotations}, spec, and for
  // switches, servers, connections, vpcs and externals a status with
  // conditions [{type:"Ready", status:"True"|"False", reason, message, lastTransitionTime}].
  std::optional<nlohmann::json> object(std::string_view plural, std::string_view name) const;
  std::vector<std::string> names(std::string_view plural) const;  // sorted
  std::size_t count(std::string_view plural) const;
  std::size_t total() const;  // objects of the synced kinds
  // Creates or replaces an object of a kind (installed or not); metadata.name is required.
  // The fake sets namespace, uid (kept on replace), a new resourceVersion, generation
  // (+1 when spec changed), creationTimestamp (kept on replace). Returns the stored object.
  // Throws std::invalid_argument on an unknown plural or a missing name.
  nlohmann::json put(std::string_view plural, nlohmann::json object);
  bool remove(std::string_view plural, std::string_view name);  // false when absent
  // Random changes among the synced kinds: adds `added` new objects, changes the spec of
  // `changed` existing ones and deletes `deleted` others (never the same object twice).
  Mutation mutate(std::size_t added, std::size_t changed, std::size_t deleted);

  // --- Knobs (thread-safe, effective for the next request) ---------------------------------
  void set_token(std::string token);
  void set_latency(std::chrono::milliseconds latency);
  void set_installed(std::string_view plural, bool installed);  // throws on an unknown plural
  // Every continue token handed out so far answers 410 from now on.
  void expire_continue_tokens();
  // The next `count` requests whose path contains `path_part` (any request when empty) fail.
  void fail_next(KubeFailure failure, std::size_t count = 1, std::string path_part = "");
  // The next n_requests requests are served, then `count` fail.
  void fail_after(std::size_t n_requests, KubeFailure failure, std::size_t count = 1);
  void clear_failures();

  // --- Counters (thread-safe) -------------------------------------------------------------
  std::size_t requests() const;  // every HTTP request, failures included
  std::size_t list_requests(std::string_view plural) const;  // list pages asked for, that kind
  std::size_t gone_answers() const;                          // 410s sent
  std::size_t max_in_flight() const;  // most requests received and not yet answered at once
  std::optional<TestRequest> last_request() const;  // headers lower-cased
  void reset_counters();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jobhost::testing
