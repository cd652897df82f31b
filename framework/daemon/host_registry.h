// jh_hosts: the daemons running against this store, with a heartbeat, so that `jobhost
// status` can list them, `jobhost reload` can find the daemons to signal, and the other hosts
// can declare one lost when its heartbeat stops (and rescue its jobs).
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
  std::optional<Micros> stopped_at, lost_at;
  std::string api_url;  // where its HTTP API and dashboard answer; "" without one
};

void register_host(store::Session& s, const HostRecord& h);
// Records that `instance` is alive. True when the others had declared it lost meanwhile (its
// running jobs may have been rescued): the caller says so in its log.
bool heartbeat(store::Session& s, const std::string& instance, Micros now);
void mark_stopped(store::Session& s, const std::string& instance, Micros now);
void set_api_url(store::Session& s, const std::string& instance, const std::string& url);
// Marks lost, and returns, the daemons neither stopped nor already lost whose last heartbeat
// is older than `lost_after`.
std::vector<HostRecord> declare_lost_hosts(store::Session& s, Micros now, Micros lost_after);
// Hosts not stopped whose heartbeat is newer than `since`, lost ones included (lost_at).
std::vector<HostRecord> live_hosts(store::Session& s, Micros since);

std::string machine_name();

}  // namespace jobhost::daemon
