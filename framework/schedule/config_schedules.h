// The schedules a host should have: each job type's default schedule, overridden by the
// `schedules:` section of the YAML; and reconciling them with the store, where they persist.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/host_config.h"
#include "config/problem.h"
#include "plugin/registry.h"
#include "schedule/schedule_store.h"

namespace jobhost::schedule {

struct DesiredSchedules {
  std::vector<DesiredSchedule> schedules;
  std::vector<config::ConfigProblem> problems;  // file:line:col: schedules.<type>.<key>: ...
};

// A job type with a default schedule gets it unless the YAML overrides it; a keyed job type
// whose key parameter is required gets no type-wide schedule (its plugin registers one per key).
DesiredSchedules desired_schedules(const config::HostConfig& config,
                                   const plugin::PluginRegistry& plugins);

// What the YAML says about one schedule (job type, key), for a plugin's schedule_set and
// schedule_remove: an operator's `schedules:` entry wins over the plugin (services/
// schedule_service.cc). Nullopt: the YAML has no entry for it (the YAML only configures a
// type's own slot, key ""). `desired` unset: there is an entry but it is invalid; the reconcile
// reports it and leaves the stored schedule as it was, and so does the plugin's call.
struct ConfiguredSchedule {
  std::optional<DesiredSchedule> desired;
};
std::optional<ConfiguredSchedule> configured_schedule(const config::HostConfig& config,
                                                      const plugin::JobTypeSpec& type,
                                                      const std::string& key);

// True when `current` already is `d` (so writing `d` would change nothing).
bool is_stored_as(const ScheduleRecord& current, const DesiredSchedule& d);

struct ReconcileReport {
  int created = 0, updated = 0, removed = 0, unchanged = 0;
};

// Makes the store's default and config schedules match `desired`, in one transaction: new
// ones are created, changed ones replaced in place (one row per job type and key: never a
// second chain), ones no longer wanted removed. Plugin-registered schedules are left alone,
// and one a plugin registered for a type's own slot (key "") is not replaced by the type's
// default (a YAML entry does replace it).
ReconcileReport reconcile_schedules(store::Session& session,
                                    const std::vector<DesiredSchedule>& desired, Micros now);

}  // namespace jobhost::schedule
