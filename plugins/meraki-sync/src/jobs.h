// The plugin's job types; each returns its result JSON (see plugin.cc for their parameters).
#pragma once

#include <jobhost/sdk.hpp>

namespace mks {

inline constexpr const char* kSync = "meraki.sync";

// meraki.sync: fetch the organizations' networks, devices and statuses; apply, stage or report
// the changes per the mode.
jobhost::Result sync(jobhost::Run& run);
// meraki.approve / meraki.reject: decide a pending change set of the review queue.
jobhost::Result approve(jobhost::Run& run);
jobhost::Result reject(jobhost::Run& run);
// meraki.changes: the review queue, or one change set with its changes (read-only).
jobhost::Result changes(jobhost::Run& run);
// meraki.status: the schedule (last and next scheduled sync), the last sync, the inventory's
// counts and the pending change sets (read-only).
jobhost::Result status(jobhost::Run& run);
// meraki.test_connection: GET /organizations with the configured key (writes nothing).
jobhost::Result test_connection(jobhost::Run& run);

// Registers, replaces or removes meraki.sync's own schedule from the settings (init, reload).
void apply_schedule(jobhost::Context& ctx);

}  // namespace mks
