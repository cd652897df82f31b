// A client of the Meraki Dashboard API v1 over the host's HTTP service: the organization-wide
// list endpoints followed through their Link pages, under the host's per-organization rate
// limit (429 + Retry-After waited out there), redirects followed with the API key re-sent
// only within Meraki's domains, and errors that say what to fix.
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <jobhost/sdk.hpp>
#include <nlohmann/json.hpp>

#include "meraki_settings.h"

namespace mks {

// The API unreachable, a 5xx, a malformed answer, still 429 after every retry: the run errors
// (and the host retries it per the job type's policy).
class MerakiError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A refusal that a retry cannot fix (401 key, 403 permission, 404 organization, a redirect
// outside Meraki's domains): the run fails, with what to change.
class MerakiRefusal : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One paged list to fetch: its first URL and what to do with each item of each page.
struct ListFetch {
  std::string what;      // "devices of organization 500001", for errors
  std::string url;       // the first page, perPage included
  std::string rate_key;  // the bucket its requests share ("org:500001")
  std::function<void(const nlohmann::json& item)> take;
};

struct ClientStats {
  int64_t calls = 0;      // HTTP requests sent, 429 retries and redirects included
  int64_t calls_429 = 0;  // 429 answers met (the host waited each out and sent again)
  int64_t redirects = 0;
  int64_t pages = 0;
};

class MerakiClient {
 public:
  MerakiClient(const jobhost::Context& ctx, MerakiSettings settings);

  // GET /organizations, every page.
  std::vector<nlohmann::json> organizations();
  // Fetches the lists side by side: each round asks for the next page of every list not yet
  // complete (the host paces each organization's requests); cancellation is checked between
  // rounds. Throws MerakiError or MerakiRefusal; never returns a partial result.
  void fetch(std::vector<ListFetch>& lists);

  const ClientStats& stats() const { return stats_; }
  const MerakiSettings& settings() const { return settings_; }
  std::string url(const std::string& path) const { return settings_.base_url + path; }

 private:
  jobhost::HttpRequest get(const std::string& url, const std::string& rate_key) const;
  // The next URL of a list after `result` (empty at its end), appending the page's items; a
  // redirect gives the URL to ask again. Throws on anything else.
  std::string handle(ListFetch& list, const std::string& url, const jobhost::HttpResult& result);
  [[noreturn]] void fail(const ListFetch& list, const std::string& url,
                         const jobhost::HttpResponse& response) const;
  bool may_send_key_to(const std::string& url) const;

  const jobhost::Context& ctx_;
  MerakiSettings settings_;
  std::string base_host_;
  ClientStats stats_;
};

// The `rel=next` URL of an RFC 5988 Link header ("" when there is none).
std::string next_link(const std::string& link_header);
// The host of an absolute URL, lower-cased, without port ("" when it has none).
std::string url_host(const std::string& url);

}  // namespace mks
