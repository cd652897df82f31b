#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/http_test_server.h"

// A fake Zabbix frontend API (JSON-RPC over POST /api_jsonrpc.php) for tests, benchmarks and
// demos: the transport, envelope, authentication and error texts of real Zabbix 6.4 / 7.0 /
// 7.2+, an in-memory host inventory with host.get/create/update/delete, a generated inventory
// with known drift against the desired configs, and knobs for latency and injected failures.
namespace jobhost::testing {

// What an injected failure does to one HTTP request. The request is counted (requests()) but
// none of its calls runs.
enum class FailureKind {
  http_500,          // HTTP 500 with an HTML body, as PHP-FPM/nginx answer a crashed frontend
  malformed_json,    // HTTP 200, application/json, a truncated JSON document
  close_connection,  // the connection closes without a byte of response
  hang,              // nothing for FakeZabbixOptions::hang_for, then the connection closes
  rpc_error,         // every call answers -32500 "Application error." with a data text
  // HTTP 429 with nginx's page and Retry-After: FakeZabbixOptions::retry_after, as a
  // rate-limiting reverse proxy in front of the frontend answers (Zabbix itself has no limit)
  too_many_requests,
};
std::string_view to_string(FailureKind kind);

struct FakeZabbixOptions {
  // What apiinfo.version answers; picks the rules: below 7.0 behaves as 6.4 (proxy_hostid),
  // 7.0 and 7.1 as 7.0, 7.2 and later as 7.2 (no "auth" in the body, no selectGroups).
  std::string version = "7.0.0";
  // The one valid API token (Authorization: Bearer, or "auth" in the body up to 7.0).
  std::string token = "fake-token";
  // user.login accepts these and answers a session id, valid as a token until user.logout.
  std::string username = "Admin";
  std::string password = "zabbix";

  // Generated inventory (see desired_host_configs()): host-000000 ... host-<hosts-1>.
  std::size_t hosts = 0;
  double drift = 0;    // fraction of the hosts in Zabbix with exactly one field changed
  double missing = 0;  // fraction of the desired hosts absent from Zabbix
  std::uint64_t seed = 1;

  std::chrono::milliseconds latency{0};       // added to every answer
  std::chrono::milliseconds hang_for{60000};  // how long FailureKind::hang holds a request
  // The Retry-After of FailureKind::too_many_requests: whole seconds ("1") when it is a whole
  // second, else decimal seconds ("0.05"), which keeps tests of the client's waiting fast.
  std::chrono::milliseconds retry_after{1000};
  std::size_t threads = 2;
  std::optional<ServerTls> tls;  // set: HTTPS only
  std::uint16_t port = 0;        // 0: an ephemeral port

  // Real host.get/template.get ignore parameters they do not know (and 7.2+ ignores the
  // removed selectGroups: the result has no "groups"). true: answer those with -32602
  // `Invalid parameter "/": unexpected parameter "xyz".` instead, to catch typos loudly.
  bool strict_params = false;
  // A wrong or empty token answers -32602 "Not authorized."; a session ended by user.logout
  // "Session terminated, re-login, please.". Real Zabbix takes every token that is not 64
  // characters long for a session id, so a wrong short token gets "Session terminated,
  // re-login, please." there: true does the same.
  bool zabbix_session_errors = false;
};

// Methods: apiinfo.version, user.login/logout/checkAuthentication, host.get/create/update/
// delete, hostgroup.get, template.get. Other real Zabbix methods, and host.get parameters the
// fake leaves out (search, tags, selectItems, with_*, ...), answer -32603 "Internal error."
// with a data text naming them, so a test never mistakes a gap of the fake for an answer.
class FakeZabbix {
 public:
  using Options = FakeZabbixOptions;

  // A generated host whose Zabbix side differs from its desired config in one field: one of
  // "name", "status", "description", "tags", "groups", "templates", "interfaces",
  // "inventory_mode", "monitored_by" (monitored_by and proxyid change together).
  struct Drift {
    std::string host;
    std::string field;
    bool operator==(const Drift&) const = default;
  };

  // Generates the inventory and starts listening. Throws std::invalid_argument on a bad
  // version or fraction.
  explicit FakeZabbix(Options options = {});
  ~FakeZabbix();  // stop()
  FakeZabbix(const FakeZabbix&) = delete;
  FakeZabbix& operator=(const FakeZabbix&) = delete;

  // "http://127.0.0.1:PORT/api_jsonrpc.php" ("https://..." with TLS).
  std::string url() const;
  std::uint16_t port() const;
  // Stops listening and closes every connection; idempotent.
  void stop();

  // --- Inventory -------------------------------------------------------------------------
  // The desired configs of all generated hosts, in the plugin's import format, in host order:
  // [{"host":"host-000001","name":"Host 000001","status":"enabled","description":"generated",
  //   "monitored_by":"server","proxyid":"0","proxy_groupid":"0","inventory_mode":"disabled",
  //   "groups":["3","17"],"templates":["10005"],
  //   "tags":[{"tag":"site","value":"site-1"},{"tag":"role","value":"web"}],
  //   "interfaces":[{"type":"agent","main":true,"useip":true,"ip":"10.0.0.2","dns":"",
  //                  "port":"10050"}]}, ...]
  nlohmann::json desired_host_configs() const;
  std::vector<Drift> drifted() const;              // in host order
  std::vector<std::string> missing_hosts() const;  // technical names, in host order
  // Writes {"host_configs":[...desired_host_configs()...]}. Throws std::runtime_error.
  void write_desired(const std::filesystem::path& path) const;

  // Adds a host as host.create takes it (groups [{groupid}], templates [{templateid}], tags,
  // interfaces with numeric codes, monitored_by/proxyid/...; numbers or strings), optionally
  // with its "hostid". No validation beyond the shape and unique names/ids. Returns the
  // hostid. Throws std::invalid_argument.
  std::string add_host(const nlohmann::json& zabbix_host);
  // The host as host.get answers it for the current version with output "extend" and every
  // select (interfaces, parentTemplates, tags, hostgroups, inventory; groups up to 7.0).
  std::optional<nlohmann::json> host_by_name(const std::string& host) const;
  std::size_t host_count() const;  // hosts in Zabbix now

  // --- Knobs (thread-safe, effective for the next request) ---------------------------------
  void set_latency(std::chrono::milliseconds latency);
  void set_version(std::string version);  // throws std::invalid_argument
  std::string version() const;
  void set_token(std::string token);  // also clears expire_token_after
  // After n more calls authenticated with the API token, it answers -32500 "API token
  // expired." (0: from the next call on).
  void expire_token_after(std::size_t calls);
  // The next `count` requests (only those with a call to `method` when it is not empty) fail.
  void fail_next(FailureKind kind, std::size_t count = 1, std::string method = "");
  // Outage mid-run: the next n_requests requests are served, then `count` fail.
  void fail_after(std::size_t n_requests, FailureKind kind, std::size_t count = 1);
  void clear_failures();

  // --- Counters (thread-safe) -------------------------------------------------------------
  std::size_t requests() const;  // HTTP requests received, injected failures included
  // Calls that reached a method (valid envelope), by method as "host.get" (lower case);
  // calls of a request failed by injection are not counted.
  std::size_t calls(std::string_view method) const;
  std::size_t calls() const;           // all methods
  std::size_t hosts_returned() const;  // hosts in host.get results
  // The last HTTP request (headers lower-cased); nullopt before the first one.
  std::optional<TestRequest> last_request() const;
  // Most requests seen in flight at once (received and not yet answered, latency included).
  std::size_t max_in_flight() const;
  void reset_counters();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jobhost::testing
