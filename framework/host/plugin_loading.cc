// Loading plugins into the host: find the files, open each, negotiate the ABI, check for
// duplicates, validate its YAML section, apply its migrations, call its init. A plugin that
// fails any step is refused (logged with its file and the reason) and the host goes on. A
// daemon's reload runs the same steps for new files and retires plugins whose file is gone.
#include <set>

#include "config/problem.h"
#include "core/logging.h"
#include "host/host.h"
#include "host/plugin_candidates.h"
#include "plugin/abi.h"
#include "plugin/loader.h"
#include "services/context.h"
#include "store/migrations.h"

namespace jobhost {

namespace {

std::string status_text(jh_status s) {
  return "status " + std::to_string(s);
}

}  // namespace

std::vector<std::string> plugin_files(const config::HostConfig& config,
                                      std::vector<PluginRefusal>& refusals) {
  std::vector<std::string> dirs, files;
  for (const auto& d : config.plugin_dirs) dirs.push_back(d.string());
  for (const auto& f : config.plugin_files) files.push_back(f.string());
  std::vector<plugin::DiscoveryProblem> problems;
  auto found = plugin::discover_plugin_files(dirs, files, problems);
  for (auto& p : problems) refusals.push_back({p.path, p.reason});
  return found;
}

std::optional<PluginCandidate> open_plugin_candidate(const std::string& file,
                                                     std::vector<PluginRefusal>& refusals) {
  const jh_host_info info{sizeof(jh_host_info), plugin::kHostAbiMajor, plugin::kHostAbiMinor,
                          JOBHOST_VERSION};
  PluginCandidate c;
  c.file = file;
  try {
    c.library = plugin::PluginLibrary::open(file);
    c.spec = plugin::read_descriptor(c.library->descriptor(info), file);
  } catch (const std::exception& e) {
    refusals.push_back({file, e.what()});
    return std::nullopt;
  }
  return c;
}

std::vector<PluginCandidate> open_plugin_candidates(const config::HostConfig& config,
                                                    std::vector<PluginRefusal>& refusals) {
  std::vector<PluginCandidate> out;
  for (const auto& file : plugin_files(config, refusals))
    if (auto c = open_plugin_candidate(file, refusals)) out.push_back(std::move(*c));
  return out;
}

std::optional<config::ValidatedSettings> validate_candidate_settings(
    const config::HostConfig& config, const plugin::PluginSpec& spec, std::string& why) {
  config::PluginSection section;
  section.file = config.source;
  if (auto it = config.plugins.find(spec.name); it != config.plugins.end()) section = it->second;
  try {
    auto settings = config::validate_plugin_settings(section, spec.name, spec.settings);
    if (!settings.ok())
      why = "its settings are invalid:\n" + config::format_problems(settings.problems);
    return settings;
  } catch (const std::invalid_argument& e) {
    why = std::string("its settings schema is inconsistent (a bug in the plugin): ") + e.what();
    return std::nullopt;
  }
}

std::vector<PluginRefusal> unused_plugin_sections(const config::HostConfig& config,
                                                  const std::set<std::string>& found) {
  // A section for a plugin that is not there is most likely a typo or a missing file.
  std::vector<PluginRefusal> out;
  for (const auto& [name, section] : config.plugins) {
    if (found.count(name)) continue;
    out.push_back({config::format_position(section.file, section.line, section.column),
                   "plugins." + name + ": no plugin named '" + name +
                       "' was found; check plugin_dirs / plugin_files and `jobhost plugins`"});
  }
  return out;
}

void Host::load_plugins() {
  sync_plugins(config_, /*reloading=*/false);
}

std::vector<std::string> Host::reload_plugins(const config::HostConfig& config) {
  return sync_plugins(config, /*reloading=*/true);
}

std::vector<PluginRefusal> Host::refusals() const {
  std::lock_guard lock(refusals_mutex_);
  return refusals_;
}

std::vector<std::string> Host::sync_plugins(const config::HostConfig& config, bool reloading) {
  std::vector<std::string> report;
  std::vector<PluginRefusal> refused;
  auto note = [&](spdlog::level::level_enum level, std::string line) {
    host_log()->log(level, "{}", line);
    report.push_back(std::move(line));
  };
  auto refuse = [&](const std::string& file, const std::string& reason) {
    note(spdlog::level::err, "plugin " + file + " refused: " + reason);
    refused.push_back({file, reason});
  };

  std::vector<PluginRefusal> early;
  const auto files = plugin_files(config, early);
  for (auto& r : early) refuse(r.file, r.reason);

  // Loaded plugins whose file is gone (deleted, moved, refused now, or its directory dropped
  // from plugin_dirs): no new runs; the code stays until the runs holding it end.
  const std::set<std::string> present(files.begin(), files.end());
  for (const auto& p : registry_.plugins()) {
    if (present.count(p->spec.file) || !registry_.retire(p->spec.name)) continue;
    note(spdlog::level::warn, "plugin " + p->spec.name + " retired: " + p->spec.file +
                                  " is no longer among the plugin files; it is unloaded once "
                                  "its running jobs finish");
  }

  std::set<std::string> found;  // plugins present, loaded or refused
  for (const auto& p : registry_.plugins()) found.insert(p->spec.name);
  for (const auto& file : files) {
    if (auto loaded = registry_.find_by_file(file)) {
      // dlopen of the same path would hand back the code already mapped: a new build of a
      // loaded plugin needs a restart (or remove, reload, copy, reload).
      if (reloading && plugin::identity_of(file) != loaded->file)
        note(spdlog::level::warn,
             "plugin " + loaded->spec.name + ": " + file +
                 " changed since it was loaded; the loaded code keeps running until jobhost "
                 "restarts");
      continue;
    }
    std::vector<PluginRefusal> unopened;
    auto candidate = open_plugin_candidate(file, unopened);
    if (!candidate) {
      for (const auto& r : unopened) refuse(r.file, r.reason);
      continue;
    }
    const auto& spec = candidate->spec;
    found.insert(spec.name);
    const std::string loaded_line = "plugin " + spec.name + " " + spec.version + " loaded from " +
                                    file + " (" + std::to_string(spec.job_types.size()) +
                                    (spec.job_types.size() == 1 ? " job type)" : " job types)");
    const std::string why = load_candidate(*candidate, config, reloading);
    if (why.empty())
      note(spdlog::level::info, loaded_line);
    else
      refuse(file, why);
  }
  for (auto& r : unused_plugin_sections(config, found)) {
    note(spdlog::level::warn, r.file + ": " + r.reason);
    refused.push_back(std::move(r));
  }
  std::lock_guard lock(refusals_mutex_);
  refusals_ = std::move(refused);
  return report;
}

std::string Host::load_candidate(PluginCandidate& candidate, const config::HostConfig& config,
                                 bool reloading) {
  const std::string& file = candidate.file;
  plugin::PluginSpec& spec = candidate.spec;
  if (auto conflict = registry_.conflict(spec)) return *conflict;
  // Settings: the plugin's section of the YAML, checked against its declared schema.
  std::string why;
  auto settings = validate_candidate_settings(config, spec, why);
  if (!why.empty()) return why;

  // Migrations: all pending ones in one transaction. At start-up a failure stops the host (as
  // for the framework's own schema); a running daemon refuses only the new plugin.
  store::MigrationReport report;
  try {
    report = store::apply_migrations(*session_, "plugin:" + spec.name, spec.migrations);
  } catch (const std::exception& e) {
    if (!reloading) throw;
    return std::string("its migrations failed (rolled back): ") + e.what();
  }
  if (!report.applied.empty())
    host_log()->info("plugin {}: schema migrated from version {} to {}", spec.name,
                     report.from_version, report.to_version);

  auto runtime = std::make_shared<services::PluginRuntime>();
  runtime->name = spec.name;
  runtime->log = plugin_log(spec.name);
  runtime->set_settings(services::SettingsSnapshot::of(std::move(settings->settings)));
  runtime->http = http_;
  runtime->dialect = store::dialect_name(database_->dialect());
  runtime->database = database_.get();
  // Before init: a plugin's schedule_set there already defers to the YAML's `schedules:`.
  runtime->set_host_config(std::make_shared<const config::HostConfig>(config));
  runtime->context = std::make_unique<services::Context>(services::Context::Kind::plugin, *runtime);

  // Initialized before it is published: no worker can run a job type whose plugin is not ready.
  auto loaded = std::make_shared<plugin::LoadedPlugin>();
  loaded->spec = std::move(spec);
  loaded->library = std::move(candidate.library);
  loaded->file = plugin::identity_of(file).value_or(plugin::FileIdentity{});
  loaded->runtime = runtime;
  runtime->spec = &loaded->spec;
  const auto& s = loaded->spec;
  if (s.init) {
    jh_status status = JH_ERROR;
    try {
      status = s.init(s.user_data, services::host_api(), runtime->context->handle());
    } catch (...) {
      runtime->context->report("an exception escaped the plugin's init function");
    }
    if (status != JH_OK) {
      const auto& msg = runtime->context->reported();
      return "its init failed: " + (msg && !msg->empty()
                                        ? *msg
                                        : "init returned " + status_text(status) +
                                              " without a message (a bug in the plugin)");
    }
  }
  loaded->initialized = true;
  registry_.add(std::move(loaded));
  return {};
}

std::vector<std::string> Host::reap_retired_plugins() {
  std::vector<std::string> lines;
  for (const auto& name : registry_.reap_retired()) {
    lines.push_back("plugin " + name + " unloaded (its last running job finished)");
    host_log()->info("{}", lines.back());
  }
  return lines;
}

}  // namespace jobhost
