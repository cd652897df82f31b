#include "fakes/zabbix/settings.h"

#include <utility>

namespace jobhost::testing::fake_zabbix {

Settings::Settings(const FakeZabbixOptions& options)
    : hang_for_(options.hang_for),
      retry_after_(options.retry_after),
      strict_(options.strict_params),
      version_text_(options.version),
      version_(parse_version(options.version)),
      latency_(options.latency) {}

void Settings::set_latency(std::chrono::milliseconds latency) {
  std::lock_guard lock(mutex_);
  latency_ = latency;
}

void Settings::set_version(std::string text) {
  ApiVersion parsed = parse_version(text);
  std::lock_guard lock(mutex_);
  version_text_ = std::move(text);
  version_ = parsed;
}

std::string Settings::version_text() const {
  std::lock_guard lock(mutex_);
  return version_text_;
}

ApiVersion Settings::version() const {
  std::lock_guard lock(mutex_);
  return version_;
}

RequestSettings Settings::for_request() const {
  RequestSettings settings;
  {
    std::lock_guard lock(mutex_);
    settings.version = version_;
    settings.version_text = version_text_;
    settings.latency = latency_;
  }
  settings.hang_for = hang_for_;
  settings.retry_after = retry_after_;
  settings.strict = strict_;
  return settings;
}

}  // namespace jobhost::testing::fake_zabbix
