// The daemon's HTTP(S) server: Boost.Beast behind this small header, so that only
// http_server.cc pays Beast's compile time. It parses requests, enforces limits (body size,
// header size, idle and read timeouts, connection count) and hands each complete request to one
// handler function on one of its own threads; the handler never sees Beast.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace jobhost::web {

struct Request {
  std::string method;  // "GET", "POST", ...; a HEAD request arrives as "GET" (see HttpServer)
  std::string target;  // path and query as sent
  // Before the '?', percent-decoded ("%2F" becomes '/'); the server answers 400 itself to a path
  // with an invalid escape or "%00", and to a target that is not a path (an absolute-form
  // "http://host/p" target is reduced to its path and query first).
  std::string path;
  std::string query;                           // after the '?', raw; empty without one
  std::map<std::string, std::string> headers;  // lower-cased names; repeated ones joined by ", "
  std::string body;
  std::string peer;  // "127.0.0.1:53412"

  // The header's value (name in any case), or "" when absent.
  std::string header(std::string_view name) const;
  // The first value of a query parameter, percent-decoded ('+' is a space), "" when absent.
  // A value that cannot be decoded (an invalid escape, "%00") is returned as sent.
  std::string query_param(std::string_view name) const;
  bool has_query_param(std::string_view name) const;
};

struct Response {
  int status = 200;  // 200..599; anything else is answered as a 500 (and logged)
  std::string content_type = "application/json";  // empty: no Content-Type (a 204)
  std::string body;  // never sent with 204 and 304, nor to HEAD (Content-Length is)
  // Extra headers (Allow, Cache-Control). The server owns the framing: Content-Length,
  // Transfer-Encoding and Connection given here are ignored. A name or value with CR, LF or NUL
  // turns the answer into a 500 (and is logged) rather than letting it split the response.
  std::vector<std::pair<std::string, std::string>> headers;
};

// Decodes %XX escapes, and '+' as a space when plus_is_space (query strings). nullopt when a
// '%' is not followed by two hex digits, or for "%00": a NUL has no business in a path or
// parameter and would cut C strings short further down.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space = false);

// Called on a server thread, several at once: must be thread-safe. It may block (store reads):
// the connection waits, and each blocked call holds one of the server's threads, so with
// options.threads >= 2 one slow call does not keep other connections waiting. An exception
// escaping it becomes a 500 with {"error": what()}, logged; the server keeps serving.
using Handler = std::function<Response(const Request&)>;

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port (see HttpServer::port)
  // Both set: HTTPS with this PEM certificate chain and private key.
  std::filesystem::path tls_cert, tls_key;
  int threads = 2;                  // less than 1 counts as 1
  size_t max_body_bytes = 1 << 20;  // larger: 413 (a request header over 8 KiB: 431)
  size_t max_connections = 256;     // more: closed at once
  // One request (header and body) must arrive within it, and one answer must be taken.
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds idle_timeout{60};  // keep-alive connections without a request
};

// HTTP/1.1 with keep-alive (and 1.0). A HEAD request is handed to the handler as a GET and
// answered with that GET's headers, without the body. Malformed requests (400), an oversized
// header (431) or body (413) are answered by the server itself as {"error": "..."} and close the
// connection; so do the timeouts, without an answer.
class HttpServer {
 public:
  HttpServer(ServerOptions options, Handler handler);
  ~HttpServer();  // stops
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the threads. Throws std::runtime_error with a message that names
  // the address and says what to do ("cannot listen on 127.0.0.1:8080: Address already in use
  // (another process has this port: ...)") or the TLS file that cannot be used. Only one of
  // tls_cert and tls_key set is an error too, rather than a silent fall back to plain HTTP.
  void start();
  // Stops accepting and closes every connection at once, except those whose handler is running:
  // their answers get up to 2 s to go out (with "Connection: close"). Then it joins the
  // threads, so it returns only when running handlers have returned. Idempotent; never call it
  // from the handler (it would wait for itself). A stopped server cannot be started again.
  void stop();

  uint16_t port() const;    // the bound port (the real one when options.port was 0)
  std::string url() const;  // "http://127.0.0.1:8080" or "https://..."

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jobhost::web
