// The HTTP(S) server behind http_server.h: the only translation unit that includes Beast, Asio's
// SSL and OpenSSL, so that the rest of the daemon compiles against Request/Response alone.
//
// Threads: one io_context run by options.threads threads. Every connection is a Session whose
// socket is accepted onto its own strand, so a connection's steps never run at once while
// different connections run in parallel. The handler is called synchronously in the step that
// finished reading a request: it holds that one thread while it runs (blocking store reads are
// fine), and the other threads go on serving the other connections.
#include "web/http_server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <type_traits>
#include <unordered_map>

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <spdlog/logger.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <nlohmann/json.hpp>

#include "core/logging.h"

namespace jobhost::web {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using beast::error_code;

constexpr size_t kHeaderLimit = 8 * 1024;
constexpr size_t kReadChunk = 4 * 1024;
// How long an ending connection may take to close politely: the TLS close_notify exchange, or
// reading what a client still sends after an error answer. Closing a socket with unread data
// makes the kernel send a reset, which can destroy our answer before the client has read it.
constexpr std::chrono::seconds kLingerTime{2};
// How long stop() lets running handlers finish so that their answers still go out.
constexpr std::chrono::seconds kStopGrace{2};
// After a failed accept (no file descriptors left, mostly): retrying at once would spin.
constexpr std::chrono::milliseconds kAcceptRetry{100};
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr std::string_view kServer = "jobhost/" JOBHOST_VERSION;

std::string to_string(beast::string_view text) {
  return std::string(text.data(), text.size());
}

std::string lower(beast::string_view text) {
  std::string out = to_string(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool starts_with_icase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && beast::iequals(text.substr(0, prefix.size()), prefix);
}

// "127.0.0.1" as is, "::1" as "[::1]": the forms that can take a ":port".
std::string host_for_url(const std::string& host) {
  return host.find(':') == std::string::npos ? host : "[" + host + "]";
}

std::string format_endpoint(const tcp::endpoint& endpoint) {
  return host_for_url(endpoint.address().to_string()) + ":" + std::to_string(endpoint.port());
}

Response error_response(int status, const std::string& message) {
  Response response;
  response.status = status;
  // replace: what() of a failing handler may carry bytes that are not UTF-8 (a path, a driver's
  // message); dump() would throw on them.
  response.body = nlohmann::json{{"error", message}}.dump(-1, ' ', false,
                                                          nlohmann::json::error_handler_t::replace);
  return response;
}

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

bool is_field_value(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// What is wrong with a handler's answer, "" when nothing: Beast writes header names and values
// as given, so a CR or LF would let a handler (or a value it echoes) split the response.
std::string invalid_response(const Response& response) {
  if (response.status < 200 || response.status > 599) {
    return fmt::format("status {} is not a final status (200..599)", response.status);
  }
  if (!is_field_value(response.content_type)) return "the content type has a CR, LF or NUL";
  for (const auto& [name, value] : response.headers) {
    if (!is_token(name)) return fmt::format("header name \"{}\" is not a token", name);
    if (!is_field_value(value)) return fmt::format("header {} has a CR, LF or NUL", name);
  }
  return {};
}

// Headers that decide where the message ends: the server sets them, never the handler.
bool is_framing_header(std::string_view name) {
  return beast::iequals(name, "content-length") || beast::iequals(name, "transfer-encoding") ||
         beast::iequals(name, "connection");
}

std::string listen_hint(const error_code& ec) {
  if (ec == net::error::address_in_use) {
    return " (another process has this port: stop it, or set http.port / http.enabled: false in "
           "the configuration)";
  }
  if (ec == net::error::access_denied) {
    return " (ports below 1024 need root or CAP_NET_BIND_SERVICE: set http.port to 1024 or "
           "above)";
  }
  if (ec == boost::system::errc::address_not_available) {
    return " (no network interface of this machine has this address: set http.address, to "
           "127.0.0.1 for this machine only or 0.0.0.0 for every interface)";
  }
  return " (check http.address and http.port in the configuration)";
}

// Why the file cannot be opened for reading, "" when it can: OpenSSL's own words for a missing
// file ("system lib") do not tell an operator what to fix.
std::string unreadable(const std::filesystem::path& file) {
  std::FILE* f = std::fopen(file.c_str(), "rb");
  if (f == nullptr) return std::generic_category().message(errno);
  std::fclose(f);
  return {};
}

class Server;

// What stop() and the connection count need of a connection, whatever its stream.
class SessionBase : public std::enable_shared_from_this<SessionBase> {
 public:
  SessionBase(Server& server, uint64_t id, std::string peer)
      : server_(server), id_(id), peer_(std::move(peer)) {}
  virtual ~SessionBase();  // unregisters
  SessionBase(const SessionBase&) = delete;
  SessionBase& operator=(const SessionBase&) = delete;

  virtual void start() = 0;
  // From any thread (stop()): on the session's strand, closes the connection, or lets the answer
  // being written go out first.
  virtual void shut() = 0;
  // Closes the socket here and now: only when no server thread runs.
  virtual void close_now() = 0;

 protected:
  Server& server_;
  const uint64_t id_;
  const std::string peer_;
};

class Server {
 public:
  Server(ServerOptions options, Handler handler)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        ioc_(std::max(1, options_.threads)),
        acceptor_(net::make_strand(ioc_)),
        accept_retry_(acceptor_.get_executor()) {}
  ~Server() { stop(); }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void start();
  void stop();

  uint16_t port() const {
    uint16_t bound = port_.load();
    return bound != 0 ? bound : options_.port;
  }
  std::string url() const {
    return fmt::format("{}://{}:{}", tls_ ? "https" : "http", host_for_url(options_.address),
                       port());
  }

  // For the sessions.
  const ServerOptions& options() const { return options_; }
  bool stopping() const { return stopping_.load(); }
  Response call_handler(const Request& request) const;  // never throws
  void unregister(uint64_t id);

 private:
  std::string listen_name() const {
    return host_for_url(options_.address) + ":" + std::to_string(options_.port);
  }
  void load_tls();
  tcp::endpoint resolve();
  void listen(const tcp::endpoint& endpoint);
  void accept();
  void on_accept(error_code ec, tcp::socket socket);
  void admit(tcp::socket socket);
  void run_thread();

  const ServerOptions options_;
  const Handler handler_;
  std::atomic<uint16_t> port_{0};

  std::mutex mutex_;  // guards what follows up to stopping_
  std::condition_variable drained_;
  std::unordered_map<uint64_t, std::weak_ptr<SessionBase>> sessions_;
  uint64_t next_id_ = 0;
  bool full_logged_ = false;  // the "max_connections reached" warning, once per episode
  bool started_ = false;
  bool stopped_ = false;
  std::atomic<bool> stopping_{false};

  // Declared in this order so that they are destroyed in the reverse one: the acceptor before
  // the io_context it uses; the io_context (which destroys the sessions its queue still holds,
  // and they unregister above) before the TLS context their streams use.
  std::optional<ssl::context> tls_;
  net::io_context ioc_;
  tcp::acceptor acceptor_;
  net::steady_timer accept_retry_;  // on the acceptor's strand
  // Keeps the threads in run() while no operation is pending: in stop(), between the acceptor's
  // close and the sessions' shut(), the io_context may have nothing to do, and threads that left
  // run() would never run the closes posted after.
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
};

SessionBase::~SessionBase() {
  server_.unregister(id_);
}

// One connection, plain (Stream = beast::tcp_stream) or TLS (beast::ssl_stream of one). Every
// member function runs on the connection's strand; each step keeps the session alive by holding
// a shared_ptr to it in the completion handler of the operation it starts, so the session ends
// when a step starts nothing more.
template <class Stream>
class Session final : public SessionBase {
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;
  using RequestParser = http::request_parser<http::string_body>;
  using HttpResponse = http::response<http::string_body>;

 public:
  template <class... TlsContext>
  Session(Server& server, uint64_t id, std::string peer, tcp::socket&& socket, TlsContext&... tls)
      : SessionBase(server, id, std::move(peer)), stream_(std::move(socket), tls...) {}

  void start() override {
    net::dispatch(stream_.get_executor(), [self = self()] { self->begin(); });
  }

  void shut() override {
    net::post(stream_.get_executor(), [self = self()] {
      self->shutting_ = true;
      // An answer being written is let go out; on_write closes after it.
      if (!self->response_) self->close_socket();
    });
  }

  void close_now() override { close_socket(); }

 private:
  std::shared_ptr<Session> self() { return std::static_pointer_cast<Session>(shared_from_this()); }
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }
  const ServerOptions& options() const { return server_.options(); }
  bool ending() const { return shutting_ || server_.stopping(); }

  void begin() {
    if constexpr (kTls) {
      lowest().expires_after(options().read_timeout);
      stream_.async_handshake(ssl::stream_base::server, [self = self()](error_code ec) {
        if (ec) {
          host_log()->debug("HTTPS {}: TLS handshake failed: {}", self->peer_, ec.message());
          return self->close_socket();
        }
        self->wait_for_request();
      });
    } else {
      wait_for_request();
    }
  }

  // A keep-alive connection may sit idle for idle_timeout; once a request has begun, the whole
  // of it must arrive within read_timeout. The first request of a connection is not idle time.
  void wait_for_request() {
    if (ending()) return close_socket();
    if (first_request_ || buffer_.size() > 0) {
      first_request_ = false;
      return read_header();
    }
    lowest().expires_after(options().idle_timeout);
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = self()](error_code ec, size_t bytes) {
                              // Idle timeout, the client closed, or stop().
                              if (ec) return self->close_socket();
                              self->buffer_.commit(bytes);
                              self->read_header();
                            });
  }

  void read_header() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(static_cast<std::uint64_t>(options().max_body_bytes));
    lowest().expires_after(options().read_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = self()](error_code ec, size_t) { self->on_header(ec); });
  }

  void on_header(error_code ec) {
    if (ec) return on_read_error(ec);
    const auto& message = parser_->get();
    // A client that asks waits for this before it sends the body (curl waits a second, then
    // sends anyway): answer at once. A body over the limit never gets here (413 instead).
    if (!parser_->is_done() && message.version() >= 11 &&
        beast::iequals(message[http::field::expect], "100-continue")) {
      net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                       [self = self()](error_code write_ec, size_t) {
                         if (write_ec) return self->close_socket();
                         self->read_body();
                       });
      return;
    }
    read_body();
  }

  void read_body() {
    http::async_read(stream_, buffer_, *parser_, [self = self()](error_code ec, size_t) {
      if (ec) return self->on_read_error(ec);
      self->handle_request();
    });
  }

  void on_read_error(error_code ec) {
    static const error_code kHttpError = http::error::bad_method;
    if (ec == http::error::body_limit) {
      return send_error(413, fmt::format("request body over {} bytes", options().max_body_bytes));
    }
    if (ec == http::error::header_limit) {
      return send_error(431, fmt::format("request header over {} bytes", kHeaderLimit));
    }
    // The client went away (before or in the middle of a request), a timeout, stop(), a TLS
    // failure: nobody to answer, or nothing worth answering.
    if (ec == http::error::end_of_stream || ec == http::error::partial_message ||
        ec.category() != kHttpError.category() || ending()) {
      return close_socket();
    }
    send_error(400, "malformed HTTP request: " + ec.message());
  }

  void handle_request() {
    auto& message = parser_->get();
    const bool head = message.method() == http::verb::head;
    const unsigned version = message.version();
    const bool keep_alive = message.keep_alive();
    Request request;
    std::string problem = fill_request(message, head, request);
    if (!problem.empty()) return send_error(400, problem);
    Response response = server_.call_handler(request);
    send(std::move(response), version, keep_alive && !ending(), head);
  }

  // Fills `out` from the message (its body is moved); returns why the request cannot be served,
  // or "".
  std::string fill_request(http::request<http::string_body>& message, bool head, Request& out) {
    // A HEAD is a GET whose body is not sent: handlers route GETs only.
    out.method = head ? "GET" : to_string(message.method_string());
    out.target = to_string(message.target());
    std::string_view target = out.target;
    // Absolute form ("GET http://host/p HTTP/1.1"), which servers must accept: keep the path.
    if (starts_with_icase(target, "http://") || starts_with_icase(target, "https://")) {
      std::string_view rest = target.substr(target.find("//") + 2);
      size_t path_start = rest.find('/');
      target =
          path_start == std::string_view::npos ? std::string_view("/") : rest.substr(path_start);
    }
    if (target.empty() || target.front() != '/') {
      return "the request target must be a path beginning with '/'";
    }
    size_t question = target.find('?');
    std::optional<std::string> path = percent_decode(target.substr(0, question));
    if (!path) {
      return "invalid request path: a '%' must be followed by two hex digits, and %00 is not "
             "allowed";
    }
    out.path = std::move(*path);
    if (question != std::string_view::npos) out.query = std::string(target.substr(question + 1));
    for (const auto& field : message) {
      auto [it, inserted] =
          out.headers.emplace(lower(field.name_string()), to_string(field.value()));
      // Repeated headers mean the same as one with the values joined (RFC 9110 5.3).
      if (!inserted) it->second += ", " + to_string(field.value());
    }
    out.body = std::move(message.body());
    out.peer = peer_;
    return {};
  }

  void send(Response response, unsigned version, bool keep_alive, bool head) {
    auto out = std::make_unique<HttpResponse>();
    out->version(version);
    out->result(static_cast<unsigned>(response.status));
    out->set(http::field::server, beast::string_view(kServer.data(), kServer.size()));
    if (!response.content_type.empty()) out->set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) {
      if (is_framing_header(name)) continue;
      if (beast::iequals(name, "content-type") || beast::iequals(name, "server")) {
        out->set(name, value);
      } else {
        out->insert(name, value);  // several Link or Set-Cookie lines stay separate
      }
    }
    // 204 and 304 have no body by definition (and no length); HEAD gets the length of the body
    // it would have had.
    if (response.status != 204 && response.status != 304) {
      out->content_length(response.body.size());
      if (!head) out->body() = std::move(response.body);
    }
    out->keep_alive(keep_alive);
    keep_alive_ = keep_alive;
    response_ = std::move(out);
    // A client that does not take its answer is a slow reader: the same limit as for reading.
    lowest().expires_after(options().read_timeout);
    http::async_write(stream_, *response_,
                      [self = self()](error_code ec, size_t) { self->on_write(ec); });
  }

  void send_error(int status, const std::string& message) {
    host_log()->debug("HTTP {}: answering {}: {}", peer_, status, message);
    bool header_read = parser_ && parser_->is_header_done();
    unsigned version = header_read ? parser_->get().version() : 11;
    bool head = header_read && parser_->get().method() == http::verb::head;
    // The rest of the request is unread (or unreadable): the connection cannot go on.
    send(error_response(status, message), version, false, head);
  }

  void on_write(error_code ec) {
    response_.reset();
    if (ec) return close_socket();
    if (!keep_alive_ || ending()) return finish();
    wait_for_request();
  }

  // Ends the connection after a last answer, politely (see kLingerTime).
  void finish() {
    if (ending()) return close_socket();  // stop() does not wait for clients
    lowest().expires_after(kLingerTime);
    if constexpr (kTls) {
      stream_.async_shutdown([self = self()](error_code) { self->close_socket(); });
    } else {
      error_code ignored;
      lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
      drain();
    }
  }

  // Reads and drops what the client still sends until it closes (or kLingerTime is over).
  void drain() {
    stream_.async_read_some(net::buffer(drain_buffer_), [self = self()](error_code ec, size_t) {
      if (ec) return self->close_socket();
      self->drain();
    });
  }

  // Cancels whatever is pending (its handler then starts nothing new) and closes the socket.
  void close_socket() {
    error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    lowest().close();
  }

  Stream stream_;
  beast::flat_buffer buffer_;  // may hold the start of the next (pipelined) request
  std::optional<RequestParser> parser_;
  std::unique_ptr<HttpResponse> response_;  // set while it is being written
  bool keep_alive_ = false;
  bool first_request_ = true;
  bool shutting_ = false;
  std::array<char, kReadChunk> drain_buffer_{};
};

void Server::start() {
  {
    std::lock_guard lock(mutex_);
    if (started_) throw std::runtime_error("the HTTP server is started already");
    if (stopped_) {
      throw std::runtime_error("a stopped HTTP server cannot be started again: make a new one");
    }
  }
  load_tls();
  listen(resolve());
  accept();
  work_.emplace(ioc_.get_executor());
  {
    std::lock_guard lock(mutex_);
    started_ = true;  // before the threads: stop() joins whatever was started
  }
  for (int i = 0; i < std::max(1, options_.threads); ++i) {
    threads_.emplace_back([this] { run_thread(); });
  }
}

void Server::load_tls() {
  const auto& cert = options_.tls_cert;
  const auto& key = options_.tls_key;
  if (cert.empty() && key.empty()) return;
  if (cert.empty() || key.empty()) {
    throw std::runtime_error(
        "HTTPS needs both a certificate and its private key: set both http.tls.cert and "
        "http.tls.key, or neither to serve plain HTTP");
  }
  if (std::string why = unreadable(cert); !why.empty()) {
    throw std::runtime_error(
        fmt::format("cannot read the TLS certificate {}: {} (http.tls.cert must name a PEM file "
                    "the daemon's user can read)",
                    cert.string(), why));
  }
  if (std::string why = unreadable(key); !why.empty()) {
    throw std::runtime_error(
        fmt::format("cannot read the TLS private key {}: {} (http.tls.key must name a PEM file "
                    "the daemon's user can read)",
                    key.string(), why));
  }
  ssl::context context(ssl::context::tls_server);
  context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                      ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                      ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
  // Without a callback OpenSSL would ask for the passphrase of an encrypted key on the terminal
  // and hang a daemon; an empty one makes it fail instead.
  context.set_password_callback(
      [](size_t, ssl::context::password_purpose) { return std::string(); });
  error_code ec;
  context.use_certificate_chain_file(cert.string(), ec);
  if (ec) {
    throw std::runtime_error(
        fmt::format("cannot use the TLS certificate {}: {} (http.tls.cert must be a PEM "
                    "certificate chain: the server's certificate first, then intermediate ones)",
                    cert.string(), ec.message()));
  }
  context.use_private_key_file(key.string(), ssl::context::pem, ec);
  // OpenSSL compares the key with the certificate as it loads it.
  if (ec && ec.category() == net::error::get_ssl_category() &&
      ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH) {
    throw std::runtime_error(
        fmt::format("the TLS private key {} does not belong to the certificate {} (set "
                    "http.tls.key to the key the certificate was made for)",
                    key.string(), cert.string()));
  }
  if (ec) {
    throw std::runtime_error(
        fmt::format("cannot use the TLS private key {}: {} (http.tls.key must be the "
                    "certificate's private key, in PEM and not encrypted)",
                    key.string(), ec.message()));
  }
  if (SSL_CTX_check_private_key(context.native_handle()) != 1) {
    throw std::runtime_error(
        fmt::format("the TLS private key {} does not belong to the certificate {} (set "
                    "http.tls.key to the key the certificate was made for)",
                    key.string(), cert.string()));
  }
  tls_.emplace(std::move(context));
}

tcp::endpoint Server::resolve() {
  error_code ec;
  net::ip::address address = net::ip::make_address(options_.address, ec);
  if (!ec) return {address, options_.port};
  // A host name ("localhost"): its first IPv4 address, which is what "localhost" clients try
  // first too.
  tcp::resolver resolver(ioc_);
  auto results = resolver.resolve(options_.address, std::to_string(options_.port),
                                  tcp::resolver::numeric_service, ec);
  if (ec || results.empty()) {
    throw std::runtime_error(fmt::format(
        "cannot listen on {}: cannot resolve {} ({}; set http.address to an IP address of this "
        "machine, such as 127.0.0.1)",
        listen_name(), options_.address, ec ? ec.message() : "no address"));
  }
  for (const auto& entry : results) {
    if (entry.endpoint().address().is_v4()) return entry.endpoint();
  }
  return results.begin()->endpoint();
}

void Server::listen(const tcp::endpoint& endpoint) {
  error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  // So that a restarted daemon can bind while its old connections are in TIME_WAIT; on Linux it
  // does not let two listeners share a port.
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  tcp::endpoint bound;
  if (!ec) bound = acceptor_.local_endpoint(ec);
  if (ec) {
    error_code ignored;
    acceptor_.close(ignored);
    throw std::runtime_error(
        fmt::format("cannot listen on {}: {}{}", listen_name(), ec.message(), listen_hint(ec)));
  }
  port_ = bound.port();
}

void Server::accept() {
  acceptor_.async_accept(net::make_strand(ioc_), [this](error_code ec, tcp::socket socket) {
    on_accept(ec, std::move(socket));
  });
}

void Server::on_accept(error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || stopping_) return;
  if (ec) {
    host_log()->warn("HTTP server on {}: accepting a connection failed: {}; retrying",
                     listen_name(), ec.message());
    accept_retry_.expires_after(kAcceptRetry);
    accept_retry_.async_wait([this](error_code wait_ec) {
      if (!wait_ec && !stopping_) accept();
    });
    return;
  }
  try {
    admit(std::move(socket));
  } catch (const std::exception& e) {  // no memory, SSL_new failed: this connection only
    host_log()->error("HTTP server on {}: cannot serve a new connection: {}", listen_name(),
                      e.what());
  }
  accept();
}

void Server::admit(tcp::socket socket) {
  error_code ec;
  tcp::endpoint remote = socket.remote_endpoint(ec);
  if (ec) return;  // gone already
  // Answers are written whole, but two pipelined ones (or "100 Continue" and its answer) would
  // wait for the client's delayed ACK under Nagle's algorithm.
  socket.set_option(tcp::no_delay(true), ec);
  uint64_t id = 0;
  bool full = false, log_full = false;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    full = sessions_.size() >= options_.max_connections;
    log_full = full && !full_logged_;
    full_logged_ = full;
    id = next_id_++;
  }
  if (full) {
    if (log_full) {
      host_log()->warn(
          "HTTP server on {}: {} connections are open, the most allowed; closing new ones until "
          "some end",
          listen_name(), options_.max_connections);
    }
    return;  // the socket's destructor closes it
  }
  // Made outside the lock: a session that fails to construct unregisters in its destructor.
  std::shared_ptr<SessionBase> session;
  if (tls_) {
    session = std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
        *this, id, format_endpoint(remote), std::move(socket), *tls_);
  } else {
    session = std::make_shared<Session<beast::tcp_stream>>(*this, id, format_endpoint(remote),
                                                           std::move(socket));
  }
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;  // stop() took its list of sessions already; this one just ends
    sessions_.emplace(id, session);
  }
  session->start();
}

void Server::unregister(uint64_t id) {
  std::lock_guard lock(mutex_);
  sessions_.erase(id);
  if (sessions_.empty()) drained_.notify_all();
}

Response Server::call_handler(const Request& request) const {
  Response response;
  try {
    response = handler_(request);
  } catch (const std::exception& e) {
    host_log()->error("HTTP {} {} from {}: the handler failed: {}", request.method, request.target,
                      request.peer, e.what());
    return error_response(500, e.what());
  } catch (...) {
    host_log()->error("HTTP {} {} from {}: the handler failed with an unknown exception",
                      request.method, request.target, request.peer);
    return error_response(500, "unknown error");
  }
  if (std::string problem = invalid_response(response); !problem.empty()) {
    host_log()->error("HTTP {} {} from {}: the handler's answer is invalid: {}", request.method,
                      request.target, request.peer, problem);
    return error_response(500, "the server made an invalid answer: " + problem);
  }
  return response;
}

void Server::run_thread() {
  // Handlers catch what they expect; anything else (no memory) loses one connection, not the
  // server.
  for (;;) {
    try {
      ioc_.run();
      return;
    } catch (const std::exception& e) {
      host_log()->error("HTTP server on {}: {}", listen_name(), e.what());
    } catch (...) {
      host_log()->error("HTTP server on {}: unknown exception", listen_name());
    }
  }
}

void Server::stop() {
  std::vector<std::shared_ptr<SessionBase>> live;
  {
    std::lock_guard lock(mutex_);
    if (!started_ || stopped_) return;
    stopped_ = true;
    stopping_ = true;
    for (const auto& [id, weak] : sessions_) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
  }
  net::post(acceptor_.get_executor(), [this] {
    error_code ignored;
    acceptor_.close(ignored);
    accept_retry_.cancel();
  });
  for (const auto& session : live) session->shut();
  live.clear();  // our references must not keep closed sessions alive
  {
    // Idle connections end at once; running handlers get kStopGrace to have their answers sent.
    std::unique_lock lock(mutex_);
    auto t0 = std::chrono::steady_clock::now();  // DEBUGTMP
    bool ok = drained_.wait_for(lock, kStopGrace, [this] { return sessions_.empty(); });
    if (!ok) fprintf(stderr, "DEBUGTMP stop wait timed out, %zu sessions\n", sessions_.size());
    (void)t0;
  }
  work_.reset();
  ioc_.stop();
  for (auto& thread : threads_) thread.join();  // waits for handlers still running
  threads_.clear();
  // What is left never runs again (the io_context is stopped): its sockets are closed now so
  // that clients see the end at once, not when the server is destroyed.
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, weak] : sessions_) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
  }
  for (const auto& session : live) session->close_now();
  live.clear();
  error_code ignored;
  acceptor_.close(ignored);
}

}  // namespace

struct HttpServer::Impl {
  Impl(ServerOptions options, Handler handler) : server(std::move(options), std::move(handler)) {}
  Server server;
};

HttpServer::HttpServer(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

HttpServer::~HttpServer() {
  impl_->server.stop();
}

void HttpServer::start() {
  impl_->server.start();
}
void HttpServer::stop() {
  impl_->server.stop();
}
uint16_t HttpServer::port() const {
  return impl_->server.port();
}
std::string HttpServer::url() const {
  return impl_->server.url();
}

}  // namespace jobhost::web
