// HTTPS against the test server and its throwaway CA: verification on by default, and a
// failure to verify is reported as kind tls, never silently accepted.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "echo_handler.h"
#include "services/http/http_client.h"
#include "support/http_test_server.h"
#include "support/temp_dir.h"
#include "support/test_tls.h"

namespace jobhost::http {
namespace {

using testing::HttpTestServer;
using testing::shared_test_certificates;
using testing::TestCertificates;
using testing::TestRequest;
using testing::TestResponse;

// Answers "secure <path>" over HTTPS with the shared test CA's server certificate.
HttpTestServer::Options with_tls() {
  return {.tls = shared_test_certificates().server_tls()};
}

TestResponse secure_path(const TestRequest& request) {
  return TestResponse::text("secure " + request.path);
}

// A request that trusts the shared test CA.
Request trusting_test_ca(std::string url) {
  Request request{.url = std::move(url)};
  request.ca_file = shared_test_certificates().ca_cert_file.string();
  return request;
}

TEST(HttpClientTls, VerifiesAgainstTheGivenCa) {
  HttpTestServer server(secure_path, with_tls());
  ASSERT_EQ(server.base_url().rfind("https://127.0.0.1:", 0), 0u);
  HttpClient client;
  Request request = trusting_test_ca(server.base_url() + "/version");

  Outcome outcome = client.perform(request);

  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(outcome.response.status, 200);
  EXPECT_EQ(outcome.response.body, "secure /version");
}

TEST(HttpClientTls, LocalhostNameIsInTheCertificate) {
  HttpTestServer server(secure_path, with_tls());
  HttpClient client;
  Outcome outcome =
      client.perform(trusting_test_ca("https://localhost:" + std::to_string(server.port()) + "/"));
  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(outcome.response.body, "secure /");
}

TEST(HttpClientTls, UnknownCaFailsAsKindTls) {
  HttpTestServer server(secure_path, with_tls());
  HttpClient client;
  // The same client first succeeds with the CA: neither its connection nor its TLS session
  // may be reused for a request that does not trust that CA.
  ASSERT_TRUE(client.perform(trusting_test_ca(server.base_url() + "/")).ok);

  Outcome outcome = client.perform(Request{.url = server.base_url() + "/"});

  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.kind, ErrorKind::tls);
  EXPECT_EQ(outcome.error, "SSL certificate problem: unable to get local issuer certificate");
  EXPECT_EQ(server.requests_served(), 1u);
}

TEST(HttpClientTls, CertificateFromAnotherCaFails) {
  testing::TempDir dir("jobhost-other-ca");
  TestCertificates other = testing::make_test_certificates(dir.path());
  HttpTestServer server(secure_path, {.tls = other.server_tls()});
  HttpClient client;
  Outcome outcome = client.perform(trusting_test_ca(server.base_url() + "/"));

  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.kind, ErrorKind::tls);
  EXPECT_NE(outcome.error.find("certificate"), std::string::npos) << outcome.error;
}

TEST(HttpClientTls, MissingCaFileFailsAsKindTls) {
  HttpTestServer server(secure_path, with_tls());
  HttpClient client;
  Request request{.url = server.base_url() + "/"};
  request.ca_file = "/nonexistent/ca.pem";
  Outcome outcome = client.perform(request);
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.kind, ErrorKind::tls);
  EXPECT_NE(outcome.error.find("/nonexistent/ca.pem"), std::string::npos) << outcome.error;
}

TEST(HttpClientTls, VerificationCanBeTurnedOffExplicitly) {
  HttpTestServer server(secure_path, with_tls());
  HttpClient client;
  Request request{.url = server.base_url() + "/", .verify_tls = false};
  Outcome outcome = client.perform(request);
  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(outcome.response.body, "secure /");
}

TEST(HttpClientTls, ServerFromPemFilesWorksToo) {
  const TestCertificates& certs = shared_test_certificates();
  testing::ServerTls files{.cert_chain_file = certs.server_cert_file,
                           .private_key_file = certs.server_key_file};
  HttpTestServer server(secure_path, {.tls = files});
  HttpClient client;
  Outcome outcome = client.perform(trusting_test_ca(server.base_url() + "/"));
  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(outcome.response.body, "secure /");
}

TEST(HttpClientTls, KeepAliveAndConcurrencyOverTls) {
  HttpTestServer server(secure_path, with_tls());
  HttpClient client;
  std::vector<Request> requests;
  for (int i = 0; i < 20; ++i) {
    requests.push_back(trusting_test_ca(server.base_url() + "/" + std::to_string(i)));
  }
  std::vector<Outcome> outcomes = client.perform_many(requests, 3);
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(outcomes[i].ok) << outcomes[i].error;
    EXPECT_EQ(outcomes[i].response.body, "secure /" + std::to_string(i));
  }
  EXPECT_EQ(server.connections_accepted(), 3u);
}

}  // namespace
}  // namespace jobhost::http
