// What a jh_context* points to: the host-side state behind the services a plugin calls.
// The plugin context lives from init to shutdown; a run context for one run() call.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <spdlog/logger.h>
#include <nlohmann/json.hpp>

#include "core/time.h"
#include "jobhost/plugin_api.h"
#include "jobs/job.h"
#include "plugin/plugin_spec.h"
#include "store/run_transaction.h"

namespace jobhost::http {
class HttpClient;
}
namespace jobhost::store {
class Database;
}
namespace jobhost::config {
struct HostConfig;
}

namespace jobhost::services {

class Context;

// A plugin's resolved settings (defaults applied), as JSON and as its text. Immutable: a
// reload that changes them makes a new one, and a context keeps the one it started with.
struct SettingsSnapshot {
  nlohmann::json values = nlohmann::json::object();
  std::string text = "{}";

  static std::shared_ptr<const SettingsSnapshot> of(nlohmann::json values);
};

// Host state for one loaded plugin.
struct PluginRuntime {
  std::string name;
  std::shared_ptr<spdlog::logger> log;
  std::shared_ptr<http::HttpClient> http;
  std::string dialect;                       // "sqlite" | "postgresql"
  store::Database* database = nullptr;       // for services used outside a run (init)
  const plugin::PluginSpec* spec = nullptr;  // what it declared (its job types)
  std::unique_ptr<Context> context;          // the plugin context: from init to shutdown
  ~PluginRuntime();

  // The current settings; thread-safe (workers start runs while a reload replaces them).
  std::shared_ptr<const SettingsSnapshot> settings() const;
  void set_settings(std::shared_ptr<const SettingsSnapshot> settings);

  // The host configuration in force (the YAML with the API's overrides), for the services that
  // defer to the operator: a `schedules:` entry wins over the plugin's schedule_set. Set before
  // init, replaced by each reload; null (nothing configured) when the host never set it.
  // Thread-safe, like the settings.
  std::shared_ptr<const config::HostConfig> host_config() const;
  void set_host_config(std::shared_ptr<const config::HostConfig> config);

  // True the first time it is asked about `note`: a note that would repeat at every call (each
  // reload, each run) is logged once per loaded plugin.
  bool first_time(const std::string& note);

 private:
  mutable std::mutex settings_mutex_;
  std::shared_ptr<const SettingsSnapshot> settings_ = SettingsSnapshot::of({});
  std::shared_ptr<const config::HostConfig> host_config_;
  std::set<std::string> notes_;
};

class Context {
 public:
  enum class Kind { plugin, run };
  Context(Kind kind, PluginRuntime& plugin)
      : kind_(kind), plugin_(plugin), settings_(plugin.settings()) {}
  virtual ~Context() = default;
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  jh_context* handle() { return reinterpret_cast<jh_context*>(this); }
  static Context* from(jh_context* c) { return reinterpret_cast<Context*>(c); }

  Kind kind() const { return kind_; }
  PluginRuntime& plugin() { return plugin_; }
  // The settings this context sees: the plugin's when the context was made (a run keeps them to
  // its end), or since refresh_settings (the plugin context, before reconfigure).
  const SettingsSnapshot& settings() const { return *settings_; }
  void refresh_settings() { settings_ = plugin_.settings(); }

  // The message of the last failed host call (what last_error returns).
  void fail(std::string message) { last_error_ = std::move(message); }
  const std::string& last_error() const { return last_error_; }
  // What the plugin reported with set_error.
  void report(std::string message) { reported_ = std::move(message); }
  const std::optional<std::string>& reported() const { return reported_; }

  // Text handed to the plugin that must stay valid while the context lives, keyed so that
  // asking again does not grow it.
  const std::string& keep(const std::string& key, std::string value);

  virtual bool cancelled() const { return false; }
  // Time left before the run's deadline (for bounding HTTP timeouts); nullopt = none.
  virtual std::optional<Micros> time_left() const { return std::nullopt; }

  std::vector<std::string>& http_errors() { return http_errors_; }

 private:
  Kind kind_;
  PluginRuntime& plugin_;
  std::shared_ptr<const SettingsSnapshot> settings_;
  std::string last_error_;
  std::optional<std::string> reported_;
  std::map<std::string, std::string> kept_;
  std::vector<std::string> http_errors_;
};

// An event the run emitted; written with the run's completion, in its transaction.
struct PendingEvent {
  Micros at = 0;
  std::string level;
  std::string message;
  std::optional<std::string> data, pre_data, post_data, signal_id;
};

struct Progress {
  int64_t done = 0, total = 0;
  std::string message;
  bool reported = false;
};

class RunContext : public Context {
 public:
  // `read_only`: a query (jobs/query.h), not a job: the services that write refuse.
  RunContext(PluginRuntime& plugin, const plugin::JobTypeSpec& type, const jobs::ClaimedJob& job,
             nlohmann::json params, store::RunTransaction& tx, bool read_only = false);

  const plugin::JobTypeSpec& type() const { return type_; }
  const jobs::ClaimedJob& job() const { return job_; }
  const nlohmann::json& params() const { return params_; }
  const std::string& params_text() const { return params_text_; }
  store::RunTransaction& transaction() { return tx_; }
  // A read-only query run outside the job queue: no job row, its transaction rolled back, and
  // no writes through the host (SQL, events, schedules, HTTP other than GET and HEAD).
  bool read_only() const { return read_only_; }
  // The first write a query attempted, refused: the query fails with it even if the plugin
  // ignored the refusal, as the type broke its read-only promise.
  void note_refused(const std::string& message) {
    if (!refused_) refused_ = message;
  }
  const std::optional<std::string>& refused() const { return refused_; }

  // Cancellation: requested (shutdown, timeout watchdog) or past the deadline.
  void request_cancel() { cancel_.store(true); }
  void set_deadline(Micros deadline) { deadline_ = deadline; }
  bool deadline_passed() const { return deadline_ != 0 && now_micros() >= deadline_; }
  bool cancelled() const override { return cancel_.load() || deadline_passed(); }
  std::optional<Micros> time_left() const override;

  void set_progress(int64_t done, int64_t total, const char* message);
  Progress progress() const;

  void set_output(const jh_output_v1& out);
  const std::optional<std::string>& result() const { return result_; }
  const std::optional<std::string>& data() const { return data_; }
  const std::optional<std::string>& pre_data() const { return pre_data_; }
  const std::optional<std::string>& post_data() const { return post_data_; }
  const std::optional<std::string>& signal_id() const { return signal_id_; }

  std::vector<PendingEvent>& events() { return events_; }

 private:
  const plugin::JobTypeSpec& type_;
  jobs::ClaimedJob job_;
  nlohmann::json params_;
  std::string params_text_;
  store::RunTransaction& tx_;
  bool read_only_ = false;
  std::optional<std::string> refused_;
  std::atomic<bool> cancel_{false};
  Micros deadline_ = 0;
  mutable std::mutex progress_mutex_;
  Progress progress_;
  std::optional<std::string> result_, data_, pre_data_, post_data_, signal_id_;
  std::vector<PendingEvent> events_;
};

// Runs `body` (which calls the plugin's run function) so that no exception escapes: one that
// does (only a plugin bypassing the SDK's wrapper throws through the C boundary) is reported on
// `ctx` and becomes JH_ERROR.
jh_status guarded_run(Context& ctx, const std::function<jh_status()>& body);

// The host-service table handed to every plugin (static, one for the whole process).
const jh_host_api_v1* host_api();

}  // namespace jobhost::services
