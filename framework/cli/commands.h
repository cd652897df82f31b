// What each subcommand takes and does. Plain structs filled by main.cc (the only file that
// sees CLI11), so the commands compile fast and can be read without the parser.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace jobhost::cli {

struct GlobalOptions {
  std::string config_file;  // empty: $JOBHOST_CONFIG, ./jobhost.yaml, or built-in defaults
  std::string log_level;    // overrides the config's log.level
  std::string log_format;   // overrides the config's log.format
};

struct RunOptions {
  std::string type;
  std::vector<std::string> params;  // "name=value"
  std::string at;                   // enqueue only: when (RFC 3339)
  bool json = false;
};

struct WorkOptions {
  bool drain = false;
  int workers = 0;  // 0: the config's `workers`
  bool json = false;
};

struct JobsOptions {
  std::string status, type, key;
  int64_t limit = 50;
  int64_t before = 0;
  bool json = false;
};

struct JobOptions {
  int64_t id = 0;
  bool json = false;
};

struct EventsOptions {
  int64_t job = 0;
  std::string since, level;
  int64_t limit = 100;
  bool json = false;
};

struct PluginsOptions {
  bool json = false;
};

struct ConfigCheckOptions {
  std::string file;
  bool json = false;
};

struct ConfigReferenceOptions {
  bool json = false;
  bool plugins = false;  // also the settings of the plugins the configuration loads
};

struct DaemonOptions {
  int workers = 0;
  bool json = false;
};

struct TriggerOptions {
  std::string type, key;
  std::vector<std::string> params;
  bool force = false;
  bool wait = false;
  bool json = false;
};

struct ScheduleToggleOptions {
  std::string type, key;
  bool enable = true;
};

struct ListOptions {
  bool json = false;
};

int run_daemon(const GlobalOptions& g, const DaemonOptions& o);
int tick(const GlobalOptions& g, const DaemonOptions& o);
int list_schedules(const GlobalOptions& g, const ListOptions& o);
int trigger(const GlobalOptions& g, const TriggerOptions& o);
int toggle_schedule(const GlobalOptions& g, const ScheduleToggleOptions& o);
int reload(const GlobalOptions& g);
int status(const GlobalOptions& g, const ListOptions& o);

int run_now(const GlobalOptions& g, const RunOptions& o);
int enqueue(const GlobalOptions& g, const RunOptions& o);
int work(const GlobalOptions& g, const WorkOptions& o);
int list_jobs(const GlobalOptions& g, const JobsOptions& o);
int show_job(const GlobalOptions& g, const JobOptions& o);
int list_events(const GlobalOptions& g, const EventsOptions& o);
int list_plugins(const GlobalOptions& g, const PluginsOptions& o);
int config_check(const GlobalOptions& g, const ConfigCheckOptions& o);
int config_reference(const GlobalOptions& g, const ConfigReferenceOptions& o);

}  // namespace jobhost::cli
