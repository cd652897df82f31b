// Bringing the store's schedules in line with the configuration and the loaded job types (at
// start, on reload, before a tick). Problems are logged with their file:line:col.
#pragma once

#include "config/host_config.h"
#include "host/host.h"
#include "schedule/config_schedules.h"

namespace jobhost::daemon {

schedule::ReconcileReport sync_schedules(Host& host, const config::HostConfig& config);

}  // namespace jobhost::daemon
