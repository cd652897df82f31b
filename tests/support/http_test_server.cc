#include "support/http_test_server.h"

#include <cstdio>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <iostream>
#include <limits>
#include <mutex>
#include <thread>

namespace jobhost::testing {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Errors come back as values: a client hanging up is normal here, not exceptional.
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded decoding; a malformed escape stays as it is.
std::string url_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::string> find_query_param(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    std::size_t eq = pair.find('=');
    if (url_decode(pair.substr(0, eq)) != name) continue;
    return eq == std::string_view::npos ? std::string() : url_decode(pair.substr(eq + 1));
  }
  return std::nullopt;
}

TestRequest to_test_request(http::request<http::string_body>&& message) {
  TestRequest request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  std::size_t question = request.target.find('?');
  request.path = request.target.substr(0, question);
  if (question != std::string::npos) request.query = request.target.substr(question + 1);
  for (const auto& field : message) {
    std::string name = lower(field.name_string());
    auto [it, inserted] = request.headers.emplace(name, std::string(field.value()));
    if (!inserted) it->second += ", " + std::string(field.value());
  }
  request.body = std::move(message.body());
  return request;
}

http::response<http::string_body> to_message(TestResponse&& response, unsigned version,
                                             bool keep_alive, bool head) {
  http::response<http::string_body> message;
  message.version(version);
  message.result(static_cast<unsigned>(response.status));
  message.keep_alive(keep_alive);
  bool has_length = false;
  for (auto& [name, value] : response.headers) {
    if (beast::iequals(name, "content-length")) has_length = true;
    // The handler may end keep-alive with "Connection: close"; that replaces ours.
    if (beast::iequals(name, "connection")) {
      message.set(name, value);
    } else {
      message.insert(name, value);
    }
  }
  std::size_t length = response.body.size();
  message.body() = std::move(response.body);
  if (!has_length) message.prepare_payload();
  if (head) {
    // The length of what a GET would return, and no body.
    if (!has_length) message.content_length(length);
    message.body().clear();
  }
  return message;
}

asio::ssl::context make_ssl_context(const ServerTls& tls) {
  asio::ssl::context context(asio::ssl::context::tls_server);
  context.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                      asio::ssl::context::no_sslv3);
  if (!tls.cert_chain_pem.empty()) {
    context.use_certificate_chain(asio::buffer(tls.cert_chain_pem));
    context.use_private_key(asio::buffer(tls.private_key_pem), asio::ssl::context::pem);
  } else {
    context.use_certificate_chain_file(tls.cert_chain_file.string());
    context.use_private_key_file(tls.private_key_file.string(), asio::ssl::context::pem);
  }
  return context;
}

}  // namespace

std::string TestRequest::header(std::string_view name) const {
  auto it = headers.find(lower(name));
  return it == headers.end() ? std::string() : it->second;
}

bool TestRequest::has_header(std::string_view name) const {
  return headers.contains(lower(name));
}

std::string TestRequest::query_param(std::string_view name) const {
  return find_query_param(query, name).value_or(std::string());
}

bool TestRequest::has_query_param(std::string_view name) const {
  return find_query_param(query, name).has_value();
}

TestResponse TestResponse::json(std::string body, int status) {
  TestResponse response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "application/json");
  response.body = std::move(body);
  return response;
}

TestResponse TestResponse::text(std::string body, int status) {
  TestResponse response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
  response.body = std::move(body);
  return response;
}

std::string retry_after_seconds(std::chrono::milliseconds wait) {
  const auto ms = wait.count();
  char text[32];
  if (ms % 1000 == 0)
    std::snprintf(text, sizeof text, "%lld", static_cast<long long>(ms / 1000));
  else
    std::snprintf(text, sizeof text, "%.3f", static_cast<double>(ms) / 1000);
  return text;
}

TestResponse& TestResponse::with_header(std::string name, std::string value) & {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

TestResponse TestResponse::with_header(std::string name, std::string value) && {
  headers.emplace_back(std::move(name), std::move(value));
  return std::move(*this);
}

class HttpTestServer::Impl {
 public:
  Impl(Handler handler, const Options& options) : handler_(std::move(handler)) {
    std::size_t threads = std::max<std::size_t>(options.threads, 1);
    if (options.tls) ssl_.emplace(make_ssl_context(*options.tls));
    io_ = std::make_unique<asio::io_context>(static_cast<int>(threads));
    acceptor_ = std::make_unique<tcp::acceptor>(*io_);
    // Loopback only, whatever the test asks: a test must never expose a port.
    tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), options.port);
    acceptor_->open(endpoint.protocol());
    acceptor_->set_option(asio::socket_base::reuse_address(true));
    acceptor_->bind(endpoint);
    acceptor_->listen(asio::socket_base::max_listen_connections);
    // Known before the first thread runs: connections wait in the backlog until then.
    port_ = acceptor_->local_endpoint().port();
    asio::co_spawn(*io_, accept_loop(), asio::detached);
    for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { io_->run(); });
  }

  ~Impl() { stop(); }

  void stop() {
    std::lock_guard lock(stop_mutex_);
    if (stopped_) return;
    stopped_ = true;
    io_->stop();
    for (auto& thread : threads_) thread.join();
    threads_.clear();
    acceptor_.reset();
    // Destroying the context destroys every suspended connection coroutine, and with it the
    // socket it owns: clients see the connection close instead of waiting forever.
    io_.reset();
  }

  std::uint16_t port() const { return port_; }
  bool tls() const { return ssl_.has_value(); }
  std::size_t served() const { return served_.load(); }
  std::size_t accepted() const { return accepted_.load(); }

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      // Each connection on its own strand, so its steps never overlap across threads.
      auto [error, socket] = co_await acceptor_->async_accept(asio::make_strand(*io_), kNoThrow);
      if (error == asio::error::operation_aborted) co_return;
      if (error) continue;  // e.g. out of file descriptors: the client sees a reset
      ++accepted_;
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      auto executor = socket.get_executor();
      if (ssl_) {
        asio::co_spawn(executor, serve_tls(tcp::socket(std::move(socket))), asio::detached);
      } else {
        asio::co_spawn(executor, serve_plain(tcp::socket(std::move(socket))), asio::detached);
      }
    }
  }

  asio::awaitable<void> serve_plain(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    co_await serve_requests(stream);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  asio::awaitable<void> serve_tls(tcp::socket socket) {
    beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *ssl_);
    auto [error] = co_await stream.async_handshake(asio::ssl::stream_base::server, kNoThrow);
    if (error) co_return;  // e.g. the client refused our certificate
    co_await serve_requests(stream);
    // No TLS close_notify exchange: it would wait for a peer that may never answer. Closing
    // the socket is enough for a client that got a complete, length-delimited response.
  }

  template <typename Stream>
  asio::awaitable<void> serve_requests(Stream& stream) {
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(std::numeric_limits<std::uint64_t>::max());  // tests send many MB
      parser.header_limit(1024 * 1024);                              // and long query strings
      auto [read_error, read_bytes] = co_await http::async_read(stream, buffer, parser, kNoThrow);
      if (read_error) co_return;  // the client closed, or sent something that is not HTTP
      http::request<http::string_body> message = parser.release();
      unsigned version = message.version();
      bool keep_alive = message.keep_alive();
      bool head = message.method() == http::verb::head;
      TestRequest request = to_test_request(std::move(message));
      ++served_;
      TestResponse response = call_handler(request);
      if (response.delay.count() > 0) {
        asio::steady_timer timer(co_await asio::this_coro::executor, response.delay);
        co_await timer.async_wait(kNoThrow);
      }
      if (response.close_without_response) co_return;
      auto answer = to_message(std::move(response), version, keep_alive, head);
      bool keep_open = answer.keep_alive();
      auto [write_error, written] = co_await http::async_write(stream, answer, kNoThrow);
      if (write_error || !keep_open) co_return;
    }
  }

  TestResponse call_handler(const TestRequest& request) {
    try {
      return handler_(request);
    } catch (const std::exception& error) {
      std::cerr << "[HttpTestServer] handler threw for " << request.method << ' ' << request.path
                << ": " << error.what() << '\n';
      return TestResponse::text(std::string("test handler threw: ") + error.what(), 500);
    } catch (...) {
      std::cerr << "[HttpTestServer] handler threw for " << request.method << ' ' << request.path
                << '\n';
      return TestResponse::text("test handler threw", 500);
    }
  }

  Handler handler_;
  std::atomic<std::size_t> served_{0};
  std::atomic<std::size_t> accepted_{0};
  std::uint16_t port_ = 0;
  // Declared before the context: connection coroutines destroyed with it still use it.
  std::optional<asio::ssl::context> ssl_;
  std::unique_ptr<asio::io_context> io_;
  std::unique_ptr<tcp::acceptor> acceptor_;
  std::vector<std::thread> threads_;
  std::mutex stop_mutex_;
  bool stopped_ = false;
};

HttpTestServer::HttpTestServer(Handler handler, Options options)
    : impl_(std::make_unique<Impl>(std::move(handler), options)) {}

HttpTestServer::~HttpTestServer() = default;

std::uint16_t HttpTestServer::port() const {
  return impl_->port();
}

std::string HttpTestServer::base_url() const {
  return std::string(impl_->tls() ? "https" : "http") +
         "://127.0.0.1:" + std::to_string(impl_->port());
}

std::size_t HttpTestServer::requests_served() const {
  return impl_->served();
}

std::size_t HttpTestServer::connections_accepted() const {
  return impl_->accepted();
}

void HttpTestServer::stop() {
  impl_->stop();
}

}  // namespace jobhost::testing
