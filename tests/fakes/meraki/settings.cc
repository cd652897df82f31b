#include "fakes/meraki/settings.h"

#include <utility>

namespace jobhost::testing::fake_meraki {

Settings::Settings(const FakeMerakiOptions& options) {
  current_.api_key = options.api_key;
  current_.latency = options.latency;
}

void Settings::set_api_key(std::string key) {
  std::lock_guard lock(mutex_);
  current_.api_key = std::move(key);
}

void Settings::set_latency(std::chrono::milliseconds latency) {
  std::lock_guard lock(mutex_);
  current_.latency = latency;
}

RequestSettings Settings::for_request() const {
  std::lock_guard lock(mutex_);
  return current_;
}

}  // namespace jobhost::testing::fake_meraki
