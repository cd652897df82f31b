#include "fakes/kubernetes/fake_kubernetes.h"

#include <utility>

#include "fakes/kubernetes/api_server.h"

// The public face of the fake: FakeKubernetes forwards to the parts in fake_kubernetes::
// (api_server.h and the files it names).
namespace jobhost::testing {

std::string_view to_string(KubeFailure failure) {
  switch (failure) {
    case KubeFailure::internal_error:
      return "internal_error";
    case KubeFailure::service_unavailable:
      return "service_unavailable";
    case KubeFailure::too_many_requests:
      return "too_many_requests";
    case KubeFailure::forbidden:
      return "forbidden";
    case KubeFailure::malformed_json:
      return "malformed_json";
    case KubeFailure::close_connection:
      return "close_connection";
    case KubeFailure::hang:
      return "hang";
  }
  return "unknown";
}

// The public header names the implementation FakeKubernetes::Impl; it is the ApiServer, which
// lives in fake_kubernetes:: next to the parts it uses.
class FakeKubernetes::Impl final : public fake_kubernetes::ApiServer {
 public:
  using ApiServer::ApiServer;
};

FakeKubernetes::FakeKubernetes(Options options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
FakeKubernetes::~FakeKubernetes() = default;

std::string FakeKubernetes::url() const {
  return impl_->url();
}
std::uint16_t FakeKubernetes::port() const {
  return impl_->port();
}
void FakeKubernetes::stop() {
  impl_->stop();
}

std::optional<nlohmann::json> FakeKubernetes::object(std::string_view plural,
                                                     std::string_view name) const {
  return impl_->object(plural, name);
}
std::vector<std::string> FakeKubernetes::names(std::string_view plural) const {
  return impl_->names(plural);
}
std::size_t FakeKubernetes::count(std::string_view plural) const {
  return impl_->count(plural);
}
std::size_t FakeKubernetes::total() const {
  return impl_->total();
}
nlohmann::json FakeKubernetes::put(std::string_view plural, nlohmann::json object) {
  return impl_->put(plural, std::move(object));
}
bool FakeKubernetes::remove(std::string_view plural, std::string_view name) {
  return impl_->remove(plural, name);
}
FakeKubernetes::Mutation FakeKubernetes::mutate(std::size_t added, std::size_t changed,
                                                std::size_t deleted) {
  return impl_->mutate(added, changed, deleted);
}

void FakeKubernetes::set_token(std::string token) {
  impl_->settings().set_token(std::move(token));
}
void FakeKubernetes::set_latency(std::chrono::milliseconds latency) {
  impl_->settings().set_latency(latency);
}
void FakeKubernetes::set_installed(std::string_view plural, bool installed) {
  impl_->settings().set_installed(fake_kubernetes::require_kind(plural, "set_installed"),
                                  installed);
}
void FakeKubernetes::expire_continue_tokens() {
  impl_->expire_continue_tokens();
}
void FakeKubernetes::fail_next(KubeFailure failure, std::size_t count, std::string path_part) {
  impl_->failures().add(fake_kubernetes::FailureRule{failure, count, std::move(path_part), 0});
}
void FakeKubernetes::fail_after(std::size_t n_requests, KubeFailure failure, std::size_t count) {
  impl_->failures().add(fake_kubernetes::FailureRule{failure, count, "", n_requests});
}
void FakeKubernetes::clear_failures() {
  impl_->failures().clear();
}

std::size_t FakeKubernetes::requests() const {
  return impl_->counters().requests();
}
std::size_t FakeKubernetes::list_requests(std::string_view plural) const {
  return impl_->counters().list_requests(plural);
}
std::size_t FakeKubernetes::gone_answers() const {
  return impl_->counters().gone_answers();
}
std::size_t FakeKubernetes::max_in_flight() const {
  return impl_->counters().max_in_flight();
}
std::optional<TestRequest> FakeKubernetes::last_request() const {
  return impl_->counters().last_request();
}
void FakeKubernetes::reset_counters() {
  impl_->counters().reset();
}

}  // namespace jobhost::testing
