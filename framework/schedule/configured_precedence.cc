#include "schedule/configured_precedence.h"

#include "schedule/config_schedules.h"
#include "schedule/schedule_store.h"

namespace jobhost::schedule {

std::optional<std::string> keep_configured_schedule(store::Session& session,
                                                    const config::HostConfig& config,
                                                    const plugin::JobTypeSpec& type,
                                                    const std::string& key, Micros now) {
  const auto configured = configured_schedule(config, type, key);
  if (!configured) return std::nullopt;
  ScheduleStore store(session);
  const auto current = store.find(type.name, key);
  if (!configured->desired)
    return current ? current->spec + " (its `schedules:` entry is invalid: kept as stored)"
                   : std::string("none (its `schedules:` entry is invalid)");
  const DesiredSchedule& d = *configured->desired;
  if (!current || !is_stored_as(*current, d)) store.upsert(d, now);
  return d.spec;
}

}  // namespace jobhost::schedule
