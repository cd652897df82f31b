#pragma once

#include <chrono>
#include <mutex>
#include <string>

#include "fakes/zabbix/api_version.h"
#include "fakes/zabbix/fake_zabbix.h"

namespace jobhost::testing::fake_zabbix {

// What one request runs with, taken once so knobs changed meanwhile do not tear it.
struct RequestSettings {
  ApiVersion version;
  std::string version_text;
  std::chrono::milliseconds latency{0};
  std::chrono::milliseconds hang_for{0};
  std::chrono::milliseconds retry_after{0};
  bool strict = false;
};

// The version and latency a test may change while the fake runs, next to the fixed options a
// request needs. Thread-safe.
class Settings {
 public:
  // Throws std::invalid_argument on a bad version.
  explicit Settings(const FakeZabbixOptions& options);

  void set_latency(std::chrono::milliseconds latency);
  void set_version(std::string text);  // throws std::invalid_argument
  std::string version_text() const;
  ApiVersion version() const;
  RequestSettings for_request() const;

 private:
  const std::chrono::milliseconds hang_for_;
  const std::chrono::milliseconds retry_after_;
  const bool strict_;

  mutable std::mutex mutex_;
  std::string version_text_;
  ApiVersion version_;
  std::chrono::milliseconds latency_{0};
};

}  // namespace jobhost::testing::fake_zabbix
