// The daemon's HTTP(S) server (framework/web) over loopback: libcurl as the well-behaved client,
// a raw POSIX socket for what curl will not do (garbage, several requests on one connection,
// holding a connection idle) and for watching when the server closes a connection.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <future>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/curl_client.h"
#include "support/temp_dir.h"
#include "support/test_tls.h"
#include "web/http_server.h"

namespace jobhost::web {
namespace {

using namespace std::chrono_literals;
using jobhost::testing::curl_perform;
using jobhost::testing::CurlRequest;
using jobhost::testing::CurlResponse;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using Clock = std::chrono::steady_clock;

ServerOptions loopback() {
  ServerOptions options;
  options.address = "127.0.0.1";
  options.port = 0;
  return options;
}

Response text(std::string body, int status = 200) {
  Response response;
  response.status = status;
  response.content_type = "text/plain";
  response.body = std::move(body);
  return response;
}

// Every request the handler saw, for the test thread to look at afterwards.
class Recorder {
 public:
  void add(const Request& request) {
    std::lock_guard lock(mutex_);
    seen_.push_back(request);
  }
  std::vector<Request> all() const {
    std::lock_guard lock(mutex_);
    return seen_;
  }
  size_t count() const { return all().size(); }

 private:
  mutable std::mutex mutex_;
  std::vector<Request> seen_;
};

// A plain TCP client on 127.0.0.1. Every read gives up after 10 s so that a test fails rather
// than hangs when the server does not answer or does not close.
class RawSocket {
 public:
  explicit RawSocket(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) throw std::runtime_error("socket() failed");
    timeval timeout{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ::close(fd_);
      throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
    }
  }
  ~RawSocket() { ::close(fd_); }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  void send(std::string_view data) {
    while (!data.empty()) {
      ssize_t sent = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (sent <= 0) return;  // the server closed: what it answered is still readable
      data.remove_prefix(static_cast<size_t>(sent));
    }
  }
  void shutdown_write() { ::shutdown(fd_, SHUT_WR); }

  // One response: its head, then Content-Length bytes of body (none when head_only, for HEAD).
  // What arrived when the connection ended or the 10 s ran out first.
  std::string read_response(bool head_only = false) {
    size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return take(buffer_.size());
    }
    end += 4;
    size_t length = 0;
    std::string head = buffer_.substr(0, end);
    for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (size_t at = head.find("\r\ncontent-length:"); at != std::string::npos && !head_only) {
      length = std::stoul(head.substr(at + 17));
    }
    while (buffer_.size() < end + length) {
      if (!fill()) break;
    }
    return take(std::min(buffer_.size(), end + length));
  }

  // Everything until the server closes the connection; *closed is false when the 10 s ran out.
  std::string read_until_close(bool* closed) {
    while (fill()) {
    }
    *closed = eof_;
    return take(buffer_.size());
  }

  // Whether the server closes the connection (after sending anything) within 10 s.
  bool closed_by_server() {
    bool closed = false;
    read_until_close(&closed);
    return closed;
  }

 private:
  bool fill() {
    char chunk[16384];
    ssize_t got = ::recv(fd_, chunk, sizeof chunk, 0);
    if (got > 0) {
      buffer_.append(chunk, static_cast<size_t>(got));
      return true;
    }
    // 0: an orderly close; ECONNRESET: a close with unread data. EAGAIN: the timeout.
    eof_ = got == 0 || errno == ECONNRESET || errno == EPIPE;
    return false;
  }
  std::string take(size_t n) {
    std::string out = buffer_.substr(0, n);
    buffer_.erase(0, n);
    return out;
  }

  int fd_ = -1;
  std::string buffer_;
  bool eof_ = false;
};

std::string get_request(std::string_view target, std::string_view extra_headers = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
         std::string(extra_headers) + "\r\n";
}

std::string body_of(const std::string& response) {
  size_t end = response.find("\r\n\r\n");
  return end == std::string::npos ? std::string() : response.substr(end + 4);
}

std::chrono::milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

TEST(PercentDecode, DecodesEscapesAndRefusesBrokenOnesAndNul) {
  EXPECT_EQ(percent_decode("/a%20b/caf%C3%A9"), "/a b/caf\xC3\xA9");
  EXPECT_EQ(percent_decode("a+b"), "a+b");
  EXPECT_EQ(percent_decode("a+b", true), "a b");
  EXPECT_EQ(percent_decode("%2f%2F"), "//");
  EXPECT_EQ(percent_decode(""), "");
  EXPECT_EQ(percent_decode("%zz"), std::nullopt);
  EXPECT_EQ(percent_decode("%4"), std::nullopt);
  EXPECT_EQ(percent_decode("abc%"), std::nullopt);
  EXPECT_EQ(percent_decode("a%00b"), std::nullopt);
}

TEST(RequestHelpers, FindHeadersInAnyCaseAndDecodeQueryParameters) {
  Request request;
  request.headers = {{"x-custom", "v"}};
  request.query = "a=1&b=hello%20world&c=x+y&d&e=%zz&a=2&na%6De=n&&z=";
  EXPECT_EQ(request.header("X-CUSTOM"), "v");
  EXPECT_EQ(request.header("x-missing"), "");
  EXPECT_EQ(request.query_param("a"), "1");
  EXPECT_EQ(request.query_param("b"), "hello world");
  EXPECT_EQ(request.query_param("c"), "x y");
  EXPECT_EQ(request.query_param("d"), "");
  EXPECT_TRUE(request.has_query_param("d"));
  EXPECT_EQ(request.query_param("e"), "%zz");  // undecodable: as sent
  EXPECT_EQ(request.query_param("name"), "n");
  EXPECT_TRUE(request.has_query_param("z"));
  EXPECT_FALSE(request.has_query_param("missing"));
  EXPECT_EQ(request.query_param("missing"), "");
}

TEST(HttpServer, GetRoundTripDeliversDecodedPathRawQueryHeadersAndPeer) {
  Recorder recorder;
  HttpServer server(loopback(), [&](const Request& request) {
    recorder.add(request);
    Response response = text("hello", 201);
    response.headers = {{"X-Extra", "1"}, {"Link", "<a>"}, {"Link", "<b>"}};
    return response;
  });
  server.start();
  ASSERT_NE(server.port(), 0);
  EXPECT_EQ(server.url(), "http://127.0.0.1:" + std::to_string(server.port()));

  CurlResponse response =
      curl_perform({.url = server.url() + "/caf%C3%A9/a%20b?name=J%C3%B6rg+M&flag&x=1%262",
                    .headers = {"X-Custom: Hello", "X-Twice: one", "X-Twice: two"}});

  ASSERT_EQ(response.code, CURLE_OK) << response.error();
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, "hello");
  EXPECT_EQ(response.header("content-type"), "text/plain");
  EXPECT_EQ(response.header("content-length"), "5");
  EXPECT_EQ(response.header("server"), "jobhost/" JOBHOST_VERSION);
  EXPECT_EQ(response.header("x-extra"), "1");
  EXPECT_EQ(response.header_values("link"), (std::vector<std::string>{"<a>", "<b>"}));
  std::vector<Request> seen = recorder.all();
  ASSERT_EQ(seen.size(), 1u);
  const Request& request = seen[0];
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.target, "/caf%C3%A9/a%20b?name=J%C3%B6rg+M&flag&x=1%262");
  EXPECT_EQ(request.path, "/caf\xC3\xA9/a b");
  EXPECT_EQ(request.query, "name=J%C3%B6rg+M&flag&x=1%262");
  EXPECT_EQ(request.query_param("name"), "J\xC3\xB6rg M");
  EXPECT_EQ(request.query_param("x"), "1&2");
  EXPECT_TRUE(request.has_query_param("flag"));
  EXPECT_FALSE(request.has_query_param("nope"));
  EXPECT_EQ(request.header("X-CUSTOM"), "Hello");
  EXPECT_EQ(request.headers.at("x-custom"), "Hello");
  EXPECT_EQ(request.header("x-twice"), "one, two");
  EXPECT_THAT(request.peer, StartsWith("127.0.0.1:"));
  EXPECT_TRUE(request.body.empty());
}

TEST(HttpServer, HeadIsAnsweredAsTheGetWithoutItsBody) {
  Recorder recorder;
  HttpServer server(loopback(), [&](const Request& request) {
    recorder.add(request);
    return text("hello world");
  });
  server.start();

  CurlResponse head = curl_perform({.method = "HEAD", .url = server.url() + "/x"});
  ASSERT_EQ(head.code, CURLE_OK) << head.error();
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("content-length"), "11");
  EXPECT_EQ(head.body, "");
  ASSERT_EQ(recorder.count(), 1u);
  EXPECT_EQ(recorder.all()[0].method, "GET");

  // No body bytes follow the head: the next answer on the connection starts cleanly.
  RawSocket socket(server.port());
  socket.send("HEAD /x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  EXPECT_THAT(socket.read_response(/*head_only=*/true), StartsWith("HTTP/1.1 200 OK\r\n"));
  socket.send(get_request("/x"));
  std::string get = socket.read_response();
  EXPECT_THAT(get, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_EQ(body_of(get), "hello world");
}

TEST(HttpServer, PostBodyIsDeliveredWhole) {
  Recorder recorder;
  HttpServer server(loopback(), [&](const Request& request) {
    recorder.add(request);
    return text(std::to_string(request.body.size()));
  });
  server.start();
  std::string body;
  for (int i = 0; i < 300000; ++i) body.push_back(static_cast<char>(i * 7 % 256));

  CurlResponse response = curl_perform({.method = "POST",
                                        .url = server.url() + "/upload",
                                        .headers = {"Content-Type: x/y"},
                                        .body = body});

  ASSERT_EQ(response.code, CURLE_OK) << response.error();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "300000");
  std::vector<Request> seen = recorder.all();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].header("content-type"), "x/y");
  EXPECT_TRUE(seen[0].body == body) << "the body differs; size " << seen[0].body.size();
}

TEST(HttpServer, AnswersExpectContinueBeforeTheBodyIsSent) {
  Recorder recorder;
  HttpServer server(loopback(), [&](const Request& request) {
    recorder.add(request);
    return text("got " + request.body);
  });
  server.start();
  RawSocket socket(server.port());

  socket.send(
      "POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n"
      "Expect: 100-continue\r\n\r\n");
  EXPECT_EQ(socket.read_response(), "HTTP/1.1 100 Continue\r\n\r\n");
  socket.send("hello");
  std::string response = socket.read_response();

  EXPECT_THAT(response, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_EQ(body_of(response), "got hello");
}

TEST(HttpServer, KeepAliveServesSeveralRequestsOnOneConnection) {
  Recorder recorder;
  HttpServer server(loopback(), [&](const Request& request) {
    recorder.add(request);
    return text("answer to " + request.path);
  });
  server.start();
  RawSocket socket(server.port());

  for (int i = 0; i < 3; ++i) {
    socket.send(get_request("/seq" + std::to_string(i)));
    std::string response = socket.read_response();
    EXPECT_THAT(response, StartsWith("HTTP/1.1 200 OK\r\n"));
    EXPECT_EQ(body_of(response), "answer to /seq" + std::to_string(i));
  }
  // Pipelined: two requests in one write, two answers in order.
  socket.send(get_request("/p1") + get_request("/p2"));
  EXPECT_EQ(body_of(socket.read_response()), "answer to /p1");
  EXPECT_EQ(body_of(socket.read_response()), "answer to /p2");
  // "Connection: close" is honoured: the answer says so, and the connection ends.
  socket.send(get_request("/last", "Connection: close\r\n"));
  std::string last = socket.read_response();
  EXPECT_THAT(last, HasSubstr("Connection: close\r\n"));
  EXPECT_EQ(body_of(last), "answer to /last");
  EXPECT_TRUE(socket.closed_by_server());

  std::vector<Request> seen = recorder.all();
  ASSERT_EQ(seen.size(), 6u);
  for (const Request& request : seen) EXPECT_EQ(request.peer, seen[0].peer);  // one connection
}

TEST(HttpServer, BodyOverTheLimitGets413WithoutCallingTheHandler) {
  Recorder recorder;
  HttpServer server(loopback(), [&](const Request& request) {
    recorder.add(request);
    return text("ok");
  });
  server.start();

  // Content-Length over the limit: refused when the header arrives, while curl still sends.
  CurlResponse response = curl_perform(
      {.method = "POST", .url = server.url() + "/upload", .body = std::string((1 << 20) + 1, 'x')});

  ASSERT_EQ(response.code, CURLE_OK) << response.error();
  EXPECT_EQ(response.status, 413);
  EXPECT_EQ(response.header("content-type"), "application/json");
  EXPECT_EQ(response.parsed(), nlohmann::json({{"error", "request body over 1048576 bytes"}}));
  // At the limit exactly is fine.
  CurlResponse at_limit = curl_perform(
      {.method = "POST", .url = server.url() + "/upload", .body = std::string(1 << 20, 'x')});
  EXPECT_EQ(at_limit.status, 200);
  EXPECT_EQ(recorder.count(), 1u);
}

TEST(HttpServer, ChunkedBodyOverTheLimitGets413) {
  ServerOptions options = loopback();
  options.max_body_bytes = 16;
  HttpServer server(options, [](const Request&) { return text("ok"); });
  server.start();
  RawSocket socket(server.port());

  socket.send(
      "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
      "20\r\n" +
      std::string(32, 'x') + "\r\n0\r\n\r\n");
  bool closed = false;
  std::string response = socket.read_until_close(&closed);

  EXPECT_THAT(response, StartsWith("HTTP/1.1 413 "));
  EXPECT_EQ(body_of(response), R"({"error":"request body over 16 bytes"})");
  EXPECT_TRUE(closed);
}

TEST(HttpServer, HeaderOverTheLimitGets431) {
  std::atomic<int> calls{0};
  HttpServer server(loopback(), [&](const Request&) {
    ++calls;
    return text("ok");
  });
  server.start();

  CurlResponse response =
      curl_perform({.url = server.url() + "/", .headers = {"X-Big: " + std::string(9000, 'a')}});

  ASSERT_EQ(response.code, CURLE_OK) << response.error();
  EXPECT_EQ(response.status, 431);
  EXPECT_THAT(response.parsed().value("error", ""), HasSubstr("request header over"));
  EXPECT_EQ(calls.load(), 0);
}

TEST(HttpServer, MalformedRequestsGet400AndTheConnectionCloses) {
  std::atomic<int> calls{0};
  HttpServer server(loopback(), [&](const Request&) {
    ++calls;
    return text("ok");
  });
  server.start();
  const char binary[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n";
  const std::vector<std::string> garbage = {
      "this is not http\r\n\r\n",
      std::string(binary, sizeof binary - 1),
      "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
      "GET / HTTP/1.1\r\nBad Header\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n",
  };

  for (const std::string& bytes : garbage) {
    SCOPED_TRACE(::testing::PrintToString(bytes));
    RawSocket socket(server.port());
    socket.send(bytes);
    bool closed = false;
    std::string response = socket.read_until_close(&closed);
    EXPECT_THAT(response, StartsWith("HTTP/1.1 400 Bad Request\r\n"));
    EXPECT_THAT(response, HasSubstr("Content-Type: application/json\r\n"));
    EXPECT_THAT(body_of(response), HasSubstr("malformed HTTP request"));
    EXPECT_TRUE(closed);
  }
  EXPECT_EQ(calls.load(), 0);
  EXPECT_EQ(curl_perform({.url = server.url() + "/"}).status, 200);
}

TEST(HttpServer, InvalidPathsGet400AndAbsoluteFormTargetsArePaths) {
  Recorder recorder;
  HttpServer server(loopback(), [&](const Request& request) {
    recorder.add(request);
    return text("ok");
  });
  server.start();

  for (std::string target : {"/a%zz", "/a%00b", "/a%4", "foo"}) {
    SCOPED_TRACE(target);
    RawSocket socket(server.port());
    socket.send(get_request(target));
    std::string response = socket.read_response();
    EXPECT_THAT(response, StartsWith("HTTP/1.1 400 "));
    EXPECT_THAT(body_of(response), HasSubstr("request"));
  }
  EXPECT_EQ(recorder.count(), 0u);

  RawSocket socket(server.port());
  socket.send(get_request("http://127.0.0.1/ok%20x?y=1"));
  EXPECT_THAT(socket.read_response(), StartsWith("HTTP/1.1 200 OK\r\n"));
  ASSERT_EQ(recorder.count(), 1u);
  EXPECT_EQ(recorder.all()[0].path, "/ok x");
  EXPECT_EQ(recorder.all()[0].query, "y=1");
}

TEST(HttpServer, HandlerExceptionGives500JsonAndServingGoesOn) {
  HttpServer server(loopback(), [](const Request& request) -> Response {
    if (request.path == "/fail") throw std::runtime_error("store \"main\" is gone\nretry later");
    if (request.path == "/odd") throw 42;
    return text("fine");
  });
  server.start();

  CurlResponse failed = curl_perform({.url = server.url() + "/fail"});
  CurlResponse odd = curl_perform({.url = server.url() + "/odd"});
  CurlResponse fine = curl_perform({.url = server.url() + "/ok"});

  ASSERT_EQ(failed.code, CURLE_OK) << failed.error();
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(failed.header("content-type"), "application/json");
  EXPECT_EQ(failed.parsed(), nlohmann::json({{"error", "store \"main\" is gone\nretry later"}}));
  EXPECT_EQ(odd.status, 500);
  EXPECT_EQ(odd.parsed(), nlohmann::json({{"error", "unknown error"}}));
  EXPECT_EQ(fine.status, 200);
  EXPECT_EQ(fine.body, "fine");

  // The connection of a 500 stays usable too.
  RawSocket socket(server.port());
  socket.send(get_request("/fail"));
  EXPECT_THAT(socket.read_response(), StartsWith("HTTP/1.1 500 "));
  socket.send(get_request("/ok"));
  EXPECT_EQ(body_of(socket.read_response()), "fine");
}

TEST(HttpServer, AnAnswerThatWouldSplitTheResponseBecomes500) {
  HttpServer server(loopback(), [](const Request& request) {
    Response response = text("x");
    if (request.path == "/split") response.headers = {{"X-Echo", "a\r\nInjected: yes"}};
    if (request.path == "/status") response.status = 42;
    return response;
  });
  server.start();

  CurlResponse split = curl_perform({.url = server.url() + "/split"});
  CurlResponse status = curl_perform({.url = server.url() + "/status"});

  EXPECT_EQ(split.status, 500);
  EXPECT_FALSE(split.has_header("injected"));
  EXPECT_EQ(status.status, 500);
  EXPECT_THAT(status.parsed().value("error", ""), HasSubstr("status 42"));
}

TEST(HttpServer, StartThrowsNamingTheAddressWhenThePortIsInUse) {
  HttpServer first(loopback(), [](const Request&) { return text("first"); });
  first.start();
  ServerOptions options = loopback();
  options.port = first.port();
  HttpServer second(options, [](const Request&) { return text("second"); });

  try {
    second.start();
    FAIL() << "start() did not throw";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("cannot listen on 127.0.0.1:" + std::to_string(first.port())));
    EXPECT_THAT(e.what(), HasSubstr("in use"));
    EXPECT_THAT(e.what(), HasSubstr("http.port"));
  }
  EXPECT_EQ(curl_perform({.url = first.url() + "/"}).body, "first");
  second.stop();  // fine on a server that never started
}

TEST(HttpServer, TlsRoundTripWithTheTestCa) {
  const auto& certificates = jobhost::testing::shared_test_certificates();
  ServerOptions options = loopback();
  options.tls_cert = certificates.server_cert_file;
  options.tls_key = certificates.server_key_file;
  HttpServer server(options, [](const Request& request) { return text("secure " + request.body); });
  server.start();
  EXPECT_EQ(server.url(), "https://127.0.0.1:" + std::to_string(server.port()));

  CurlResponse response = curl_perform({.method = "POST",
                                        .url = server.url() + "/x",
                                        .body = "hi",
                                        .ca_file = certificates.ca_cert_file.string()});
  ASSERT_EQ(response.code, CURLE_OK) << response.error();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "secure hi");
  EXPECT_EQ(response.header("server"), "jobhost/" JOBHOST_VERSION);

  // A client that does not trust the CA gets no answer; one speaking plain HTTP is closed.
  EXPECT_NE(curl_perform({.url = server.url() + "/x"}).code, CURLE_OK);
  RawSocket plain(server.port());
  plain.send(get_request("/x"));
  EXPECT_TRUE(plain.closed_by_server());
  EXPECT_EQ(
      curl_perform({.url = server.url() + "/x", .ca_file = certificates.ca_cert_file.string()})
          .status,
      200);
}

TEST(HttpServer, UnusableTlsFilesMakeStartThrowNamingThem) {
  jobhost::testing::TempDir dir("web-tls");
  const auto& certificates = jobhost::testing::shared_test_certificates();
  auto start_with = [](std::filesystem::path cert, std::filesystem::path key) -> std::string {
    ServerOptions options = loopback();
    options.tls_cert = std::move(cert);
    options.tls_key = std::move(key);
    HttpServer server(options, [](const Request&) { return text("x"); });
    try {
      server.start();
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "(no exception)";
  };
  {
    std::FILE* f = std::fopen(dir.file("garbage.pem").c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("not a certificate\n", f);
    std::fclose(f);
  }
  auto other = jobhost::testing::make_test_certificates(dir.path());

  std::string missing = start_with(dir.file("missing.pem"), certificates.server_key_file);
  EXPECT_THAT(missing, HasSubstr(dir.file("missing.pem").string()));
  EXPECT_THAT(missing, HasSubstr("No such file"));
  EXPECT_THAT(missing, HasSubstr("http.tls.cert"));
  std::string garbage = start_with(dir.file("garbage.pem"), certificates.server_key_file);
  EXPECT_THAT(garbage,
              HasSubstr("cannot use the TLS certificate " + dir.file("garbage.pem").string()));
  std::string bad_key = start_with(certificates.server_cert_file, dir.file("garbage.pem"));
  EXPECT_THAT(bad_key, HasSubstr("cannot use the TLS private key"));
  std::string mismatch = start_with(certificates.server_cert_file, other.server_key_file);
  EXPECT_THAT(mismatch, HasSubstr("does not belong to the certificate"));
  std::string half = start_with(certificates.server_cert_file, {});
  EXPECT_THAT(half, HasSubstr("http.tls.key"));
}

TEST(HttpServer, SlowHandlerDoesNotHoldUpOtherConnections) {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  ServerOptions options = loopback();
  options.threads = 2;
  HttpServer server(options, [&](const Request& request) {
    if (request.path == "/slow") {
      entered.set_value();
      released.wait_for(15s);  // the test releases it; the bound only keeps a failure finite
      return text("slow");
    }
    return text("fast");
  });
  server.start();
  std::atomic<bool> slow_done{false};
  CurlResponse slow;
  std::thread slow_client([&] {
    slow = curl_perform({.url = server.url() + "/slow"});
    slow_done = true;
  });

  bool slow_started = entered.get_future().wait_for(10s) == std::future_status::ready;
  CurlResponse fast;
  bool slow_done_before_fast = true;
  if (slow_started) {
    fast = curl_perform({.url = server.url() + "/fast", .timeout_ms = 5000});
    slow_done_before_fast = slow_done.load();
  }
  release.set_value();
  slow_client.join();

  ASSERT_TRUE(slow_started);
  EXPECT_EQ(fast.code, CURLE_OK) << fast.error();
  EXPECT_EQ(fast.body, "fast");
  EXPECT_FALSE(slow_done_before_fast);
  EXPECT_EQ(slow.body, "slow");
}

TEST(HttpServer, StopClosesIdleConnectionsAtOnceAndIsIdempotent) {
  auto server = std::make_unique<HttpServer>(loopback(), [](const Request&) { return text("x"); });
  server->start();
  RawSocket kept_alive(server->port());
  kept_alive.send(get_request("/"));
  ASSERT_THAT(kept_alive.read_response(), StartsWith("HTTP/1.1 200 OK\r\n"));
  RawSocket silent(server->port());  // connected, never sends a byte

  Clock::time_point start = Clock::now();
  server->stop();
  EXPECT_LT(since(start), 1500ms);  // the timeouts are 30 and 60 s

  EXPECT_TRUE(kept_alive.closed_by_server());
  EXPECT_TRUE(silent.closed_by_server());
  server->stop();
  start = Clock::now();
  server.reset();
  EXPECT_LT(since(start), 500ms);
}

TEST(HttpServer, DestructorStopsWithAClientHoldingAConnection) {
  std::optional<RawSocket> client;
  Clock::time_point start;
  {
    HttpServer server(loopback(), [](const Request&) { return text("x"); });
    server.start();
    client.emplace(server.port());
    client->send(get_request("/"));
    ASSERT_THAT(client->read_response(), StartsWith("HTTP/1.1 200 OK\r\n"));
    start = Clock::now();
  }
  EXPECT_LT(since(start), 1500ms);
  EXPECT_TRUE(client->closed_by_server());
}

TEST(HttpServer, StopLetsARunningHandlerAnswerThenCloses) {
  std::promise<void> entered;
  HttpServer server(loopback(), [&](const Request&) {
    entered.set_value();
    std::this_thread::sleep_for(300ms);
    return text("late answer");
  });
  server.start();
  RawSocket socket(server.port());
  socket.send(get_request("/"));
  ASSERT_EQ(entered.get_future().wait_for(10s), std::future_status::ready);

  server.stop();

  std::string response = socket.read_response();
  EXPECT_THAT(response, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(response, HasSubstr("Connection: close\r\n"));
  EXPECT_EQ(body_of(response), "late answer");
  EXPECT_TRUE(socket.closed_by_server());
}

TEST(HttpServer, ConnectionsOverTheLimitAreClosedAtOnce) {
  ServerOptions options = loopback();
  options.max_connections = 1;
  HttpServer server(options, [](const Request&) { return text("x"); });
  server.start();
  auto first = std::make_unique<RawSocket>(server.port());
  first->send(get_request("/"));
  ASSERT_THAT(first->read_response(), StartsWith("HTTP/1.1 200 OK\r\n"));

  RawSocket second(server.port());
  second.send(get_request("/"));
  bool closed = false;
  EXPECT_EQ(second.read_until_close(&closed), "");
  EXPECT_TRUE(closed);

  first->send(get_request("/"));
  EXPECT_THAT(first->read_response(), StartsWith("HTTP/1.1 200 OK\r\n"));
  first.reset();
  // Once the first connection is gone (the server notices within moments), a new one is served.
  std::string answer;
  for (Clock::time_point start = Clock::now(); answer.empty() && since(start) < 5s;) {
    RawSocket next(server.port());
    next.send(get_request("/"));
    answer = next.read_response();
    if (answer.empty()) std::this_thread::sleep_for(50ms);
  }
  EXPECT_THAT(answer, StartsWith("HTTP/1.1 200 OK\r\n"));
}

TEST(HttpServer, ReadAndIdleTimeoutsCloseTheConnection) {
  ServerOptions options = loopback();
  options.read_timeout = 1s;
  options.idle_timeout = 2s;
  HttpServer server(options, [](const Request&) { return text("x"); });
  server.start();

  RawSocket partial(server.port());
  partial.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");  // the blank line never comes
  Clock::time_point start = Clock::now();
  EXPECT_TRUE(partial.closed_by_server());
  EXPECT_GE(since(start), 800ms);
  EXPECT_LT(since(start), 6s);

  RawSocket idle(server.port());
  idle.send(get_request("/"));
  ASSERT_THAT(idle.read_response(), StartsWith("HTTP/1.1 200 OK\r\n"));
  start = Clock::now();
  EXPECT_TRUE(idle.closed_by_server());
  EXPECT_GE(since(start), 1800ms);  // the idle timeout, not the read timeout
  EXPECT_LT(since(start), 8s);
}

// Never crash, never hang: random bytes, alone or after a valid start, then the client leaves.
TEST(HttpServer, SurvivesRandomInput) {
  HttpServer server(loopback(), [](const Request&) { return text("x"); });
  server.start();
  std::mt19937 random(12345);
  const std::vector<std::string> prefixes = {
      "", "GET / HTTP/1.1\r\n", "POST /x HTTP/1.1\r\nContent-Length: 10\r\n\r\n", "GET /%",
      "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"};
  for (int i = 0; i < 60; ++i) {
    std::string bytes = prefixes[i % prefixes.size()];
    size_t length = random() % 300;
    for (size_t j = 0; j < length; ++j) bytes.push_back(static_cast<char>(random() % 256));
    RawSocket socket(server.port());
    socket.send(bytes);
    socket.shutdown_write();
    ASSERT_TRUE(socket.closed_by_server()) << "input " << i;
  }
  EXPECT_EQ(curl_perform({.url = server.url() + "/"}).status, 200);
}

}  // namespace
}  // namespace jobhost::web
