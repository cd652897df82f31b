// Loading plugins into the host: find the files, open each, negotiate the ABI, check for
// duplicates, validate its YAML section, apply its migrations, call its init. A plugin that
// fails any step is refused (logged with its file and the reason) and the host goes on.
#include <set>

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

std::vector<PluginCandidate> open_plugin_candidates(const config::HostConfig& config,
                                                    std::vector<PluginRefusal>& refusals) {
  std::vector<std::string> dirs, files;
  for (const auto& d : config.plugin_dirs) dirs.push_back(d.string());
  for (const auto& f : config.plugin_files) files.push_back(f.string());
  std::vector<plugin::DiscoveryProblem> problems;
  auto found = plugin::discover_plugin_files(dirs, files, problems);
  for (auto& p : problems) refusals.push_back({p.path, p.reason});

  const jh_host_info info{sizeof(jh_host_info), plugin::kHostAbiMajor, plugin::kHostAbiMinor,
                          JOBHOST_VERSION};
  std::vector<PluginCandidate> out;
  for (const auto& file : found) {
    PluginCandidate c;
    c.file = file;
    try {
      c.library = plugin::PluginLibrary::open(file);
      c.spec = plugin::read_descriptor(c.library->descriptor(info), file);
    } catch (const std::exception& e) {
      refusals.push_back({file, e.what()});
      continue;
    }
    out.push_back(std::move(c));
  }
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
    std::string where = section.file;
    if (section.line > 0)
      where += ":" + std::to_string(section.line) + ":" + std::to_string(section.column);
    out.push_back(
        {where, "plugins." + name + ": no plugin named '" + name +
                    "' was found; check plugin_dirs / plugin_files and `jobhost plugins`"});
  }
  return out;
}

void Host::load_plugins() {
  std::vector<PluginRefusal> early;
  auto candidates = open_plugin_candidates(config_, early);
  for (auto& r : early) {
    host_log()->error("plugin {} refused: {}", r.file, r.reason);
    refusals_.push_back(std::move(r));
  }
  const std::string dialect = store::dialect_name(database_->dialect());
  std::set<std::string> found;  // plugins present, loaded or refused

  for (auto& candidate : candidates) {
    found.insert(candidate.spec.name);
    const std::string& file = candidate.file;
    plugin::PluginSpec& spec = candidate.spec;
    auto refuse = [&](const std::string& reason) {
      refusals_.push_back({file, reason});
      host_log()->error("plugin {} refused: {}", file, reason);
    };
    if (auto conflict = registry_.conflict(spec)) {
      refuse(*conflict);
      continue;
    }
    // Settings: the plugin's section of the YAML, checked against its declared schema.
    std::string why;
    auto settings = validate_candidate_settings(config_, spec, why);
    if (!why.empty()) {
      refuse(why);
      continue;
    }

    // Migrations: a failure stops the host (the store must not be half-migrated), as for the
    // framework's own schema.
    auto report = store::apply_migrations(*session_, "plugin:" + spec.name, spec.migrations);
    if (!report.applied.empty())
      host_log()->info("plugin {}: schema migrated from version {} to {}", spec.name,
                       report.from_version, report.to_version);

    auto runtime = std::make_shared<services::PluginRuntime>();
    runtime->name = spec.name;
    runtime->log = plugin_log(spec.name);
    runtime->set_settings(services::SettingsSnapshot::of(std::move(settings->settings)));
    runtime->http = http_;
    runtime->dialect = dialect;
    runtime->database = database_.get();
    runtime->context =
        std::make_unique<services::Context>(services::Context::Kind::plugin, *runtime);

    plugin::LoadedPlugin loaded;
    loaded.spec = spec;
    loaded.library = std::move(candidate.library);
    loaded.runtime = runtime;
    auto& added = registry_.add(std::move(loaded));
    runtime->spec = &added.spec;

    if (spec.init) {
      jh_status s = JH_ERROR;
      try {
        s = spec.init(spec.user_data, services::host_api(), runtime->context->handle());
      } catch (...) {
        runtime->context->report("an exception escaped the plugin's init function");
      }
      if (s != JH_OK) {
        const auto& msg = runtime->context->reported();
        refuse("its init failed: " + (msg && !msg->empty()
                                          ? *msg
                                          : "init returned " + status_text(s) +
                                                " without a message (a bug in the plugin)"));
        registry_.remove(spec.name);
        continue;
      }
    }
    added.initialized = true;
    host_log()->info("plugin {} {} loaded from {} ({} job type{})", spec.name, spec.version, file,
                     spec.job_types.size(), spec.job_types.size() == 1 ? "" : "s");
  }

  for (auto& r : unused_plugin_sections(config_, found)) {
    host_log()->warn("{}: {}", r.file, r.reason);
    refusals_.push_back(std::move(r));
  }
}

}  // namespace jobhost
