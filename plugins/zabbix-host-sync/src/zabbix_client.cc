#include "zabbix_client.h"

#include <cstdio>

namespace zhs {

namespace {

// "1 retry", "3 retries".
std::string retries(uint32_t n) {
  return std::to_string(n) + (n == 1 ? " retry" : " retries");
}

}  // namespace

Connection connection_from_settings(const jobhost::Context& ctx) {
  Connection c;
  c.url = ctx.setting_or<std::string>("url", "");
  if (c.url.empty())
    throw ZabbixError(
        "the `url` setting is empty: set plugins.zabbix-host-sync.url to the Zabbix frontend, "
        "e.g. https://zabbix.example.com");
  // The frontend URL or the API endpoint itself both work.
  if (c.url.size() < 16 || c.url.compare(c.url.size() - 16, 16, "/api_jsonrpc.php") != 0) {
    while (!c.url.empty() && c.url.back() == '/') c.url.pop_back();
    c.url += "/api_jsonrpc.php";
  }
  c.token = ctx.setting_or<std::string>("token", "");
  if (c.token.empty())
    throw ZabbixError(
        "the `token` setting is empty: create an API token in Zabbix (Users > API tokens) and "
        "set plugins.zabbix-host-sync.token, e.g. token: ${ZABBIX_TOKEN}");
  c.auth_method = ctx.setting_or<std::string>("auth_method", "auto");
  c.ca_file = ctx.setting_or<std::string>("ca_file", "");
  c.tls_verify = ctx.setting_or<bool>("tls_verify", true);
  c.timeout = std::chrono::milliseconds(
      static_cast<int64_t>(ctx.setting_or<double>("timeout_s", 30) * 1000));
  c.connect_timeout = std::chrono::milliseconds(
      static_cast<int64_t>(ctx.setting_or<double>("connect_timeout_s", 10) * 1000));
  c.max_in_flight = static_cast<uint32_t>(ctx.setting_or<int64_t>("max_in_flight", 4));
  c.batch_size = static_cast<size_t>(ctx.setting_or<int64_t>("batch_size", 500));
  c.retry_429 = static_cast<uint32_t>(ctx.setting_or<int64_t>("retry_429", 4));
  return c;
}

ZabbixClient::ZabbixClient(const jobhost::Context& ctx, Connection connection)
    : ctx_(ctx), connection_(std::move(connection)) {}

const std::string& ZabbixClient::version() {
  if (!version_.empty()) return version_;
  jobhost::HttpResponse r;
  try {
    r = ctx_.http(request("apiinfo.version", nlohmann::json::array(), false));
  } catch (const jobhost::Cancelled&) {
    throw;
  } catch (const std::exception& e) {
    throw ZabbixError("cannot reach Zabbix at " + connection_.url + ": " + e.what() +
                      " (check the `url` setting and the network)");
  }
  const nlohmann::json v = result_of("apiinfo.version", r);
  if (!v.is_string() ||
      std::sscanf(v.get<std::string>().c_str(), "%d.%d", &api_.major, &api_.minor) != 2)
    throw ZabbixError("Zabbix at " + connection_.url + " answered apiinfo.version with " +
                      v.dump() + ", not a version");
  version_ = v.get<std::string>();
  return version_;
}

ApiVersion ZabbixClient::api() {
  version();
  if (!api_.at_least(6, 4))
    throw ZabbixError("Zabbix at " + connection_.url + " runs API " + version_ +
                      "; this plugin supports 6.4 and later (6.4, 7.0 LTS, 7.2+)");
  return api_;
}

bool ZabbixClient::bearer() {
  if (connection_.auth_method == "bearer") return true;
  if (connection_.auth_method == "body") return false;
  // The Authorization header exists since 6.4 (the oldest supported); 7.2 accepts nothing
  // else.
  api();
  return true;
}

jobhost::HttpRequest ZabbixClient::request(const std::string& method, const nlohmann::json& params,
                                           bool authenticated) {
  nlohmann::json envelope = {
      {"jsonrpc", "2.0"}, {"method", method}, {"params", params}, {"id", next_id_++}};
  jobhost::HttpRequest r;
  r.method = "POST";
  r.url = connection_.url;
  r.headers.push_back({"Content-Type", "application/json-rpc"});
  if (authenticated) {
    if (bearer())
      r.headers.push_back({"Authorization", "Bearer " + connection_.token});
    else
      envelope["auth"] = connection_.token;
  }
  r.body = envelope.dump();
  r.timeout = connection_.timeout;
  r.connect_timeout = connection_.connect_timeout;
  r.ca_file = connection_.ca_file;
  r.tls_insecure = !connection_.tls_verify;
  // One bucket per Zabbix: a 429 holds back every request to it until Retry-After has
  // passed. No pacing: Zabbix has no limit of its own, only a proxy in front of it may.
  r.rate_key = connection_.url;
  r.retry_429 = connection_.retry_429;
  ++requests_;
  return r;
}

nlohmann::json ZabbixClient::result_of(const std::string& method,
                                       const jobhost::HttpResponse& response) const {
  const std::string where = "Zabbix at " + connection_.url;
  if (response.status != 200) {
    std::string hint;
    if (response.status == 412)
      hint = " (it refused the request's content type)";
    else if (response.status == 404)
      hint = " (is `url` the Zabbix frontend?)";
    else if (response.status >= 500)
      hint = " (the server failed; Zabbix or its web server is in trouble)";
    if (response.status == 429)
      throw ZabbixError(where + " answered 429 Too Many Requests to " + method + " after " +
                        retries(response.rate_limited) +
                        " (Retry-After honoured): a rate limit in front of Zabbix (a "
                        "reverse proxy) refuses this many requests; lower max_in_flight or how "
                        "often the refresh runs (host_config_sync_interval), raise the proxy's "
                        "limit for this client, or raise retry_429");
    throw ZabbixError(where + " answered HTTP " + std::to_string(response.status) + " to " +
                      method + hint);
  }
  nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    throw ZabbixError(where + " answered " + method + " with malformed JSON (" +
                      std::to_string(response.body.size()) +
                      " bytes: " + response.body.substr(0, 120) + ")");
  if (auto e = body.find("error"); e != body.end()) {
    const std::string message = e->value("message", std::string());
    const std::string data = e->contains("data") && (*e)["data"].is_string()
                                 ? (*e)["data"].get<std::string>()
                                 : std::string();
    const int code = e->value("code", 0);
    std::string hint;
    bool credentials = true;
    if (data.find("Not authorized") != std::string::npos)
      hint = ": Zabbix does not accept the API token; check the `token` setting";
    else if (data.find("token expired") != std::string::npos)
      hint = ": the API token expired; create a new one in Zabbix and update the `token` setting";
    else if (data.find("Session terminated") != std::string::npos)
      hint = ": the session ended; use an API token in the `token` setting";
    else if (data.find("unexpected parameter \"auth\"") != std::string::npos)
      hint =
          ": this Zabbix (7.2 or later) takes the token only as a Bearer header; set "
          "auth_method to auto or bearer";
    else
      credentials = false;
    throw ZabbixError(where + " refused " + method + ": " + message +
                          (data.empty() ? "" : " " + data) + " (code " + std::to_string(code) +
                          ")" + hint,
                      !credentials && (code == -32602 || code == -32500));
  }
  auto result = body.find("result");
  if (result == body.end()) throw ZabbixError(where + " answered " + method + " without a result");
  return std::move(*result);
}

nlohmann::json ZabbixClient::call(const std::string& method, const nlohmann::json& params) {
  jobhost::HttpResponse r;
  auto req = request(method, params, true);
  try {
    r = ctx_.http(req);
  } catch (const jobhost::Cancelled&) {
    throw;
  } catch (const std::exception& e) {
    throw ZabbixError("cannot reach Zabbix at " + connection_.url + " (" + method +
                      "): " + e.what());
  }
  return result_of(method, r);
}

std::vector<CallOutcome> ZabbixClient::call_each(const std::string& method,
                                                 const std::vector<nlohmann::json>& params) {
  std::vector<jobhost::HttpRequest> requests;
  requests.reserve(params.size());
  for (const auto& p : params) requests.push_back(request(method, p, true));
  auto results = ctx_.http_many(requests, connection_.max_in_flight);
  std::vector<CallOutcome> out(results.size());
  for (size_t i = 0; i < results.size(); ++i) {
    if (!results[i].ok)
      throw ZabbixError("cannot reach Zabbix at " + connection_.url + " (" + method +
                        "): " + results[i].error);
    try {
      out[i].result = result_of(method, results[i].response);
      out[i].ok = true;
    } catch (const ZabbixError& e) {
      if (!e.refused()) throw;
      out[i].error = e.what();
    }
  }
  return out;
}

std::vector<nlohmann::json> ZabbixClient::call_many(const std::string& method,
                                                    const std::vector<nlohmann::json>& params) {
  std::vector<nlohmann::json> out;
  out.reserve(params.size());
  for (auto& o : call_each(method, params)) {
    if (!o.ok) throw ZabbixError(o.error, true);
    out.push_back(std::move(o.result));
  }
  return out;
}

}  // namespace zhs
