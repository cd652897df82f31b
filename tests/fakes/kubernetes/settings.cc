#include "fakes/kubernetes/settings.h"

#include <utility>

namespace jobhost::testing::fake_kubernetes {

Settings::Settings(const FakeKubernetesOptions& options) {
  current_.token = options.token;
  current_.latency = options.latency;
  current_.installed.fill(true);
  for (const std::string& plural : options.missing_kinds) {
    current_.installed[require_kind(plural, "missing_kinds")] = false;
  }
}

void Settings::set_token(std::string token) {
  std::lock_guard lock(mutex_);
  current_.token = std::move(token);
}

void Settings::set_latency(std::chrono::milliseconds latency) {
  std::lock_guard lock(mutex_);
  current_.latency = latency;
}

void Settings::set_installed(std::size_t kind, bool installed) {
  std::lock_guard lock(mutex_);
  current_.installed[kind] = installed;
}

RequestSettings Settings::for_request() const {
  std::lock_guard lock(mutex_);
  return current_;
}

}  // namespace jobhost::testing::fake_kubernetes
