#include "api/api_fixture.h"

#include <signal.h>

#include <fstream>
#include <regex>

#include <gtest/gtest.h>

namespace jobhost::testing {

namespace {

std::string http_body(const std::string& http) {
  return "  port: 0\n" + http;
}

}  // namespace

std::string api_url_in(const std::string& log) {
  static const std::regex kLine(R"(http: dashboard and API on (https?://[^ ]+)/)");
  std::smatch m;
  return std::regex_search(log, m, kLine) ? m[1].str() : "";
}

ApiDaemon::ApiDaemon(const std::string& test_name, const std::string& http,
                     const std::string& extra, const std::string& plugins) {
  setup_ = sqlite_setup(test_name);
  setup_.plugins_yaml = plugins;
  setup_.workers = 2;
  setup_.http_yaml = http_body(http);
  cli_ = std::make_unique<Cli>(daemon_yaml(setup_, extra));
}

ApiDaemon::~ApiDaemon() {
  stop();
}

void ApiDaemon::start() {
  daemon_ = std::make_unique<Daemon>(*cli_);
  ASSERT_TRUE(daemon_->wait_ready()) << daemon_->log();
  url_ = api_url_in(daemon_->log());
  ASSERT_FALSE(url_.empty()) << "no API address in the log:\n" << daemon_->log();
}

void ApiDaemon::stop() {
  if (!daemon_) return;
  daemon_->stop(SIGTERM, std::chrono::seconds(20));
  daemon_.reset();
}

void ApiDaemon::rewrite(const std::string& http, const std::string& extra) {
  setup_.http_yaml = http_body(http);
  std::ofstream(cli_->config_path()) << daemon_yaml(setup_, extra);
}

ApiReply ApiDaemon::get(const std::string& path, const std::string& token) const {
  return send("GET", path, "", token);
}

ApiReply ApiDaemon::send(const std::string& method, const std::string& path,
                         const std::string& body, const std::string& token) const {
  CurlRequest req;
  req.method = method;
  req.url = url_ + path;
  req.body = body;
  if (!body.empty()) req.headers.push_back("Content-Type: application/json");
  if (!token.empty()) req.headers.push_back("Authorization: Bearer " + token);
  ApiReply r;
  r.raw = curl_perform(req);
  r.status = r.raw.status;
  r.text = r.raw.body;
  r.body = nlohmann::json::parse(r.text, nullptr, false);
  if (r.body.is_discarded()) r.body = nullptr;
  return r;
}

}  // namespace jobhost::testing
