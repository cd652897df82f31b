// The host's log: spdlog to stderr, as text for people or JSON lines for machines. Under systemd
// (stderr connected to the journal) each line starts with its syslog priority, `<4>`, which
// journald turns into the entry's priority, and text lines leave the time to the journal.
#pragma once

#include <map>
#include <memory>
#include <string>

#include <spdlog/logger.h>

namespace jobhost {

struct LogOptions {
  std::string level = "info";   // trace|debug|info|warn|error|off
  std::string format = "text";  // text|json
  std::string target = "auto";  // auto|stderr|journald: auto is journald when stderr_is_journal()
  // A plugin's own level, by plugin name, in place of `level` for that plugin's logger.
  std::map<std::string, std::string> plugin_levels;
};

// Configures every logger, the ones already made included (call again to change them: a plugin
// logger takes its new level at once). Returns false, changing nothing, for an unknown level,
// format or target.
bool configure_logging(const LogOptions& options);
std::shared_ptr<spdlog::logger> host_log();
// A logger named "plugin:<name>", so its lines carry the plugin's name; at the plugin's level in
// LogOptions::plugin_levels, else the host's.
std::shared_ptr<spdlog::logger> plugin_log(const std::string& plugin);
// Whether plugin_log(plugin) was called in this process (the host makes a plugin's logger once
// the plugin got as far as its init), i.e. whether a level for it can have an effect.
bool has_plugin_log(const std::string& plugin);

// True when standard error is the journal stream systemd connected it to: JOURNAL_STREAM
// ("<device>:<inode>", see systemd.exec(5)) names the file that fd 2 is. A child that inherited
// the variable but whose stderr was redirected elsewhere gets false.
bool stderr_is_journal();

}  // namespace jobhost
