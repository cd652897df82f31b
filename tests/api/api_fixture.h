// A real `jobhost run` daemon with the testkit plugin and its HTTP listener on a free port, and
// a client that talks JSON to it over real HTTP.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "daemon/daemon_harness.h"
#include "support/curl_client.h"

namespace jobhost::testing {

inline constexpr const char* kToken = "s3cret-token";

struct ApiReply {
  long status = 0;
  nlohmann::json body;  // null when the body is not JSON
  std::string text;
  CurlResponse raw;
};

class ApiDaemon {
 public:
  // `http` is the body of the `http:` section (port 0 is added); `extra` top-level sections;
  // `plugins` the body of the `plugins:` section.
  ApiDaemon(const std::string& test_name, const std::string& http, const std::string& extra,
            const std::string& plugins = "");
  ~ApiDaemon();

  // Starts `jobhost run`; fails the test when it does not get ready.
  void start();
  void stop();
  // Rewrites the YAML file (then `reload`, or a restart, reads it).
  void rewrite(const std::string& http, const std::string& extra);

  ApiReply get(const std::string& path, const std::string& token = "") const;
  ApiReply send(const std::string& method, const std::string& path, const std::string& body,
                const std::string& token = kToken) const;

  const std::string& url() const { return url_; }
  Cli& cli() { return *cli_; }
  Daemon& daemon() { return *daemon_; }
  HostSetup& setup() { return setup_; }

 private:
  HostSetup setup_;
  std::unique_ptr<Cli> cli_;
  std::unique_ptr<Daemon> daemon_;
  std::string url_;
};

// The base URL the daemon logged ("http: dashboard and API on URL/"), or "" when none.
std::string api_url_in(const std::string& log);

}  // namespace jobhost::testing
