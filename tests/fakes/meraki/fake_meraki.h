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

// A fake Meraki Dashboard API v1 for tests, benchmarks and demos: Bearer and legacy key
// authentication, `{"errors":[...]}` answers, the organization-wide list endpoints with
// perPage ranges and RFC 5988 Link paging, a per-organization token bucket (and a per-IP one)
// answering 429 with Retry-After, an optional redirect of organization requests to a second
// "shard" server, generated organizations, mutations between syncs and injected failures.
// See ../shared/REMOTE-APIS.md (Meraki).
namespace jobhost::testing {

// What an injected failure does to one HTTP request (counted in requests(), nothing served).
enum class MerakiFailure {
  internal_error,       // 500 {"errors":["Internal server error"]}
  bad_gateway,          // 502 {"errors":["Bad gateway"]}
  service_unavailable,  // 503 {"errors":["Service unavailable"]} with Retry-After: 1
  too_many_requests,    // 429 {"errors":["API rate limit exceeded for organization"]},
                        // Retry-After: options.retry_after_s (whatever the bucket holds)
  forbidden,            // 403 {"errors":["You don't have permissions to do that."]}
  not_found,            // 404 {"errors":["Not found"]}
  malformed_json,       // 200, application/json, a truncated document
  close_connection,     // the connection closes without a byte of response
  hang,                 // nothing for FakeMerakiOptions::hang_for, then the connection closes
};
std::string_view to_string(MerakiFailure failure);

struct FakeMerakiOptions {
  // The one valid API key, accepted as `Authorization: Bearer <key>` or as
  // `X-Cisco-Meraki-API-Key: <key>`. Anything else (or none) answers
  // 401 {"errors":["Invalid API key"]} ("Missing API key" when no key was sent).
  std::string api_key = "fake-meraki-key";

  // Generated organizations, each with `networks` networks and `devices` devices spread
  // evenly over its networks (the first networks get the remainder). Deterministic for one
  // seed. Organization ids are decimal strings from "500001" up, names "Org 1", "Org 2", ...;
  // network ids "L_<15 digits>" unique across organizations; device serials "Qxxx-xxxx-xxxx"
  // (upper-case letters and digits) unique across organizations.
  // What the generated objects look like: models MX68/MX85 (appliance), MS120-8/MS225-48LP
  // (switch), MR36/MR46 (wireless), MV12/MV22 (camera), MG21 (cellularGateway), MT10/MT14
  // (sensor), a network's first device an appliance and its second a switch; MACs
  // "xx:xx:xx:xx:xx:xx" (lower case) and LAN addresses "10.x.y.z" unique (up to 16 million
  // devices); firmware "wireless-29-7" and the like; networks in 15 cities with their
  // timeZone; about 90% of the devices online, the others alerting, offline or dormant.
  // A network's productTypes: those of its devices (sorted), plus the ones it was made with
  // (a generated network without devices: appliance, switch, wireless; put_network: its
  // productTypes).
  std::size_t organizations = 1;
  std::size_t networks = 0;  // per organization
  std::size_t devices = 0;   // per organization
  std::uint64_t seed = 1;

  // The per-organization token bucket: `rate_per_s` tokens a second, at most `burst` held
  // (it starts full). Every request under /organizations/{id}/ (including its 429s and
  // 404s, excluding 401s and redirects) takes a token; none left: 429 with Retry-After (whole
  // seconds until a token is back, at least 1) and
  // {"errors":["API rate limit exceeded for organization"]}. rate_per_s 0: no limit.
  // GET /organizations/{id} counts as under the organization; a request for an unknown
  // organization takes no token at all (neither bucket). Buckets run on a monotonic clock.
  double rate_per_s = 10;
  double burst = 10;
  // The per-source-IP bucket over every authenticated request, same rules; 0: no limit.
  // Taken before the organization's (a request the organization's bucket refuses has taken
  // an IP token). The servers listen on 127.0.0.1 only and see no peer address, so every
  // client shares the one bucket of 127.0.0.1.
  double ip_rate_per_s = 100;
  double ip_burst = 100;
  int retry_after_s = 1;  // what an injected too_many_requests says

  // When set, the main server answers every /api/v1/organizations/{id}/... request with a
  // `redirect_status` to the same path and query on a second server (the "shard"), listening
  // on its own port of 127.0.0.1, which serves everything the main one does (GET
  // /organizations stays on the main server). `shard_host` is the host written in the
  // redirect's Location (and in the shard's Link headers): "127.0.0.1" keeps it on the
  // same host as the main server; "localhost" makes it look like another domain.
  // Redirected: GET /organizations/{id} and everything under it, after authentication (a
  // request without the key gets its 401 from the main server), only for organizations that
  // exist (others answer 404 from the main server). The redirect has an empty body.
  // redirect_status: 301, 302, 303, 307 or 308.
  bool shard = false;
  int redirect_status = 308;
  std::string shard_host = "127.0.0.1";

  std::chrono::milliseconds latency{0};       // added to every answer
  std::chrono::milliseconds hang_for{60000};  // how long MerakiFailure::hang holds a request
  std::size_t threads = 2;
  std::uint16_t port = 0;  // 0: an ephemeral port (the shard always takes an ephemeral one)
};

// Endpoints (GET only; other methods answer 405 {"errors":["Method not allowed"]}), all under
// /api/v1:
//   /organizations                              perPage 3-9000 (default 9000)
//   /organizations/{id}                         one organization
//   /organizations/{id}/networks                perPage 3-100000 (default 1000)
//   /organizations/{id}/devices                 perPage 3-5000 (default 1000)
//   /organizations/{id}/devices/statuses        perPage 3-1000 (default 1000)
// Lists are ordered by id (networks), serial (devices, statuses) or id (organizations) and
// page with `startingAfter` / `endingBefore` (an id or serial, exclusive); a page that is
// not the whole list carries a Link header with absolute URLs (the server the request came
// to, perPage kept):
//   <URL?perPage=N>; rel=first, <...&endingBefore=X>; rel=prev,
//   <...&startingAfter=Y>; rel=next, <...&endingBefore=Z>; rel=last
// (prev only after the first page, next only before the last). Because pages follow ids,
// objects added or removed between pages never make a page repeat or skip the others.
// Paging in detail: startingAfter=S gives the first perPage objects after S; endingBefore=E
// the last perPage objects before E; both, the first perPage objects between them. X is the
// page's first id, Y its last, Z a value past every id ("999999999999" for organizations,
// "zzzzzzzzzzzzzzzzz" for networks, "zzzz-zzzz-zzzz" for serials), so rel=last is the last
// perPage objects. Links carry perPage (the default when the request had none) and the
// cursor only; ids in them are percent-encoded. A list that fits in one page (the empty
// list too) has no Link header; an empty page past the end has first and last only.
// A perPage outside its range or not a number answers 400
// {"errors":["'perPage' must be between 3 and 5000"]}. An unknown organization answers
// 404 {"errors":["Organization not found"]} (no token taken). Unknown paths answer 404
// {"errors":["Not found"]}.
class FakeMeraki {
 public:
  using Options = FakeMerakiOptions;

  struct Mutation {
    std::vector<std::string> added, changed, deleted;  // device serials
    bool operator==(const Mutation&) const = default;
  };

  // Generates the organizations and starts listening (and the shard when asked). Throws
  // std::invalid_argument on a bad option (devices without networks, burst < 1 with a rate).
  explicit FakeMeraki(Options options = {});
  ~FakeMeraki();  // stop()
  FakeMeraki(const FakeMeraki&) = delete;
  FakeMeraki& operator=(const FakeMeraki&) = delete;

  std::string url() const;      // "http://127.0.0.1:PORT", no slash
  std::string api_url() const;  // url() + "/api/v1": what a client is configured with
  std::uint16_t port() const;
  std::string shard_url() const;  // "http://<shard_host>:PORT"; "" without a shard
  void stop();                    // stops both servers; idempotent

  // --- Data (thread-safe) ---------------------------------------------------------------
  // As the API serves them. Organization {id,name,url,api:{enabled:true}}; network {id,
  // organizationId,name,productTypes[],timeZone,tags[],notes,isBoundToConfigTemplate,url};
  // device {serial,name,mac,model,networkId,productType,lanIp,firmware,tags[],address,notes,
  // lat,lng,url}; status {serial,name,networkId,mac,publicIp,lanIp,status,lastReportedAt,
  // productType,model,tags[]} with status online|offline|alerting|dormant.
  std::vector<std::string> organization_ids() const;
  std::vector<nlohmann::json> networks(std::string_view org_id) const;  // ordered by id
  std::vector<nlohmann::json> devices(std::string_view org_id) const;   // ordered by serial
  std::optional<nlohmann::json> network(std::string_view network_id) const;
  std::optional<nlohmann::json> device(std::string_view serial) const;
  std::optional<nlohmann::json> status(std::string_view serial) const;

  // Adds an organization (the next unused id, no networks) and returns its id; an empty name
  // gives "Org <n>".
  std::string add_organization(std::string name);
  bool remove_organization(std::string_view org_id);  // with its networks and devices
  // Creates or replaces a network in an organization; `network.id` is required, the fake
  // sets organizationId. Throws std::invalid_argument on an unknown organization.
  // Members not given keep their value (replace) or are made up as for a generated network
  // (create); members the fake does not know are stored and served as given; url is the
  // fake's. A network id of another organization throws.
  nlohmann::json put_network(std::string_view org_id, nlohmann::json network);
  bool remove_network(std::string_view network_id);  // with its devices
  // Creates or replaces a device; `serial` and `networkId` (an existing network) are
  // required. A new device gets status "online" reported now. Throws std::invalid_argument.
  // As put_network: members not given keep their value or are made up (a unique MAC and
  // LAN address for a new device); a model of another family changes productType unless
  // productType is given; unknown members are served as given; a device may move.
  nlohmann::json put_device(nlohmann::json device);
  bool remove_device(std::string_view serial);
  // Sets a device's status (online|offline|alerting|dormant) and lastReportedAt = now.
  // Throws std::invalid_argument on another status or an unknown serial.
  void set_status(std::string_view serial, std::string_view status);
  // Random changes to the devices of one organization (the first when empty): adds `added`
  // devices to existing networks, changes `changed` others (name, firmware, lanIp, tags or
  // status), deletes `deleted` others (never the same device twice). Each changed device
  // changes visibly in device() or status(); new devices are online. Deterministic for one
  // seed and one sequence of calls. Throws std::invalid_argument on an unknown organization.
  Mutation mutate(std::size_t added, std::size_t changed, std::size_t deleted,
                  std::string_view org_id = {});

  // --- Knobs (thread-safe, effective for the next request) ------------------------------
  void set_api_key(std::string key);
  void set_latency(std::chrono::milliseconds latency);
  // Changes the per-organization bucket (refilled to `burst`); rate 0 turns it off.
  void set_rate_limit(double rate_per_s, double burst);
  // The next `count` requests whose target contains `target_part` (any request when empty)
  // fail as given. Checked after authentication, before the rate limit (and the redirect).
  void fail_next(MerakiFailure failure, std::size_t count = 1, std::string target_part = "");
  // The next n_requests requests (that pass authentication) are served, then `count` fail.
  void fail_after(std::size_t n_requests, MerakiFailure failure, std::size_t count = 1);
  void clear_failures();

  // --- Counters (thread-safe, both servers together) ------------------------------------
  std::size_t requests() const;        // every HTTP request, failures included
  std::size_t rate_limited() const;    // 429s sent (bucket and injected)
  std::size_t unauthorized() const;    // 401s sent
  std::size_t redirects() const;       // redirects sent
  std::size_t shard_requests() const;  // requests the shard received
  // 200 pages served per endpoint: "organizations", "networks", "devices", "statuses".
  std::size_t pages(std::string_view endpoint) const;
  std::size_t max_in_flight() const;  // most requests received and not yet answered at once
  std::optional<TestRequest> last_request() const;  // headers lower-cased
  std::vector<TestRequest> requests_log() const;    // every request, in arrival order
                                                    // (since the last reset_counters())
  void reset_counters();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jobhost::testing
