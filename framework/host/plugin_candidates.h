// The steps of plugin loading that need no store: find the files, open them, read and check
// their descriptors, validate their settings. Host::load_plugins and `jobhost config check`
// share them.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/host_config.h"
#include "config/plugin_settings.h"
#include "host/host.h"
#include "plugin/loader.h"
#include "plugin/plugin_spec.h"

namespace jobhost {

struct PluginCandidate {
  std::string file;
  std::unique_ptr<plugin::PluginLibrary> library;
  plugin::PluginSpec spec;
};

// The plugin files the configuration names (plugin_dirs, then plugin_files); missing ones and
// unsafe ones (plugin::unsafe_ownership) are added to `refusals` with their reason.
std::vector<std::string> plugin_files(const config::HostConfig& config,
                                      std::vector<PluginRefusal>& refusals);
// Opens one plugin file and reads its descriptor; nullopt (and a refusal) when it cannot be used.
std::optional<PluginCandidate> open_plugin_candidate(const std::string& file,
                                                     std::vector<PluginRefusal>& refusals);
// Opens every plugin file the configuration names; the ones that cannot be used are added
// to `refusals` with their reason.
std::vector<PluginCandidate> open_plugin_candidates(const config::HostConfig& config,
                                                    std::vector<PluginRefusal>& refusals);

// The plugin's section validated against its schema. `why` is set when the plugin must be
// refused (invalid settings: the problems with file:line:column; or a broken schema).
std::optional<config::ValidatedSettings> validate_candidate_settings(
    const config::HostConfig& config, const plugin::PluginSpec& spec, std::string& why);

// Sections under `plugins:` naming none of the plugins `found` (loaded or refused).
std::vector<PluginRefusal> unused_plugin_sections(const config::HostConfig& config,
                                                  const std::set<std::string>& found);

}  // namespace jobhost
