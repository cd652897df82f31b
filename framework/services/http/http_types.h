#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/http/rate_limiter.h"

// Plain data for the plugins' HTTP client. No curl types here: this header is included
// wherever requests are built, and the host's C ABI layer maps these one to one.
namespace jobhost::http {

struct Header {
  std::string name;
  std::string value;
};

struct Request {
  std::string method = "GET";
  std::string url;
  std::vector<Header> headers;  // sent as given; an empty value sends "Name:" with no value
  std::string body;
  // Zero means "no limit" (curl's convention); negative values are rejected.
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds total_timeout{60000};
  bool verify_tls = true;  // on by default; turning it off logs a warning, never silent
  std::string ca_file;     // PEM bundle to trust instead of the system CAs; empty = system CAs
  // 0 = do not follow: plugins follow redirects themselves when auth must be re-sent.
  int max_redirects = 0;
  RateLimit rate;  // empty key: sent at once, a 429 comes straight back
};

struct Response {
  int status = 0;
  std::vector<Header> headers;  // of the final response only, names and values trimmed
  std::string body;
  std::string effective_url;               // the URL of the final response (after redirects)
  double seconds = 0;                      // whole transfer, including connect and redirects
  std::uint32_t rate_limited = 0;          // 429 answers waited out and sent again before this
  std::chrono::microseconds rate_wait{0};  // time spent waiting for rate-limit tokens

  // First header with that name, compared case-insensitively.
  std::optional<std::string_view> header(std::string_view name) const;
};

enum class ErrorKind { none, timeout, connect, tls, cancelled, other };

std::string_view to_string(ErrorKind kind);

// ok=false only for transport failures; any HTTP status (also 4xx/5xx) is ok=true and the
// plugin decides. When !ok, `response` holds only effective_url and seconds.
struct Outcome {
  bool ok = false;
  Response response;
  std::string error;  // curl's reason when !ok, e.g. "SSL certificate problem: ..."; or "cancelled"
  ErrorKind kind = ErrorKind::none;
};

// Counters since the client was made; every request handed in counts once.
struct Stats {
  std::uint64_t requests = 0;
  std::uint64_t failures = 0;        // outcomes with ok=false (cancelled included)
  std::uint64_t bytes_sent = 0;      // request bodies uploaded
  std::uint64_t bytes_received = 0;  // response bodies downloaded
};

}  // namespace jobhost::http
