// The plugin's YAML section, read once per run (or at init and reload): the API key and
// base URL, which organizations to sync, the schedule and the mode of scheduled syncs, and the
// client's limits.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <jobhost/sdk.hpp>

namespace mks {

enum class Mode { auto_apply, review, dry_run };
const char* to_string(Mode mode);
// "auto", "review" or "dry_run"; throws std::invalid_argument naming the allowed words.
Mode mode_from(const std::string& text);

struct MerakiSettings {
  std::string api_key;
  std::string base_url = "https://api.meraki.com/api/v1";  // no trailing slash
  bool legacy_auth_header = false;  // X-Cisco-Meraki-API-Key instead of Authorization: Bearer
  std::vector<std::string> organizations;  // ids; empty: every organization the key sees
  bool enable_scheduled_sync = false;
  int64_t sync_interval_minutes = 60;
  Mode scheduled_sync_mode = Mode::review;
  double rate_limit_per_s = 10;  // per organization, as Meraki enforces it
  double rate_limit_burst = 10;
  uint32_t retry_429 = 20;  // 429 answers waited out per request before the sync fails
  std::chrono::milliseconds timeout{60000};
  std::chrono::milliseconds connect_timeout{10000};
  std::string ca_file;
  uint32_t max_in_flight = 8;
};

MerakiSettings read_settings(const jobhost::Context& ctx);

}  // namespace mks
