#include "services/context.h"

namespace jobhost::services {

std::shared_ptr<const SettingsSnapshot> SettingsSnapshot::of(nlohmann::json values) {
  auto s = std::make_shared<SettingsSnapshot>();
  s->text = values.dump();
  s->values = std::move(values);
  return s;
}

PluginRuntime::~PluginRuntime() = default;

std::shared_ptr<const SettingsSnapshot> PluginRuntime::settings() const {
  std::lock_guard lock(settings_mutex_);
  return settings_;
}

void PluginRuntime::set_settings(std::shared_ptr<const SettingsSnapshot> settings) {
  std::lock_guard lock(settings_mutex_);
  settings_ = std::move(settings);
}

std::shared_ptr<const config::HostConfig> PluginRuntime::host_config() const {
  std::lock_guard lock(settings_mutex_);
  return host_config_;
}

void PluginRuntime::set_host_config(std::shared_ptr<const config::HostConfig> config) {
  std::lock_guard lock(settings_mutex_);
  host_config_ = std::move(config);
}

bool PluginRuntime::first_time(const std::string& note) {
  std::lock_guard lock(settings_mutex_);
  return notes_.insert(note).second;
}

const std::string& Context::keep(const std::string& key, std::string value) {
  auto [it, inserted] = kept_.try_emplace(key, std::move(value));
  if (!inserted) it->second = std::move(value);
  return it->second;
}

RunContext::RunContext(PluginRuntime& plugin, const plugin::JobTypeSpec& type,
                       const jobs::ClaimedJob& job, nlohmann::json params,
                       store::RunTransaction& tx, bool read_only)
    : Context(Kind::run, plugin),
      type_(type),
      job_(job),
      params_(std::move(params)),
      params_text_(params_.dump()),
      tx_(tx),
      read_only_(read_only) {}

std::optional<Micros> RunContext::time_left() const {
  if (deadline_ == 0) return std::nullopt;
  return deadline_ - now_micros();
}

void RunContext::set_progress(int64_t done, int64_t total, const char* message) {
  std::lock_guard lock(progress_mutex_);
  progress_.done = done;
  progress_.total = total;
  if (message) progress_.message = message;
  progress_.reported = true;
}

Progress RunContext::progress() const {
  std::lock_guard lock(progress_mutex_);
  return progress_;
}

void RunContext::set_output(const jh_output_v1& out) {
  auto opt = [](const char* s) { return s ? std::optional<std::string>(s) : std::nullopt; };
  result_ = opt(out.result_json);
  data_ = opt(out.data_json);
  pre_data_ = opt(out.pre_data_json);
  post_data_ = opt(out.post_data_json);
  signal_id_ = opt(out.signal_id);
}

jh_status guarded_run(Context& ctx, const std::function<jh_status()>& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    ctx.report(std::string("exception escaped the plugin's run function: ") + e.what());
  } catch (...) {
    ctx.report("exception escaped the plugin's run function");
  }
  return JH_ERROR;
}

}  // namespace jobhost::services
