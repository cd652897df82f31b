#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

#include "fakes/kubernetes/object_store.h"

// Continue tokens as a real apiserver writes them: base64url (no padding) of
// {"v":"meta.k8s.io/v1","rv":<list resourceVersion>,"start":"<last name>\u0000"}. The real one
// finds the snapshot again in etcd's history at rv; the fake remembers the snapshot each token
// it handed out continues, until the token is continue_ttl old or expire_continue_tokens().
namespace jobhost::testing::fake_kubernetes {

using Clock = std::chrono::steady_clock;

// Where a list continues: at the list's resourceVersion, from the first name >= start_key.
struct ContinuePosition {
  std::uint64_t resource_version = 0;
  std::string start_key;
};

std::string encode_continue(std::uint64_t resource_version, std::string_view last_name);

// A token the apiserver cannot read; what() is the reason it gives after "invalid continue
// token: " ("continue key is not valid: illegal base64 data at input byte 3").
struct InvalidContinue : std::runtime_error {
  using std::runtime_error::runtime_error;
};
ContinuePosition decode_continue(std::string_view token);

// The tokens handed out, each with the snapshot it continues. Thread-safe.
class ContinueTokens {
 public:
  explicit ContinueTokens(std::chrono::milliseconds ttl) : ttl_(ttl) {}

  // `scope` tells lists apart that could hand out the same token text (kind and namespace).
  void issue(const std::string& scope, const std::string& token, Snapshot snapshot,
             Clock::time_point now);
  // The snapshot the token continues; nullptr when it expired or was never handed out here.
  Snapshot find(const std::string& scope, const std::string& token, Clock::time_point now);
  void expire_all();

 private:
  struct Issued {
    Snapshot snapshot;
    Clock::time_point at;
  };
  void prune(Clock::time_point now);  // mutex_ held

  const std::chrono::milliseconds ttl_;
  std::mutex mutex_;
  std::unordered_map<std::string, Issued> issued_;
  std::size_t prune_above_ = 1024;
};

}  // namespace jobhost::testing::fake_kubernetes
