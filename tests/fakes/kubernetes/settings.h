#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>

#include "fakes/kubernetes/fake_kubernetes.h"
#include "fakes/kubernetes/kinds.h"

// The knobs a test may turn while the fake runs (token, latency, installed CRDs).
namespace jobhost::testing::fake_kubernetes {

// What one request runs with, taken once so that knobs turned meanwhile do not tear it.
struct RequestSettings {
  std::string token;
  std::chrono::milliseconds latency{0};
  std::array<bool, kKindCount> installed{};
};

// Thread-safe.
class Settings {
 public:
  // Throws std::invalid_argument on an unknown plural in missing_kinds.
  explicit Settings(const FakeKubernetesOptions& options);

  void set_token(std::string token);
  void set_latency(std::chrono::milliseconds latency);
  void set_installed(std::size_t kind, bool installed);
  RequestSettings for_request() const;

 private:
  mutable std::mutex mutex_;
  RequestSettings current_;
};

}  // namespace jobhost::testing::fake_kubernetes
