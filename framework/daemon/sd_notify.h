// systemd's readiness protocol (sd_notify), without linking libsystemd: one datagram to the
// socket named in $NOTIFY_SOCKET. A no-op when not started by systemd with Type=notify.
#pragma once

#include <string>

namespace jobhost::daemon {

bool sd_notify(const std::string& state);

}  // namespace jobhost::daemon
