#include "config/host_config.h"

#include <unistd.h>

#include <array>
#include <climits>
#include <stdexcept>
#include <vector>

#include "config/host_reader.h"

namespace jobhost::config {

HostConfig default_host_config() {
  // Read an empty document, so the defaults are the table's (host_schema.cc), not a second copy.
  std::vector<ConfigProblem> problems;
  HostConfig config = read_host_config(
      YAML::Node(),
      {.file = std::string(kBuiltInDefaultsSource), .base_dir = std::filesystem::current_path()},
      problems);
  if (!problems.empty()) throw std::logic_error(format_problems(problems));
  config.source = kBuiltInDefaultsSource;
  return config;
}

std::string machine_host_name() {
  std::array<char, HOST_NAME_MAX + 1> name{};
  if (::gethostname(name.data(), name.size() - 1) != 0 || name[0] == '\0') return "localhost";
  return name.data();
}

std::string_view to_string(StoreConfig::Driver driver) {
  switch (driver) {
    case StoreConfig::Driver::sqlite:
      return "sqlite";
    case StoreConfig::Driver::postgresql:
      return "postgresql";
  }
  return "unknown";
}

std::string_view to_string(StoreConfig::Synchronous synchronous) {
  switch (synchronous) {
    case StoreConfig::Synchronous::full:
      return "full";
    case StoreConfig::Synchronous::normal:
      return "normal";
  }
  return "unknown";
}

std::string_view to_string(LogConfig::Level level) {
  switch (level) {
    case LogConfig::Level::trace:
      return "trace";
    case LogConfig::Level::debug:
      return "debug";
    case LogConfig::Level::info:
      return "info";
    case LogConfig::Level::warn:
      return "warn";
    case LogConfig::Level::error:
      return "error";
    case LogConfig::Level::off:
      return "off";
  }
  return "unknown";
}

std::string_view to_string(LogConfig::Format format) {
  switch (format) {
    case LogConfig::Format::text:
      return "text";
    case LogConfig::Format::json:
      return "json";
  }
  return "unknown";
}

std::string_view to_string(LogConfig::Target target) {
  switch (target) {
    case LogConfig::Target::auto_detect:
      return "auto";
    case LogConfig::Target::stderr_stream:
      return "stderr";
    case LogConfig::Target::journald:
      return "journald";
  }
  return "unknown";
}

}  // namespace jobhost::config
