// jh_hosts: the processes running against this store (daemons, ticks), with a heartbeat, so
// that `jobhost status` can list them and `jobhost reload` can find the daemons to signal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "store/database.h"

namespace jobhost::daemon {

struct HostRecord {
  std::string instance, name, machine, version, role;
  int64_t pid = 0;
  Micros started_at = 0, heartbeat_at = 0;
  std::optional<Micros> stopped_at;
};

void register_host(store::Session& s, const HostRecord& h);
void heartbeat(store::Session& s, const std::string& instance, Micros now);
void mark_stopped(store::Session& s, const std::string& instance, Micros now);
// Hosts not stopped whose heartbeat is newer than `since`.
std::vector<HostRecord> live_hosts(store::Session& s, Micros since);

std::string machine_name();

}  // namespace jobhost::daemon
