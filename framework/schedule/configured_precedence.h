// An operator's configuration wins over a plugin: when the host's YAML has a `schedules:` entry
// for a schedule, the plugin's schedule_set and schedule_remove of that same (job type, key)
// change nothing. Plugins set their schedules in init, which runs in every process (each CLI
// command, the daemon) before the daemon reconciles the YAML, so the rule is applied where the
// plugin calls, not left to the next reconcile.
#pragma once

#include <optional>
#include <string>

#include "config/host_config.h"
#include "core/time.h"
#include "plugin/plugin_spec.h"
#include "store/database.h"

namespace jobhost::schedule {

// In the caller's transaction on `session`. Nullopt when `config` does not configure (type,
// key): the plugin's call applies. Otherwise the store is made to hold the YAML's schedule, as
// the reconcile writes it (so a fresh store runs on the operator's rhythm from the first
// process on, and the reconcile has nothing to undo), and the text of what is kept is returned
// for the caller's note; an invalid entry leaves the stored schedule as it was (the reconcile
// reports the entry's problem and does the same).
std::optional<std::string> keep_configured_schedule(store::Session& session,
                                                    const config::HostConfig& config,
                                                    const plugin::JobTypeSpec& type,
                                                    const std::string& key, Micros now);

}  // namespace jobhost::schedule
