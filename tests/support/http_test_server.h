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

// A small HTTP(S) server for tests: fakes of remote APIs (Zabbix, Kubernetes, Meraki) are
// a handler on top of it. Boost.Beast stays inside the .cc so tests compile quickly.
namespace jobhost::testing {

struct TestRequest {
  std::string method;                          // "GET", "POST", ...
  std::string target;                          // path and query as sent: "/api/v1/x?perPage=3"
  std::string path;                            // before the '?', not decoded
  std::string query;                           // after the '?', not decoded; empty without one
  std::map<std::string, std::string> headers;  // lower-cased names; repeats joined with ", "
  std::string body;

  // The header's value (name in any case), or "" when it is absent.
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
  // The first value of a query parameter, url-decoded ('+' is a space), or "" when absent.
  std::string query_param(std::string_view name) const;
  bool has_query_param(std::string_view name) const;
};

struct TestResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // repeats allowed (Link, ...)
  std::string body;
  // Waited on a timer before answering: other connections are served meanwhile.
  std::chrono::milliseconds delay{0};
  // After `delay`, close the connection without a byte of response (a crashed server).
  bool close_without_response = false;

  static TestResponse json(std::string body, int status = 200);  // application/json
  static TestResponse text(std::string body, int status = 200);  // text/plain
  // Adds a header; chains on a temporary too: TestResponse::json(b).with_header("Link", l).
  TestResponse& with_header(std::string name, std::string value) &;
  TestResponse with_header(std::string name, std::string value) &&;
};

// A Retry-After header's delta-seconds for `wait`: whole seconds as real servers send them, or
// decimals (which the host's client accepts) when a test keeps its waits below a second.
std::string retry_after_seconds(std::chrono::milliseconds wait);

// The server's certificate (chain) and private key, as PEM text or as PEM files; the text
// is used when it is set. See test_tls.h for a throwaway CA.
struct ServerTls {
  std::string cert_chain_pem;
  std::string private_key_pem;
  std::filesystem::path cert_chain_file;
  std::filesystem::path private_key_file;
};

struct HttpTestServerOptions {
  std::size_t threads = 2;       // threads running the handler; delays need none of their own
  std::optional<ServerTls> tls;  // set: HTTPS only
  std::uint16_t port = 0;        // 0: an ephemeral port; always on 127.0.0.1 only
};

// Listens on 127.0.0.1 from construction until stop() or destruction. HTTP/1.1 keep-alive,
// any number of concurrent connections. The handler runs on the server's threads, possibly
// on several at once, so it must be thread-safe. A handler that throws answers 500 with the
// exception's message.
class HttpTestServer {
 public:
  using Handler = std::function<TestResponse(const TestRequest&)>;
  using Options = HttpTestServerOptions;

  explicit HttpTestServer(Handler handler, Options options = {});
  ~HttpTestServer();  // stop()
  HttpTestServer(const HttpTestServer&) = delete;
  HttpTestServer& operator=(const HttpTestServer&) = delete;

  std::uint16_t port() const;
  std::string base_url() const;  // "http://127.0.0.1:PORT" or "https://127.0.0.1:PORT"

  // Requests read and handed to the handler so far (also those answered by closing). Counted
  // before the answer goes out, so a client that got N answers sees at least N.
  std::size_t requests_served() const;
  // TCP connections accepted so far: shows whether a client reused its keep-alive connections.
  std::size_t connections_accepted() const;

  // Stops listening, closes every connection (pending delays end without an answer) and joins
  // the threads; waits for handlers that are running, so never call it from the handler.
  // Idempotent. The port stays known, and refuses connections from now on.
  void stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jobhost::testing
