// Plugin: declare a plugin's job types, settings and migrations in C++; the wrapper builds
// the ABI descriptor from them and catches every exception at the ABI edge.
#pragma once

#include <deque>
#include <exception>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "jobhost/cpp/context.hpp"
#include "jobhost/cpp/error.hpp"
#include "jobhost/cpp/run.hpp"
#include "jobhost/plugin_api.h"

namespace jobhost {

enum class Type {
  string = JH_TYPE_STRING,
  integer = JH_TYPE_INTEGER,
  number = JH_TYPE_NUMBER,
  boolean = JH_TYPE_BOOLEAN,
  list = JH_TYPE_LIST,
  object = JH_TYPE_OBJECT
};

// What a run function returns: completed or failed, with the job's result as JSON.
struct Result {
  bool failed = false;
  std::string json;
  std::string message;  // a failure's one-line reason: the job's error

  static Result ok(std::string result_json = "{}") { return {false, std::move(result_json), {}}; }
  static Result failure(std::string result_json = "{}", std::string message = {}) {
    return {true, std::move(result_json), std::move(message)};
  }
};

using RunFunction = std::function<Result(Run&)>;

namespace detail {
// Strings owned by the wrapper: pointers handed to the host stay valid for the library's life.
inline const char* c_or_null(const std::string& s) {
  return s.empty() ? nullptr : s.c_str();
}
}  // namespace detail

class JobType {
 public:
  explicit JobType(std::string name) : name_(std::move(name)) {}

  JobType& describe(std::string text) {
    description_ = std::move(text);
    return *this;
  }
  // A parameter; `default_value` in text form ("30", "true"), empty for none.
  JobType& param(std::string name, Type type, std::string default_value = {},
                 std::string description = {}) {
    params_.push_back(
        {std::move(name), type, false, std::move(default_value), std::move(description)});
    return *this;
  }
  JobType& required_param(std::string name, Type type, std::string description = {}) {
    params_.push_back({std::move(name), type, true, {}, std::move(description)});
    return *this;
  }
  // "every 30m", "every 300s", "cron */15 * * * *".
  JobType& schedule(std::string default_schedule) {
    schedule_ = std::move(default_schedule);
    return *this;
  }
  // At most one pending or running job; per value of `key_param` when given.
  JobType& singleton(std::string key_param = {}) {
    singleton_ = true;
    key_param_ = std::move(key_param);
    return *this;
  }
  // The parameter that names the object a job is about, without making the type a singleton.
  JobType& key(std::string key_param) {
    key_param_ = std::move(key_param);
    return *this;
  }
  JobType& timeout(uint32_t seconds) {
    timeout_s_ = seconds;
    return *this;
  }
  JobType& retries(uint32_t max_attempts, uint32_t backoff_s, uint32_t backoff_max_s = 0) {
    max_attempts_ = max_attempts;
    backoff_s_ = backoff_s;
    backoff_max_s_ = backoff_max_s;
    return *this;
  }
#if JH_TARGETS_MINOR(3)
  // ABI 1.3: the host refuses any schedule of this type that runs more often than this.
  JobType& min_interval(uint32_t seconds) {
    min_interval_s_ = seconds;
    return *this;
  }
#endif
#if JH_TARGETS_MINOR(4)
  // ABI 1.4: the run only reads (queries, settings, schedules(), latest_jobs(), HTTP GET and
  // HEAD), so the host may also run it as a query outside the job queue (its HTTP API and
  // dashboard) without recording a job. In a query the services that write refuse.
  JobType& read_only() {
    read_only_ = true;
    return *this;
  }
#endif
  JobType& run(RunFunction fn) {
    fn_ = std::move(fn);
    return *this;
  }

 private:
  friend class Plugin;
  struct Param {
    std::string name;
    Type type;
    bool required;
    std::string default_value;
    std::string description;
  };

  // The ABI's entry into this job type: runs fn_ and turns its outcome into a status.
  static jh_status trampoline(void* user_data, const jh_host_api_v1* api, jh_context* ctx) {
    auto* self = static_cast<JobType*>(user_data);
    Run run(api, ctx);
    try {
      if (!self->fn_) throw Error("job type " + self->name_ + " has no run function");
      Result result = self->fn_(run);
      const EventData& o = run.output();
      jh_output_v1 out{};
      out.result_json = detail::c_or_null(result.json);
      out.data_json = detail::c_or_null(o.data);
      out.pre_data_json = detail::c_or_null(o.pre_data);
      out.post_data_json = detail::c_or_null(o.post_data);
      out.signal_id = detail::c_or_null(o.signal_id);
      jh_status s = api->set_output(ctx, &out, sizeof out);
      if (s != JH_OK) return s;
      if (result.failed && !result.message.empty()) api->set_error(ctx, result.message.c_str());
      return result.failed ? JH_FAILED : JH_OK;
    } catch (const Error& e) {
      api->set_error(ctx, e.what());
      return e.code();
    } catch (const std::exception& e) {
      api->set_error(ctx, e.what());
      return JH_ERROR;
    } catch (...) {
      api->set_error(ctx, "unknown exception (not derived from std::exception)");
      return JH_ERROR;
    }
  }

  void build() {
    c_params_.clear();
    for (const auto& p : params_) {
      jh_param_v1 c{};
      c.name = p.name.c_str();
      c.type = static_cast<int32_t>(p.type);
      c.required = p.required ? 1 : 0;
      c.default_value = detail::c_or_null(p.default_value);
      c.description = detail::c_or_null(p.description);
      c_params_.push_back(c);
    }
    c_ = jh_job_type_v1{};
    c_.name = name_.c_str();
    c_.description = detail::c_or_null(description_);
    c_.params = c_params_.data();
    c_.param_count = static_cast<uint32_t>(c_params_.size());
    c_.param_size = sizeof(jh_param_v1);
    c_.default_schedule = detail::c_or_null(schedule_);
    c_.singleton = singleton_ ? 1 : 0;
    c_.key_param = detail::c_or_null(key_param_);
    c_.timeout_s = timeout_s_;
    c_.max_attempts = max_attempts_;
    c_.retry_backoff_s = backoff_s_;
    c_.retry_backoff_max_s = backoff_max_s_;
    c_.run = &JobType::trampoline;
    c_.user_data = this;
#if JH_TARGETS_MINOR(3)
    c_.min_interval_s = min_interval_s_;
#endif
#if JH_TARGETS_MINOR(4)
    c_.read_only = read_only_ ? 1 : 0;
#endif
  }

  std::string name_, description_, schedule_, key_param_;
  std::vector<Param> params_;
  bool singleton_ = false, read_only_ = false;
  uint32_t timeout_s_ = 0, max_attempts_ = 0, backoff_s_ = 0, backoff_max_s_ = 0;
  uint32_t min_interval_s_ = 0;
  RunFunction fn_;
  std::vector<jh_param_v1> c_params_;
  jh_job_type_v1 c_{};
};

// One key of the plugin's YAML section (see jh_setting_v1).
class Setting {
 public:
  Setting(std::string path, Type type) : path_(std::move(path)), type_(type) {}
  Setting& required() {
    required_ = true;
    return *this;
  }
  Setting& default_value(std::string v) {
    default_ = std::move(v);
    return *this;
  }
  Setting& describe(std::string text) {
    description_ = std::move(text);
    return *this;
  }
  Setting& min(double v) {
    has_min_ = true;
    min_ = v;
    return *this;
  }
  Setting& max(double v) {
    has_max_ = true;
    max_ = v;
    return *this;
  }
  Setting& choices(std::string pipe_separated) {
    choices_ = std::move(pipe_separated);
    return *this;
  }
  Setting& secret() {
    secret_ = true;
    return *this;
  }

 private:
  friend class Plugin;
  jh_setting_v1 to_c() const {
    jh_setting_v1 c{};
    c.path = path_.c_str();
    c.type = static_cast<int32_t>(type_);
    c.required = required_ ? 1 : 0;
    c.default_value = detail::c_or_null(default_);
    c.description = detail::c_or_null(description_);
    c.has_min = has_min_ ? 1 : 0;
    c.has_max = has_max_ ? 1 : 0;
    c.min = min_;
    c.max = max_;
    c.choices = detail::c_or_null(choices_);
    c.secret = secret_ ? 1 : 0;
    return c;
  }
  std::string path_;
  Type type_;
  bool required_ = false, has_min_ = false, has_max_ = false, secret_ = false;
  double min_ = 0, max_ = 0;
  std::string default_, description_, choices_;
};

class Plugin {
 public:
  using Define = void (*)(Plugin&);

  // Built once per library (see JOBHOST_PLUGIN); not copyable, as the descriptor points into it.
  Plugin(std::string name, std::string version, std::string description, Define define)
      : name_(std::move(name)), version_(std::move(version)), description_(std::move(description)) {
    define(*this);
    build();
  }
  Plugin(const Plugin&) = delete;
  Plugin& operator=(const Plugin&) = delete;

  const std::string& name() const { return name_; }

  JobType& job(std::string name) { return jobs_.emplace_back(std::move(name)); }
  Setting& setting(std::string path, Type type) {
    return settings_.emplace_back(std::move(path), type);
  }
  // Migration `version` (from 1) for "sqlite", "postgresql" or "any".
  Plugin& migration(uint32_t version, std::string dialect, std::string description,
                    std::string sql) {
    migrations_.push_back({version, std::move(dialect), std::move(description), std::move(sql)});
    return *this;
  }
  // Called once the plugin's settings are resolved; throw to refuse start-up with a message.
  Plugin& on_init(std::function<void(Context&)> fn) {
    init_ = std::move(fn);
    return *this;
  }
#if JH_TARGETS_MINOR(2)
  // Called when a reload changed the plugin's settings (the context has the new ones), on
  // the daemon's thread while runs may go on. Throw to keep the previous settings: check
  // before changing anything. Without it, new settings wait for a restart.
  Plugin& on_reconfigure(std::function<void(Context&)> fn) {
    reconfigure_ = std::move(fn);
    return *this;
  }
#endif
  Plugin& on_shutdown(std::function<void()> fn) {
    shutdown_ = std::move(fn);
    return *this;
  }

  const jh_plugin_v1* descriptor(const jh_host_info* /*host*/) const {
    return &c_;
  }

 private:
  struct Migration {
    uint32_t version;
    std::string dialect, description, sql;
  };

  // Calls init_ or reconfigure_ on the plugin context, turning an exception into a status.
  static jh_status call_with_context(const std::function<void(Context&)>& fn, const char* what,
                                     const jh_host_api_v1* api, jh_context* ctx) {
    try {
      Context context(api, ctx);
      if (fn) fn(context);
      return JH_OK;
    } catch (const std::exception& e) {
      api->set_error(ctx, e.what());
      return JH_ERROR;
    } catch (...) {
      api->set_error(ctx, (std::string("unknown exception in ") + what).c_str());
      return JH_ERROR;
    }
  }
  static jh_status init_trampoline(void* user_data, const jh_host_api_v1* api, jh_context* ctx) {
    return call_with_context(static_cast<Plugin*>(user_data)->init_, "init", api, ctx);
  }
#if JH_TARGETS_MINOR(2)
  static jh_status reconfigure_trampoline(void* user_data, const jh_host_api_v1* api,
                                          jh_context* ctx) {
    return call_with_context(static_cast<Plugin*>(user_data)->reconfigure_, "reconfigure", api,
                             ctx);
  }
#endif
  static void shutdown_trampoline(void* user_data) noexcept {
    auto* self = static_cast<Plugin*>(user_data);
    try {
      if (self->shutdown_) self->shutdown_();
    } catch (...) {
      // Nothing may cross the ABI; shutdown has no way to report.
    }
  }

  void build() {
    for (auto& j : jobs_) {
      j.build();
      c_jobs_.push_back(j.c_);
    }
    for (const auto& s : settings_) c_settings_.push_back(s.to_c());
    for (const auto& m : migrations_)
      c_migrations_.push_back({m.version, m.dialect.c_str(), m.description.c_str(), m.sql.c_str()});
    c_ = jh_plugin_v1{};
    c_.struct_size = sizeof(jh_plugin_v1);
    c_.abi_major = JH_ABI_MAJOR;
    c_.abi_minor = JH_TARGET_MINOR;
    c_.name = name_.c_str();
    c_.version = version_.c_str();
    c_.sdk_version = JH_SDK_VERSION;
    c_.description = description_.c_str();
    c_.job_types = c_jobs_.data();
    c_.job_type_count = static_cast<uint32_t>(c_jobs_.size());
    c_.job_type_size = sizeof(jh_job_type_v1);
    c_.migrations = c_migrations_.data();
    c_.migration_count = static_cast<uint32_t>(c_migrations_.size());
    c_.migration_size = sizeof(jh_migration_v1);
    c_.settings = c_settings_.data();
    c_.setting_count = static_cast<uint32_t>(c_settings_.size());
    c_.setting_size = sizeof(jh_setting_v1);
    c_.init = &Plugin::init_trampoline;
    c_.shutdown = &Plugin::shutdown_trampoline;
    c_.user_data = this;
#if JH_TARGETS_MINOR(2)
    if (reconfigure_) c_.reconfigure = &Plugin::reconfigure_trampoline;
#endif
  }

  std::string name_, version_, description_;
  std::deque<JobType> jobs_;  // deque: references handed out by job() stay valid
  std::deque<Setting> settings_;
  std::vector<Migration> migrations_;
  std::function<void(Context&)> init_;
  std::function<void(Context&)> reconfigure_;
  std::function<void()> shutdown_;
  std::vector<jh_job_type_v1> c_jobs_;
  std::vector<jh_setting_v1> c_settings_;
  std::vector<jh_migration_v1> c_migrations_;
  jh_plugin_v1 c_{};
};

}  // namespace jobhost

// Defines the plugin's entry point; the block after it declares the plugin:
//
//   JOBHOST_PLUGIN("hello", "1.0.0", "Greets people") {
//     plugin.job("hello.greet").run([](jobhost::Run& run) { return jobhost::Result::ok(); });
//   }
//
// The plugin object is built on first use, once, thread-safely. An exception while
// declaring makes the entry return NULL, which the host reports with the message logged.
#define JOBHOST_PLUGIN(NAME, VERSION, DESCRIPTION)                                           \
  static void jobhost_define_plugin(::jobhost::Plugin& plugin);                              \
  extern "C" JH_EXPORT const jh_plugin_v1* jobhost_plugin_v1(const jh_host_info* host) {     \
    try {                                                                                    \
      static ::jobhost::Plugin instance(NAME, VERSION, DESCRIPTION, &jobhost_define_plugin); \
      return instance.descriptor(host);                                                      \
    } catch (...) {                                                                          \
      return nullptr;                                                                        \
    }                                                                                        \
  }                                                                                          \
  static void jobhost_define_plugin(::jobhost::Plugin& plugin)
