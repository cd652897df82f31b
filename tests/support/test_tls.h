#pragma once

#include <filesystem>
#include <string>

#include "support/http_test_server.h"

namespace jobhost::testing {

// A throwaway CA and a server certificate it signed, for 127.0.0.1, ::1 and localhost, as
// PEM text and as files. Clients trust ca_cert_file (Request::ca_file); the test server uses
// server_tls().
struct TestCertificates {
  std::filesystem::path ca_cert_file;
  std::filesystem::path server_cert_file;  // the server's certificate only, not the CA's
  std::filesystem::path server_key_file;
  std::string ca_cert_pem;
  std::string server_cert_pem;
  std::string server_key_pem;

  ServerTls server_tls() const { return ServerTls{server_cert_pem, server_key_pem, {}, {}}; }
};

// Generates a fresh CA and server certificate (P-256 keys, valid from an hour ago for two
// days) into `dir`, which must exist. Each call makes a new, unrelated CA, so a test can
// check that a certificate from another CA is refused. Throws std::runtime_error.
TestCertificates make_test_certificates(const std::filesystem::path& dir);

// One set for the whole test process, generated on first use into a temp dir removed at exit.
const TestCertificates& shared_test_certificates();

}  // namespace jobhost::testing
