#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "fakes/zabbix/counters.h"
#include "fakes/zabbix/credentials.h"
#include "fakes/zabbix/failure_injection.h"
#include "fakes/zabbix/fake_zabbix.h"
#include "fakes/zabbix/host.h"
#include "fakes/zabbix/http_answers.h"
#include "fakes/zabbix/json_text.h"
#include "fakes/zabbix/settings.h"
#include "support/http_test_server.h"

// How the fake follows real Zabbix (ui/api_jsonrpc.php, CJsonRpc, CLocalApiClient,
// CApiInputValidator, CHost): see the comments at each rule. Everything is kept in memory:
// hosts in a vector with name/id hash maps, and the fixed catalogue of catalogue.h.
namespace jobhost::testing::fake_zabbix {

// The fake Zabbix frontend behind FakeZabbix: the host table, the HTTP server and the
// JSON-RPC methods. Its members are spread over the files named at each group.
class Frontend {
 public:
  // Generates the inventory and starts listening. Throws std::invalid_argument on a bad
  // version or fraction.
  explicit Frontend(FakeZabbixOptions options);
  ~Frontend() { stop(); }
  Frontend(const Frontend&) = delete;
  Frontend& operator=(const Frontend&) = delete;

  void stop() {
    if (server_) server_->stop();
  }
  std::string url() const { return server_->base_url() + std::string(kApiPath); }
  std::uint16_t port() const { return server_->port(); }

  // --- The inventory as tests see it (inventory_access.cc) ---
  json desired_host_configs() const;
  std::vector<FakeZabbix::Drift> drifted() const;
  std::vector<std::string> missing_hosts() const;
  void write_desired(const std::filesystem::path& path) const;
  std::string add_host(const json& input);
  std::optional<json> host_by_name(const std::string& name) const;
  std::size_t host_count() const;

  // --- Knobs and counters, each thread-safe on its own ---
  Settings& settings() { return settings_; }
  Credentials& credentials() { return credentials_; }
  InjectedFailures& failures() { return failures_; }
  Counters& counters() { return counters_; }

 private:
  struct CallContext {
    const RequestSettings& settings;
    const TestRequest& request;
  };

  // --- HTTP (http_transport.cc) ---
  TestResponse handle(const TestRequest& request);
  TestResponse respond(const TestRequest& request, const RequestSettings& settings);

  // --- JSON-RPC envelope, one call or a batch (rpc_envelope.cc) ---
  std::string process(const ojson& body, const CallContext& context);
  std::optional<std::string> execute_call(const ojson& call, const CallContext& context);

  // --- Method lookup and authentication (rpc_dispatch.cc) ---
  std::string dispatch(const std::string& api, const std::string& method,
                       const std::string& api_sent, const std::string& method_sent,
                       const ojson& call, const CallContext& context);

  // --- Methods, each answering its result as JSON text or throwing ApiError ---
  // session_methods.cc
  std::string apiinfo_version(const ojson& params, const RequestSettings& settings);
  std::string user_login(const ojson& params);
  std::string user_logout(const std::optional<std::string>& auth);
  std::string user_check_authentication(const ojson& params);
  std::string user_object(const std::string& sessionid) const;
  // host_get.cc
  std::string host_get(const ojson& params, const RequestSettings& settings);
  // host_changes.cc
  std::string host_create(const ojson& params, const RequestSettings& settings);
  std::string host_update(const ojson& params, const RequestSettings& settings);
  std::string host_delete(const ojson& params);
  // hostgroup_get.cc, template_get.cc
  std::string hostgroup_get(const ojson& params);
  std::string template_get(const ojson& params, const RequestSettings& settings);

  // --- The host table (frontend.cc); data_mutex_ held, exclusively to insert ---
  void insert_host(Host host);
  const Host* find_host(std::uint64_t hostid) const;

  const FakeZabbixOptions options_;
  Settings settings_;
  Credentials credentials_;
  InjectedFailures failures_;
  Counters counters_;

  mutable std::shared_mutex data_mutex_;
  std::vector<Host> hosts_;
  std::unordered_map<std::string, std::size_t> by_host_;
  std::unordered_map<std::string, std::size_t> by_name_;
  std::unordered_map<std::uint64_t, std::size_t> by_id_;
  std::uint64_t next_hostid_ = 10000;
  std::uint64_t next_interfaceid_ = 1;

  // The generated plan (immutable after construction).
  std::vector<std::size_t> missing_;
  std::vector<std::size_t> drifted_;

  std::unique_ptr<HttpTestServer> server_;  // last: stops before the state goes
};

}  // namespace jobhost::testing::fake_zabbix
