// What a jh_context* points to: the host-side state behind the services a plugin calls.
// The plugin context lives from init to shutdown; a run context for one run() call.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
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

namespace jobhost::services {

class Context;

// Host state for one loaded plugin.
struct PluginRuntime {
  std::string name;
  std::shared_ptr<spdlog::logger> log;
  nlohmann::json settings = nlohmann::json::object();  // resolved, defaults applied
  std::string settings_text;                           // settings as JSON text
  std::shared_ptr<http::HttpClient> http;
  std::string dialect;                       // "sqlite" | "postgresql"
  store::Database* database = nullptr;       // for services used outside a run (init)
  const plugin::PluginSpec* spec = nullptr;  // what it declared (its job types)
  std::unique_ptr<Context> context;          // the plugin context: from init to shutdown
  ~PluginRuntime();
};

class Context {
 public:
  enum class Kind { plugin, run };
  Context(Kind kind, PluginRuntime& plugin) : kind_(kind), plugin_(plugin) {}
  virtual ~Context() = default;
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  jh_context* handle() { return reinterpret_cast<jh_context*>(this); }
  static Context* from(jh_context* c) { return reinterpret_cast<Context*>(c); }

  Kind kind() const { return kind_; }
  PluginRuntime& plugin() { return plugin_; }

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
  RunContext(PluginRuntime& plugin, const plugin::JobTypeSpec& type, const jobs::ClaimedJob& job,
             nlohmann::json params, store::RunTransaction& tx);

  const plugin::JobTypeSpec& type() const { return type_; }
  const jobs::ClaimedJob& job() const { return job_; }
  const nlohmann::json& params() const { return params_; }
  const std::string& params_text() const { return params_text_; }
  store::RunTransaction& transaction() { return tx_; }

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
  std::atomic<bool> cancel_{false};
  Micros deadline_ = 0;
  mutable std::mutex progress_mutex_;
  Progress progress_;
  std::optional<std::string> result_, data_, pre_data_, post_data_, signal_id_;
  std::vector<PendingEvent> events_;
};

// The host-service table handed to every plugin (static, one for the whole process).
const jh_host_api_v1* host_api();

}  // namespace jobhost::services
