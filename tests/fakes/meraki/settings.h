#pragma once

#include <chrono>
#include <mutex>
#include <string>

#include "fakes/meraki/fake_meraki.h"

// The knobs a test may turn while the fake runs (API key, latency).
namespace jobhost::testing::fake_meraki {

// What one request runs with, taken once so that knobs turned meanwhile do not tear it.
struct RequestSettings {
  std::string api_key;
  std::chrono::milliseconds latency{0};
};

// Thread-safe.
class Settings {
 public:
  explicit Settings(const FakeMerakiOptions& options);

  void set_api_key(std::string key);
  void set_latency(std::chrono::milliseconds latency);
  RequestSettings for_request() const;

 private:
  mutable std::mutex mutex_;
  RequestSettings current_;
};

}  // namespace jobhost::testing::fake_meraki
