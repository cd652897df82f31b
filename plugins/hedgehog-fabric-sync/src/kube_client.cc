#include "kube_client.h"

#include <utility>

namespace hfs {

namespace {

constexpr int kMaxRestarts = 3;

std::string percent_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == '.' || c == '~';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// The message and reason of a Kubernetes Status body, or the start of whatever came instead.
std::pair<std::string, std::string> status_of(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_object() && j.value("kind", "") == "Status")
    return {j.value("message", ""), j.value("reason", "")};
  return {body.substr(0, 200), ""};
}

// What to do about a transport failure, when the text says what it is.
std::string transport_hint(const std::string& error) {
  auto has = [&](const char* s) { return error.find(s) != std::string::npos; };
  if (has("certificate") || has("SSL") || has("TLS"))
    return " (check fabrics[].ca_file: it must hold the CA that signed the API server's "
           "certificate)";
  if (has("timed out") || has("Timeout") || has("timeout"))
    return " (the API server did not answer in time: check it, or raise timeout_s)";
  if (has("refused") || has("resolve"))
    return " (check fabrics[].url and that the API server is reachable from this host)";
  return "";
}

// "1 retry", "3 retries".
std::string retries(uint32_t n) {
  return std::to_string(n) + (n == 1 ? " retry" : " retries");
}

}  // namespace

KubeClient::KubeClient(const jobhost::Context& ctx, Fabric fabric, RequestSettings settings)
    : ctx_(ctx), fabric_(std::move(fabric)), settings_(settings) {}

jobhost::HttpRequest KubeClient::get(const std::string& path_and_query) const {
  jobhost::HttpRequest r;
  r.method = "GET";
  r.url = fabric_.url + path_and_query;
  r.headers = {{"Accept", "application/json"}};
  if (!fabric_.token.empty()) r.headers.emplace_back("Authorization", "Bearer " + fabric_.token);
  r.timeout = settings_.timeout;
  r.connect_timeout = settings_.connect_timeout;
  r.ca_file = fabric_.ca_file;
  r.tls_insecure = fabric_.insecure_skip_tls_verify;
  // One bucket per API server: a 429 holds back every request to it, as APF asks, while
  // other fabrics go on. No pacing: the server says when it is overloaded.
  r.rate_key = fabric_.url;
  r.retry_429 = settings_.retry_429;
  return r;
}

void KubeClient::fail_status(const jobhost::HttpRequest& request,
                             const jobhost::HttpResponse& response, const std::string& what) const {
  const auto [message, reason] = status_of(response.body);
  const std::string who = "fabric '" + fabric_.name + "': ";
  const std::string code = std::to_string(response.status);
  if (response.status == 401)
    throw KubeError(who + "the Kubernetes API refused the token (401 " +
                    (reason.empty() ? "Unauthorized" : reason) +
                    "): check fabrics[].token (a service account token of this cluster)");
  if (response.status == 403)
    throw KubeError(who + "not allowed to " + what + " (403 Forbidden: " + message +
                    "): grant the token's service account get and list on it");
  if (response.status == 429)
    throw KubeError(who + "the Kubernetes API server answered 429 Too Many Requests to " + what +
                    " after " + retries(response.rate_limited) +
                    " (Retry-After honoured): API Priority and Fairness rejects this "
                    "client's requests; lower max_in_flight or how often the fabric syncs "
                    "(sync_interval), give the token's service account a FlowSchema with more "
                    "concurrency, or raise retry_429");
  throw KubeError(who + "GET " + request.url + " answered " + code +
                  (reason.empty() ? "" : " " + reason) + (message.empty() ? "" : ": " + message));
}

nlohmann::json KubeClient::answer(const jobhost::HttpRequest& request,
                                  const jobhost::HttpResult& result,
                                  const std::string& what) const {
  if (!result.ok)
    throw KubeError("fabric '" + fabric_.name + "': " + result.error +  // names the URL
                    transport_hint(result.error));
  if (result.response.status != 200) fail_status(request, result.response, what);
  auto body = nlohmann::json::parse(result.response.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    throw KubeError(
        "fabric '" + fabric_.name + "': GET " + request.url +
        " answered 200 with a body that is not JSON: " + result.response.body.substr(0, 200));
  return body;
}

nlohmann::json KubeClient::version() {
  const auto request = get("/version");
  jobhost::HttpResult result;
  try {
    result.response = ctx_.http(request);
    result.ok = true;
  } catch (const jobhost::Cancelled&) {
    throw;
  } catch (const jobhost::Error& e) {
    result.error = e.what();
  }
  ++requests_;
  return answer(request, result, "read /version");
}

KindList KubeClient::first_page(const Kind& kind, int64_t limit) {
  const auto request = get(kind.list_path(fabric_.ns) + "?limit=" + std::to_string(limit));
  auto results = ctx_.http_many({request}, 1);
  ++requests_;
  KindList list;
  list.kind = &kind;
  list.installed = installed(results[0], true);
  if (!list.installed) return list;
  auto body = answer(request, results[0], "list " + kind.plural + "." + kind.group);
  if (auto items = body.find("items"); items != body.end() && items->is_array())
    for (auto& item : *items) list.items.push_back(std::move(item));
  list.pages = 1;
  return list;
}

std::vector<KindList> KubeClient::list_all(const std::vector<Kind>& kinds) {
  struct Listing {
    KindList list;
    std::string cont;  // the continue token of the next page; "" before the first
    bool done = false;
  };
  std::vector<Listing> listings(kinds.size());
  for (size_t i = 0; i < kinds.size(); ++i) listings[i].list.kind = &kinds[i];

  const std::string limit = "?limit=" + std::to_string(settings_.page_size);
  while (true) {
    std::vector<size_t> pending;
    std::vector<jobhost::HttpRequest> requests;
    for (size_t i = 0; i < listings.size(); ++i) {
      if (listings[i].done) continue;
      std::string query = limit;
      if (!listings[i].cont.empty()) query += "&continue=" + percent_encode(listings[i].cont);
      pending.push_back(i);
      requests.push_back(get(kinds[i].list_path(fabric_.ns) + query));
    }
    if (pending.empty()) break;
    ctx_.log(jobhost::Level::debug,
             "fabric " + fabric_.name + ": listing " + std::to_string(pending.size()) + " kinds");
    auto results = ctx_.http_many(requests, settings_.max_in_flight);
    requests_ += static_cast<int64_t>(results.size());
    for (size_t n = 0; n < pending.size(); ++n) {
      Listing& l = listings[pending[n]];
      const Kind& kind = kinds[pending[n]];
      const std::string what = "list " + kind.plural + "." + kind.group;
      const auto& r = results[n];
      if (!installed(r, l.cont.empty())) {
        l.list.installed = false;  // zero objects of this kind
        l.done = true;
        continue;
      }
      if (r.ok && r.response.status == 410 && !l.cont.empty()) {
        if (++l.list.restarts > kMaxRestarts)
          throw KubeError("fabric '" + fabric_.name + "': " + what + ": the continue token " +
                          "expired " + std::to_string(kMaxRestarts + 1) +
                          " times (410 Gone); the API server compacts faster than a list "
                          "completes: raise page_size");
        l.list.items.clear();
        l.cont.clear();
        continue;
      }
      auto body = answer(requests[n], r, what);
      auto items = body.find("items");
      if (items == body.end() || !items->is_array())
        throw KubeError("fabric '" + fabric_.name + "': " + what + " answered without items");
      ++l.list.pages;
      for (auto& item : *items) l.list.items.push_back(std::move(item));
      l.cont.clear();
      if (auto meta = body.find("metadata"); meta != body.end() && meta->is_object())
        l.cont = meta->value("continue", "");
      l.done = l.cont.empty();
    }
  }

  std::vector<KindList> out;
  out.reserve(listings.size());
  for (auto& l : listings) out.push_back(std::move(l.list));
  return out;
}

}  // namespace hfs
