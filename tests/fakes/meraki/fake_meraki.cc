#include "fakes/meraki/fake_meraki.h"

#include <utility>

#include "fakes/meraki/dashboard.h"

// The public face of the fake: FakeMeraki forwards to the parts in fake_meraki:: (dashboard.h
// and the files it names).
namespace jobhost::testing {

std::string_view to_string(MerakiFailure failure) {
  switch (failure) {
    case MerakiFailure::internal_error:
      return "internal_error";
    case MerakiFailure::bad_gateway:
      return "bad_gateway";
    case MerakiFailure::service_unavailable:
      return "service_unavailable";
    case MerakiFailure::too_many_requests:
      return "too_many_requests";
    case MerakiFailure::forbidden:
      return "forbidden";
    case MerakiFailure::not_found:
      return "not_found";
    case MerakiFailure::malformed_json:
      return "malformed_json";
    case MerakiFailure::close_connection:
      return "close_connection";
    case MerakiFailure::hang:
      return "hang";
  }
  return "unknown";
}

// The public header names the implementation FakeMeraki::Impl; it is the Dashboard, which
// lives in fake_meraki:: next to the parts it uses.
class FakeMeraki::Impl final : public fake_meraki::Dashboard {
 public:
  using Dashboard::Dashboard;
};

FakeMeraki::FakeMeraki(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}
FakeMeraki::~FakeMeraki() = default;

std::string FakeMeraki::url() const {
  return impl_->url();
}
std::string FakeMeraki::api_url() const {
  return impl_->url() + "/api/v1";
}
std::uint16_t FakeMeraki::port() const {
  return impl_->port();
}
std::string FakeMeraki::shard_url() const {
  return impl_->shard_url();
}
void FakeMeraki::stop() {
  impl_->stop();
}

std::vector<std::string> FakeMeraki::organization_ids() const {
  return impl_->organization_ids();
}
std::vector<nlohmann::json> FakeMeraki::networks(std::string_view org_id) const {
  return impl_->networks(org_id);
}
std::vector<nlohmann::json> FakeMeraki::devices(std::string_view org_id) const {
  return impl_->devices(org_id);
}
std::optional<nlohmann::json> FakeMeraki::network(std::string_view network_id) const {
  return impl_->network(network_id);
}
std::optional<nlohmann::json> FakeMeraki::device(std::string_view serial) const {
  return impl_->device(serial);
}
std::optional<nlohmann::json> FakeMeraki::status(std::string_view serial) const {
  return impl_->status(serial);
}
std::string FakeMeraki::add_organization(std::string name) {
  return impl_->add_organization(std::move(name));
}
bool FakeMeraki::remove_organization(std::string_view org_id) {
  return impl_->remove_organization(org_id);
}
nlohmann::json FakeMeraki::put_network(std::string_view org_id, nlohmann::json network) {
  return impl_->put_network(org_id, std::move(network));
}
bool FakeMeraki::remove_network(std::string_view network_id) {
  return impl_->remove_network(network_id);
}
nlohmann::json FakeMeraki::put_device(nlohmann::json device) {
  return impl_->put_device(std::move(device));
}
bool FakeMeraki::remove_device(std::string_view serial) {
  return impl_->remove_device(serial);
}
void FakeMeraki::set_status(std::string_view serial, std::string_view status) {
  impl_->set_status(serial, status);
}
FakeMeraki::Mutation FakeMeraki::mutate(std::size_t added, std::size_t changed, std::size_t deleted,
                                        std::string_view org_id) {
  return impl_->mutate(added, changed, deleted, org_id);
}

void FakeMeraki::set_api_key(std::string key) {
  impl_->settings().set_api_key(std::move(key));
}
void FakeMeraki::set_latency(std::chrono::milliseconds latency) {
  impl_->settings().set_latency(latency);
}
void FakeMeraki::set_rate_limit(double rate_per_s, double burst) {
  fake_meraki::BucketLimits limits{rate_per_s, burst};
  fake_meraki::check_limits(limits, "set_rate_limit");
  impl_->rate_limits().set_organization_limits(limits);
}
void FakeMeraki::fail_next(MerakiFailure failure, std::size_t count, std::string target_part) {
  impl_->failures().add(fake_meraki::FailureRule{failure, count, std::move(target_part), 0});
}
void FakeMeraki::fail_after(std::size_t n_requests, MerakiFailure failure, std::size_t count) {
  impl_->failures().add(fake_meraki::FailureRule{failure, count, "", n_requests});
}
void FakeMeraki::clear_failures() {
  impl_->failures().clear();
}

std::size_t FakeMeraki::requests() const {
  return impl_->counters().requests();
}
std::size_t FakeMeraki::rate_limited() const {
  return impl_->counters().rate_limited();
}
std::size_t FakeMeraki::unauthorized() const {
  return impl_->counters().unauthorized();
}
std::size_t FakeMeraki::redirects() const {
  return impl_->counters().redirects();
}
std::size_t FakeMeraki::shard_requests() const {
  return impl_->counters().shard_requests();
}
std::size_t FakeMeraki::pages(std::string_view endpoint) const {
  return impl_->counters().pages(endpoint);
}
std::size_t FakeMeraki::max_in_flight() const {
  return impl_->counters().max_in_flight();
}
std::optional<TestRequest> FakeMeraki::last_request() const {
  return impl_->counters().last_request();
}
std::vector<TestRequest> FakeMeraki::requests_log() const {
  return impl_->counters().requests_log();
}
void FakeMeraki::reset_counters() {
  impl_->counters().reset();
}

}  // namespace jobhost::testing
