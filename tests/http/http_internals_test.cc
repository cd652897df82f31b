// The client's pure helpers, without a network: header parsing, log-safe URLs, lookups.
#include <gtest/gtest.h>

#include <curl/curl.h>

#include "services/http/curl_errors.h"
#include "services/http/header_lines.h"
#include "services/http/http_types.h"
#include "services/http/log_safe_url.h"

namespace jobhost::http {
namespace {

TEST(HeaderLines, KeepsOnlyTheLastResponsesHeaders) {
  detail::HeaderLines lines;
  for (const char* line : {"HTTP/1.1 302 Found\r\n", "Location: /next\r\n", "X-Hop: 1\r\n", "\r\n",
                           "HTTP/1.1 100 Continue\r\n", "\r\n", "HTTP/1.1 200 OK\r\n",
                           "Content-Type:  application/json \r\n", "X-Folded: first\r\n",
                           "   second part\r\n", "X-Empty:\r\n", "not a header\r\n", "\r\n"}) {
    lines.add_line(line);
  }
  const auto& headers = lines.headers();
  ASSERT_EQ(headers.size(), 3u);
  EXPECT_EQ(headers[0].name, "Content-Type");
  EXPECT_EQ(headers[0].value, "application/json");
  EXPECT_EQ(headers[1].name, "X-Folded");
  EXPECT_EQ(headers[1].value, "first second part");
  EXPECT_EQ(headers[2].name, "X-Empty");
  EXPECT_EQ(headers[2].value, "");
}

TEST(HeaderLines, Http2StatusLineStartsANewResponse) {
  detail::HeaderLines lines;
  lines.add_line("HTTP/2 301\r\n");
  lines.add_line("location: /x\r\n");
  lines.add_line("HTTP/2 200\r\n");
  lines.add_line("content-length: 2\r\n");
  ASSERT_EQ(lines.headers().size(), 1u);
  EXPECT_EQ(lines.headers()[0].name, "content-length");
}

TEST(ResponseHeader, FirstMatchIgnoringCase) {
  Response response;
  response.headers = {{"Link", "<a>; rel=next"}, {"link", "<b>; rel=last"}, {"X-A", ""}};
  EXPECT_EQ(response.header("LINK"), "<a>; rel=next");
  EXPECT_EQ(response.header("x-a"), "");
  EXPECT_EQ(response.header("X-"), std::nullopt);
  EXPECT_EQ(response.header("X-AA"), std::nullopt);
}

TEST(LogSafeUrl, DropsUserInfoQueryAndFragment) {
  EXPECT_EQ(detail::log_safe_url("https://user:pw@api.example.com:8443/a/b?token=x#frag"),
            "https://api.example.com:8443/a/b");
  EXPECT_EQ(detail::log_safe_url("https://api.meraki.com/api/v1/organizations?perPage=3"),
            "https://api.meraki.com/api/v1/organizations");
  EXPECT_EQ(detail::log_safe_url("http://token@host"), "http://host");
  EXPECT_EQ(detail::log_safe_url("http://host/path@with-at"), "http://host/path@with-at");
  EXPECT_EQ(detail::log_safe_url("http://u:p@host?q@x"), "http://host");
}

TEST(ErrorKinds, NamesAndCurlCodes) {
  EXPECT_EQ(to_string(ErrorKind::none), "none");
  EXPECT_EQ(to_string(ErrorKind::timeout), "timeout");
  EXPECT_EQ(to_string(ErrorKind::connect), "connect");
  EXPECT_EQ(to_string(ErrorKind::tls), "tls");
  EXPECT_EQ(to_string(ErrorKind::cancelled), "cancelled");
  EXPECT_EQ(to_string(ErrorKind::other), "other");
  EXPECT_EQ(detail::classify(CURLE_OK), ErrorKind::none);
  EXPECT_EQ(detail::classify(CURLE_OPERATION_TIMEDOUT), ErrorKind::timeout);
  EXPECT_EQ(detail::classify(CURLE_COULDNT_RESOLVE_HOST), ErrorKind::connect);
  EXPECT_EQ(detail::classify(CURLE_COULDNT_CONNECT), ErrorKind::connect);
  EXPECT_EQ(detail::classify(CURLE_PEER_FAILED_VERIFICATION), ErrorKind::tls);
  EXPECT_EQ(detail::classify(CURLE_SSL_CONNECT_ERROR), ErrorKind::tls);
  EXPECT_EQ(detail::classify(CURLE_GOT_NOTHING), ErrorKind::other);
  EXPECT_EQ(detail::classify(CURLE_RECV_ERROR), ErrorKind::other);
}

}  // namespace
}  // namespace jobhost::http
