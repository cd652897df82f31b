#include "support/test_tls.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <fstream>
#include <memory>
#include <stdexcept>
#include <string_view>

#include "support/temp_dir.h"

namespace jobhost::testing {

namespace {

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* pointer) const {
    Free(pointer);
  }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;

// Throws with OpenSSL's own reason when a call failed.
void check(bool ok, std::string_view what) {
  if (ok) return;
  char reason[256] = "unknown error";
  if (unsigned long code = ERR_get_error(); code != 0)
    ERR_error_string_n(code, reason, sizeof reason);
  ERR_clear_error();
  throw std::runtime_error("test TLS: " + std::string(what) + ": " + reason);
}

KeyPtr make_key() {
  KeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  check(key != nullptr, "generating a P-256 key");
  return key;
}

// A fresh random serial: browsers and OpenSSL dislike two certificates from one issuer
// with the same serial, and every call here makes new ones.
void set_random_serial(X509* cert) {
  BignumPtr serial(BN_new());
  check(serial && BN_rand(serial.get(), 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1, "serial");
  check(BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert)) != nullptr, "serial");
}

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value));
  check(extension != nullptr, value);
  check(X509_add_ext(cert, extension.get(), -1) == 1, value);
}

// Version 3, validity, subject and issuer name (its own for the CA); signed later, once the
// extensions are in.
CertPtr make_certificate(const char* common_name, EVP_PKEY* key, X509* issuer) {
  CertPtr cert(X509_new());
  check(cert != nullptr, "X509_new");
  check(X509_set_version(cert.get(), X509_VERSION_3) == 1, "version");
  set_random_serial(cert.get());
  // An hour of slack so a clock a little behind still accepts it.
  check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) != nullptr, "notBefore");
  check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), 2 * 24 * 3600) != nullptr, "notAfter");
  X509_NAME* name = X509_get_subject_name(cert.get());
  check(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>("jobhost tests"), -1, -1,
                                   0) == 1,
        "subject");
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>(common_name), -1, -1,
                                   0) == 1,
        "subject");
  X509* signer = issuer != nullptr ? issuer : cert.get();
  check(X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)) == 1, "issuer");
  check(X509_set_pubkey(cert.get(), key) == 1, "public key");
  return cert;
}

void sign(X509* cert, EVP_PKEY* key) {
  check(X509_sign(cert, key, EVP_sha256()) > 0, "signing");
}

std::string to_pem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  check(bio && PEM_write_bio_X509(bio.get(), cert) == 1, "PEM of a certificate");
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string to_pem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  check(bio && PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "PEM of a key");
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw std::runtime_error("test TLS: cannot write " + path.string());
}

}  // namespace

TestCertificates make_test_certificates(const std::filesystem::path& dir) {
  KeyPtr ca_key = make_key();
  CertPtr ca = make_certificate("jobhost test CA", ca_key.get(), nullptr);
  add_extension(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_extension(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  add_extension(ca.get(), ca.get(), NID_subject_key_identifier, "hash");
  sign(ca.get(), ca_key.get());

  KeyPtr server_key = make_key();
  CertPtr server = make_certificate("127.0.0.1", server_key.get(), ca.get());
  add_extension(server.get(), ca.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_extension(server.get(), ca.get(), NID_key_usage, "critical,digitalSignature");
  add_extension(server.get(), ca.get(), NID_ext_key_usage, "serverAuth");
  // Clients match the host against these names, never against the CN.
  add_extension(server.get(), ca.get(), NID_subject_alt_name, "IP:127.0.0.1,IP:::1,DNS:localhost");
  add_extension(server.get(), ca.get(), NID_authority_key_identifier, "keyid:always");
  sign(server.get(), ca_key.get());

  TestCertificates certs;
  certs.ca_cert_pem = to_pem(ca.get());
  // Only the leaf, as a Kubernetes API server sends it: a client without the CA then fails
  // with "unable to get local issuer certificate".
  certs.server_cert_pem = to_pem(server.get());
  certs.server_key_pem = to_pem(server_key.get());
  certs.ca_cert_file = dir / "ca.pem";
  certs.server_cert_file = dir / "server.pem";
  certs.server_key_file = dir / "server-key.pem";
  write_file(certs.ca_cert_file, certs.ca_cert_pem);
  write_file(certs.server_cert_file, certs.server_cert_pem);
  write_file(certs.server_key_file, certs.server_key_pem);
  return certs;
}

const TestCertificates& shared_test_certificates() {
  // Function-local statics: made once, thread-safely, and the dir removed at exit.
  static const TempDir dir("jobhost-test-tls");
  static const TestCertificates certs = make_test_certificates(dir.path());
  return certs;
}

}  // namespace jobhost::testing
