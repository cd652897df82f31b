// The fabrics of the plugin's YAML section (`fabrics:`), read and checked: what a sync, a
// connection test and the schedules are made from.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <jobhost/sdk.hpp>

namespace hfs {

struct Fabric {
  std::string name;  // also the key of its schedule and of its jobs
  std::string url;   // Kubernetes API server, "https://10.0.0.1:6443" (no trailing slash)
  std::string token;
  std::string ca_file;
  std::string ns = "default";
  bool insecure_skip_tls_verify = false;
  bool sync_enabled = true;
  int64_t sync_interval_s = 300;  // 0: no automatic sync

  bool scheduled() const { return sync_enabled && sync_interval_s > 0; }
};

// Settings shared by every fabric's requests.
struct RequestSettings {
  std::chrono::milliseconds timeout{30000};
  std::chrono::milliseconds connect_timeout{10000};
  int64_t page_size = 500;
  uint32_t max_in_flight = 4;
  // 429 answers (API Priority and Fairness) the host waits out per request, by Retry-After,
  // before one comes back as the run's error.
  uint32_t retry_429 = 4;
};

// Every fabric of the section. Throws std::invalid_argument naming the fabric and the key
// (`plugins.hedgehog-fabric-sync.fabrics[1].name: ...`) when names repeat or are unusable.
std::vector<Fabric> configured_fabrics(const jobhost::Context& ctx);
// The fabric of that name, or nullopt when the section has none.
std::optional<Fabric> configured_fabric(const jobhost::Context& ctx, const std::string& name);
RequestSettings request_settings(const jobhost::Context& ctx);

}  // namespace hfs
