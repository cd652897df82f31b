#include "meraki_client.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace mks {

namespace {

constexpr int kMaxRedirects = 5;

// Meraki's API hosts (and their regional and government clouds): the only places besides the
// configured base URL that may receive the API key.
constexpr const char* kMerakiDomains[] = {"meraki.com", "meraki.ca", "meraki.cn", "meraki.in",
                                          "gov-meraki.com"};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool ends_with_domain(const std::string& host, const std::string& domain) {
  if (host == domain) return true;
  return host.size() > domain.size() &&
         host.compare(host.size() - domain.size(), domain.size(), domain) == 0 &&
         host[host.size() - domain.size() - 1] == '.';
}

std::string scheme_of(const std::string& url) {
  const auto colon = url.find("://");
  return colon == std::string::npos ? "" : lower(url.substr(0, colon));
}

// "https://host:port" of an absolute URL.
std::string origin_of(const std::string& url) {
  const auto colon = url.find("://");
  if (colon == std::string::npos) return "";
  return url.substr(0, url.find('/', colon + 3));
}

// The `errors` of a Meraki error body, joined, or the start of whatever came instead.
std::string errors_of(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_object())
    if (auto e = j.find("errors"); e != j.end() && e->is_array()) {
      std::string out;
      for (const auto& m : *e)
        out += (out.empty() ? "" : "; ") + (m.is_string() ? m.get<std::string>() : m.dump());
      return out;
    }
  return body.substr(0, 200);
}

std::string transport_hint(const std::string& error) {
  auto has = [&](const char* s) { return error.find(s) != std::string::npos; };
  if (has("certificate") || has("SSL") || has("TLS"))
    return " (check ca_file, or the base_url's certificate)";
  if (has("timed out") || has("Timeout") || has("timeout"))
    return " (the API did not answer in time: raise timeout_s, or check the network)";
  if (has("refused") || has("resolve"))
    return " (check base_url and that the API is reachable from this host)";
  return "";
}

}  // namespace

std::string url_host(const std::string& url) {
  const auto colon = url.find("://");
  if (colon == std::string::npos) return "";
  std::string authority = url.substr(colon + 3, url.find_first_of("/?#", colon + 3) - colon - 3);
  if (auto at = authority.rfind('@'); at != std::string::npos) authority.erase(0, at + 1);
  if (!authority.empty() && authority.front() == '[')
    return lower(authority.substr(0, authority.find(']') + 1));
  return lower(authority.substr(0, authority.find(':')));
}

std::string next_link(const std::string& header) {
  // <url>; rel=first, <url>; rel="next", ...: URLs are between angle brackets, so a comma
  // inside one never splits an entry.
  std::size_t pos = 0;
  while ((pos = header.find('<', pos)) != std::string::npos) {
    const auto close = header.find('>', pos);
    if (close == std::string::npos) return "";
    const std::string target = header.substr(pos + 1, close - pos - 1);
    const auto next_entry = header.find('<', close);
    std::string params = lower(header.substr(
        close + 1, next_entry == std::string::npos ? std::string::npos : next_entry - close - 1));
    params.erase(std::remove_if(params.begin(), params.end(),
                                [](char c) { return c == ' ' || c == '"' || c == '\t'; }),
                 params.end());
    // rel may list several relations: rel="next last".
    for (std::size_t r = params.find("rel="); r != std::string::npos;
         r = params.find("rel=", r + 4)) {
      const std::string value = params.substr(r + 4, params.find_first_of(";,", r + 4) - r - 4);
      if (value == "next" || value.rfind("next", 0) == 0) return target;
    }
    pos = close;
  }
  return "";
}

MerakiClient::MerakiClient(const jobhost::Context& ctx, MerakiSettings settings)
    : ctx_(ctx), settings_(std::move(settings)), base_host_(url_host(settings_.base_url)) {}

bool MerakiClient::may_send_key_to(const std::string& url) const {
  // Never downgrade: a key that went out over HTTPS does not follow a redirect to HTTP.
  if (scheme_of(settings_.base_url) == "https" && scheme_of(url) != "https") return false;
  const std::string host = url_host(url);
  if (host.empty()) return false;
  if (host == base_host_) return true;
  for (const char* domain : kMerakiDomains)
    if (ends_with_domain(host, domain)) return true;
  return false;
}

jobhost::HttpRequest MerakiClient::get(const std::string& url, const std::string& rate_key) const {
  jobhost::HttpRequest r;
  r.url = url;
  r.headers = {{"Accept", "application/json"}};
  if (settings_.legacy_auth_header)
    r.headers.emplace_back("X-Cisco-Meraki-API-Key", settings_.api_key);
  else
    r.headers.emplace_back("Authorization", "Bearer " + settings_.api_key);
  r.timeout = settings_.timeout;
  r.connect_timeout = settings_.connect_timeout;
  r.ca_file = settings_.ca_file;
  r.rate_key = rate_key;
  r.rate_per_s = settings_.rate_limit_per_s;
  r.rate_burst = settings_.rate_limit_burst;
  r.retry_429 = settings_.retry_429;
  return r;
}

void MerakiClient::fail(const ListFetch& list, const std::string& url,
                        const jobhost::HttpResponse& response) const {
  const std::string errors = errors_of(response.body);
  const std::string said =
      " (" + std::to_string(response.status) + (errors.empty() ? "" : ": " + errors) + ")";
  switch (response.status) {
    case 401:
      throw MerakiRefusal("the Meraki API refused the API key" + said +
                          ": check api_key (a key of a dashboard user with API access)");
    case 403:
      throw MerakiRefusal("not allowed to read " + list.what + said +
                          ": the API key's user needs at least read-only access to it");
    case 404:
      throw MerakiRefusal(
          list.what + ": not found" + said +
          ": check `organizations` (ids the API key can see: meraki.test_connection "
          "lists them) and base_url");
    case 429:
      throw MerakiError(list.what + ": still rate limited after " +
                        std::to_string(response.rate_limited) +
                        " answers 429 waited out (Retry-After honoured): another client is using "
                        "this organization's API budget; the sync will be retried");
    default:
      throw MerakiError(list.what + ": GET " + url + " answered " +
                        std::to_string(response.status) + (errors.empty() ? "" : ": " + errors));
  }
}

std::string MerakiClient::handle(ListFetch& list, const std::string& url,
                                 const jobhost::HttpResult& result) {
  if (!result.ok) throw MerakiError(list.what + ": " + result.error + transport_hint(result.error));
  const auto& response = result.response;
  stats_.calls += 1 + response.rate_limited;
  stats_.calls_429 += response.rate_limited + (response.status == 429 ? 1 : 0);
  if (response.status >= 300 && response.status < 400 && response.header("Location")) {
    std::string location = *response.header("Location");
    if (!location.empty() && location.front() == '/') location = origin_of(url) + location;
    if (!may_send_key_to(location))
      throw MerakiRefusal(list.what + ": the API redirected to " + origin_of(location) +
                          ", outside Meraki's domains (and " + base_host_ +
                          "): not sending the API key there. Check base_url");
    ++stats_.redirects;
    return location;
  }
  if (response.status != 200) fail(list, url, response);
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (!body.is_array())
    throw MerakiError(list.what + ": GET " + url +
                      " answered 200 with a body that is not a JSON "
                      "list: " +
                      response.body.substr(0, 200));
  ++stats_.pages;
  for (const auto& item : body) list.take(item);
  const auto link = response.header("Link");
  const std::string next = link ? next_link(*link) : "";
  if (!next.empty() && !may_send_key_to(next))
    throw MerakiRefusal(list.what + ": the next page is at " + origin_of(next) +
                        ", outside Meraki's domains: not sending the API key there");
  return next;
}

void MerakiClient::fetch(std::vector<ListFetch>& lists) {
  struct Cursor {
    std::string url;
    int redirects = 0;  // in a row, for the current page
    bool done = false;
  };
  std::vector<Cursor> cursors;
  for (const auto& l : lists) cursors.push_back({l.url, 0, false});
  while (true) {
    std::vector<size_t> pending;
    std::vector<jobhost::HttpRequest> requests;
    for (size_t i = 0; i < cursors.size(); ++i) {
      if (cursors[i].done) continue;
      pending.push_back(i);
      requests.push_back(get(cursors[i].url, lists[i].rate_key));
    }
    if (pending.empty()) return;
    auto results = ctx_.http_many(requests, settings_.max_in_flight);
    for (size_t n = 0; n < pending.size(); ++n) {
      Cursor& c = cursors[pending[n]];
      const bool redirect =
          results[n].ok && results[n].response.status >= 300 && results[n].response.status < 400;
      const std::string next = handle(lists[pending[n]], c.url, results[n]);
      if (redirect) {
        if (++c.redirects > kMaxRedirects)
          throw MerakiError(lists[pending[n]].what + ": more than " +
                            std::to_string(kMaxRedirects) + " redirects in a row");
        c.url = next;
        continue;
      }
      c.redirects = 0;
      c.url = next;
      c.done = next.empty();
    }
  }
}

std::vector<nlohmann::json> MerakiClient::organizations() {
  std::vector<nlohmann::json> out;
  std::vector<ListFetch> lists = {{"the organizations of the API key",
                                   url("/organizations?perPage=9000"), "organizations",
                                   [&](const nlohmann::json& o) { out.push_back(o); }}};
  fetch(lists);
  return out;
}

}  // namespace mks
