#include "fakes/zabbix/fake_zabbix.h"

#include <utility>

#include "fakes/zabbix/failure_injection.h"
#include "fakes/zabbix/frontend.h"

// The public face of the fake: FakeZabbix forwards to the parts in fake_zabbix:: (frontend.h
// and the files it names).
namespace jobhost::testing {

std::string_view to_string(FailureKind kind) {
  switch (kind) {
    case FailureKind::http_500:
      return "http_500";
    case FailureKind::malformed_json:
      return "malformed_json";
    case FailureKind::close_connection:
      return "close_connection";
    case FailureKind::hang:
      return "hang";
    case FailureKind::rpc_error:
      return "rpc_error";
    case FailureKind::too_many_requests:
      return "too_many_requests";
  }
  return "unknown";
}

// The public header names the implementation FakeZabbix::Impl; it is the Frontend, which
// lives in fake_zabbix:: next to the parts it uses.
class FakeZabbix::Impl final : public fake_zabbix::Frontend {
 public:
  using Frontend::Frontend;
};

FakeZabbix::FakeZabbix(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}
FakeZabbix::~FakeZabbix() = default;

std::string FakeZabbix::url() const {
  return impl_->url();
}
std::uint16_t FakeZabbix::port() const {
  return impl_->port();
}
void FakeZabbix::stop() {
  impl_->stop();
}

nlohmann::json FakeZabbix::desired_host_configs() const {
  return impl_->desired_host_configs();
}
std::vector<FakeZabbix::Drift> FakeZabbix::drifted() const {
  return impl_->drifted();
}
std::vector<std::string> FakeZabbix::missing_hosts() const {
  return impl_->missing_hosts();
}
void FakeZabbix::write_desired(const std::filesystem::path& path) const {
  impl_->write_desired(path);
}
std::string FakeZabbix::add_host(const nlohmann::json& zabbix_host) {
  return impl_->add_host(zabbix_host);
}
std::optional<nlohmann::json> FakeZabbix::host_by_name(const std::string& host) const {
  return impl_->host_by_name(host);
}
std::size_t FakeZabbix::host_count() const {
  return impl_->host_count();
}

void FakeZabbix::set_latency(std::chrono::milliseconds latency) {
  impl_->settings().set_latency(latency);
}
void FakeZabbix::set_version(std::string version) {
  impl_->settings().set_version(std::move(version));
}
std::string FakeZabbix::version() const {
  return impl_->settings().version_text();
}
void FakeZabbix::set_token(std::string token) {
  impl_->credentials().set_token(std::move(token));
}
void FakeZabbix::expire_token_after(std::size_t calls) {
  impl_->credentials().expire_token_after(calls);
}
void FakeZabbix::fail_next(FailureKind kind, std::size_t count, std::string method) {
  impl_->failures().add(fake_zabbix::FailureRule{kind, count, std::move(method), 0});
}
void FakeZabbix::fail_after(std::size_t n_requests, FailureKind kind, std::size_t count) {
  impl_->failures().add(fake_zabbix::FailureRule{kind, count, "", n_requests});
}
void FakeZabbix::clear_failures() {
  impl_->failures().clear();
}

std::size_t FakeZabbix::requests() const {
  return impl_->counters().requests();
}
std::size_t FakeZabbix::calls(std::string_view method) const {
  return impl_->counters().calls(method);
}
std::size_t FakeZabbix::calls() const {
  return impl_->counters().calls();
}
std::size_t FakeZabbix::hosts_returned() const {
  return impl_->counters().hosts_returned();
}
std::optional<TestRequest> FakeZabbix::last_request() const {
  return impl_->counters().last_request();
}
std::size_t FakeZabbix::max_in_flight() const {
  return impl_->counters().max_in_flight();
}
void FakeZabbix::reset_counters() {
  impl_->counters().reset();
}

}  // namespace jobhost::testing
