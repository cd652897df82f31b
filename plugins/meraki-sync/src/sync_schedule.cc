// meraki.sync's own schedule from enable_scheduled_sync and sync_interval_minutes, at init and
// on every reload. The interval's minimum (5) is checked twice: by the setting's schema, and by
// the job type's minimum interval, which the host applies to any schedule of it, from anywhere.
// A `schedules:` entry for meraki.sync in the host's YAML wins: the host then keeps the
// operator's schedule whatever this asks for (and logs that it did), so nothing here checks it.
#include "jobs.h"
#include "meraki_settings.h"

namespace mks {

void apply_schedule(jobhost::Context& ctx) {
  const auto settings = read_settings(ctx);
  if (settings.enable_scheduled_sync) {
    ctx.schedule(kSync, "", "every " + std::to_string(settings.sync_interval_minutes) + "m");
    ctx.info("meraki.sync: every " + std::to_string(settings.sync_interval_minutes) +
             " minutes, mode " + to_string(settings.scheduled_sync_mode));
    return;
  }
  // Only a schedule this plugin made is its to drop; a type's default stays the host's.
  for (const auto& s : ctx.schedules(kSync))
    if (s.key.empty() && s.source == "plugin") {
      ctx.unschedule(kSync, "");
      ctx.info("meraki.sync: scheduled sync disabled (enable_scheduled_sync: false)");
    }
}

}  // namespace mks
