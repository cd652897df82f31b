#pragma once

// The host's configuration as plain values, after loading and validation (see loader.h). Nothing
// here parses or checks anything: a HostConfig is always complete and valid.

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace jobhost::config {

struct StoreConfig {
  enum class Driver { sqlite, postgresql };
  // PRAGMA synchronous: `full` makes a completed job survive a power loss; `normal` is faster.
  enum class Synchronous { full, normal };

  Driver driver = Driver::sqlite;
  // sqlite only. Absolute (resolved against the config file's directory), or `:memory:`.
  std::filesystem::path sqlite_path;
  Synchronous synchronous = Synchronous::full;
  int busy_timeout_ms = 30000;
  // postgresql only: a libpq connection string (key=value pairs or a postgresql:// URI).
  std::string pg_connection;
};

struct LogConfig {
  enum class Level { trace, debug, info, warn, error, off };
  enum class Format { text, json };
  // Where standard error goes, for the text format's shape: `auto` looks at JOURNAL_STREAM;
  // `journald` prefixes each line with its syslog priority (<4>) and leaves out the timestamp.
  enum class Target { auto_detect, stderr_stream, journald };

  // `log.plugins.<name>`: a plugin's own level, and where it is set (for warnings about a
  // plugin that is not loaded).
  struct PluginLevel {
    Level level = Level::info;
    int line = 0;  // 1-based; 0 when unknown
    int column = 0;
  };

  Level level = Level::info;
  Format format = Format::text;
  Target target = Target::auto_detect;
  std::map<std::string, PluginLevel> plugins;  // by plugin name
};

struct HttpConfig {
  bool enabled = true;
  std::string address = "127.0.0.1";
  int port = 8080;
  std::string token;  // empty: changes over HTTP are refused
  bool protect_reads = false;
  std::filesystem::path tls_cert, tls_key;  // both or neither (absolute)
};

// One `plugins.<name>` section, kept as YAML because the plugin's settings schema is only known
// once the plugin is loaded; validate it then with validate_plugin_settings (plugin_settings.h).
struct PluginSection {
  std::string file;  // the config file, as named in problems
  int line = 0;      // where the section's key is (1-based; 0 when there is no section)
  int column = 0;
  YAML::Node node;  // environment already expanded; marks kept; null for an empty section
};

struct HostConfig {
  std::string source;  // the config file's path as given, or "<built-in defaults>"
  std::string host_name;
  // How often a daemon writes its heartbeat, and after how long without one the other hosts
  // declare it lost and rescue its running jobs without waiting for their leases.
  int heartbeat_s = 5;
  int lost_after_s = 30;
  StoreConfig store;
  std::vector<std::filesystem::path> plugin_dirs;   // absolute
  std::vector<std::filesystem::path> plugin_files;  // absolute
  int workers = 4;
  struct Jobs {
    int lease_s = 60;
    int default_timeout_s = 3600;
    int timeout_grace_s = 10;
    int shutdown_grace_s = 30;
  } jobs;
  bool event_log = true;
  LogConfig log;
  HttpConfig http;
  std::map<std::string, PluginSection> plugins;  // by plugin name
  // `schedules:` by job type, kept as YAML like the plugin sections: checked when the job
  // types are known (schedule/config_schedules.h).
  std::map<std::string, PluginSection> schedules;
};

inline constexpr std::string_view kBuiltInDefaultsSource = "<built-in defaults>";

// The configuration used when no file is given: every key at its default (host_schema.h), the
// SQLite file `jobhost.db` in the current directory.
HostConfig default_host_config();

// The machine's host name (the default for `host.name`).
std::string machine_host_name();

// The words used in the YAML file for each choice.
std::string_view to_string(StoreConfig::Driver driver);
std::string_view to_string(StoreConfig::Synchronous synchronous);
std::string_view to_string(LogConfig::Level level);
std::string_view to_string(LogConfig::Format format);
std::string_view to_string(LogConfig::Target target);

}  // namespace jobhost::config
