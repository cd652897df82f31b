#pragma once

#include <curl/curl.h>

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

// A small libcurl client for tests that talk real HTTP to a fake or a test server: one call,
// one fresh connection, everything the answer had (status, every header line, body, timing).
// Library jobhost_test_curl (it brings libcurl along).
namespace jobhost::testing {

struct CurlRequest {
  std::string method = "GET";  // "HEAD" sends no body and reads none
  std::string url;
  std::vector<std::string> headers;  // whole lines, "Name: value"; "Name:" removes curl's own
  // Sent when not empty, and always with POST (then as Content-Length: 0); never waits for
  // "100 Continue".
  std::string body;
  std::string ca_file;  // PEM CA bundle that verifies an HTTPS server; empty: curl's default
  long timeout_ms = 20000;
  bool follow_redirects = false;  // follows Location (re-sending `headers`, on any host)
};

struct CurlResponse {
  CURLcode code = CURLE_OK;  // CURLE_OK, or what went wrong (CURLE_GOT_NOTHING, ...)
  long status = 0;           // 0 when no answer came
  // Every header line of the (last) answer in order, names lower-cased, values trimmed;
  // repeated headers (several Link lines) stay separate.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds elapsed{0};

  // The first value of a header (name in any case), or "" when it is absent.
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
  std::vector<std::string> header_values(std::string_view name) const;  // every line's value
  nlohmann::json parsed() const;  // the body as JSON; throws when it is not
  std::string error() const;      // curl's words for `code`
};

// Performs one request; never throws for what the network or the server does (see code).
CurlResponse curl_perform(const CurlRequest& request);

}  // namespace jobhost::testing
