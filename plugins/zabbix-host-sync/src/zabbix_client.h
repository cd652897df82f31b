// A Zabbix JSON-RPC client over the host's HTTP service: API version detection (once per
// run), the auth rules of 6.4 / 7.0 / 7.2+, and errors that say what to fix.
#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <jobhost/sdk.hpp>
#include <nlohmann/json.hpp>

namespace zhs {

struct ApiVersion {
  int major = 7, minor = 0;
  bool at_least(int ma, int mi) const { return major != ma ? major > ma : minor >= mi; }
};

struct Connection {
  std::string url;                   // ends in /api_jsonrpc.php
  std::string token;                 // API token
  std::string auth_method = "auto";  // auto (by version), bearer, body
  std::string ca_file;
  bool tls_verify = true;
  std::chrono::milliseconds timeout{30000};
  std::chrono::milliseconds connect_timeout{10000};
  uint32_t max_in_flight = 4;
  size_t batch_size = 500;
  // 429 answers (a rate-limiting proxy in front of Zabbix) the host waits out per request, by
  // Retry-After, before one comes back as the run's error.
  uint32_t retry_429 = 4;
};

// The plugin's connection settings (url, token, ...), validated.
Connection connection_from_settings(const jobhost::Context& ctx);

// Zabbix unreachable, answering with an error, or refusing the request: the run's error.
class ZabbixError : public std::runtime_error {
 public:
  // `refused`: Zabbix answered this request with an error about the request itself (not
  // about the connection or the credentials), so other requests may still succeed.
  explicit ZabbixError(const std::string& message, bool refused = false)
      : std::runtime_error(message), refused_(refused) {}
  bool refused() const { return refused_; }

 private:
  bool refused_;
};

// One call of call_each: its result, or why Zabbix refused that one request.
struct CallOutcome {
  bool ok = false;
  nlohmann::json result;
  std::string error;
};

class ZabbixClient {
 public:
  ZabbixClient(const jobhost::Context& ctx, Connection connection);

  // apiinfo.version, asked once (without auth, as Zabbix requires).
  const std::string& version();
  // The API's major.minor (asks the version first if needed).
  ApiVersion api();

  // An authenticated call; returns its `result`.
  nlohmann::json call(const std::string& method, const nlohmann::json& params);
  // Many authenticated calls of one method, at most max_in_flight at a time; results in order.
  std::vector<nlohmann::json> call_many(const std::string& method,
                                        const std::vector<nlohmann::json>& params);

  // The same, but a request Zabbix refuses for its content is that request's outcome; only
  // transport, HTTP and credential failures throw.
  std::vector<CallOutcome> call_each(const std::string& method,
                                     const std::vector<nlohmann::json>& params);

  const Connection& connection() const { return connection_; }
  int64_t requests() const { return requests_; }

 private:
  jobhost::HttpRequest request(const std::string& method, const nlohmann::json& params,
                               bool authenticated);
  nlohmann::json result_of(const std::string& method, const jobhost::HttpResponse& response) const;
  bool bearer();

  const jobhost::Context& ctx_;
  Connection connection_;
  std::string version_;
  ApiVersion api_;
  int64_t next_id_ = 1;
  int64_t requests_ = 0;
};

}  // namespace zhs
