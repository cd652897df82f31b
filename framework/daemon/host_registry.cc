#include "daemon/host_registry.h"

#include <unistd.h>

#include <soci/soci.h>

#include "store/row_reader.h"

namespace jobhost::daemon {

std::string machine_name() {
  char buf[256] = {0};
  if (gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

void register_host(store::Session& s, const HostRecord& h) {
  try {
    long long pid = h.pid, started = h.started_at, beat = h.heartbeat_at;
    store::WriteTransaction tx(s);
    s.sql() << "DELETE FROM jh_hosts WHERE instance = :i", soci::use(h.instance);
    s.sql() << "INSERT INTO jh_hosts (instance, name, machine, pid, version, role, started_at, "
               "heartbeat_at) VALUES (:i, :n, :m, :p, :v, :r, :s, :h)",
        soci::use(h.instance), soci::use(h.name), soci::use(h.machine), soci::use(pid),
        soci::use(h.version), soci::use(h.role), soci::use(started), soci::use(beat);
    tx.commit();
  } catch (...) {
    store::rethrow_as_store_error("registering host " + h.instance);
  }
}

bool heartbeat(store::Session& s, const std::string& instance, Micros now) {
  try {
    long long at = now;
    // Each statement is atomic: a declaration of loss between the two is still seen.
    soci::statement live = (s.sql().prepare << "UPDATE jh_hosts SET heartbeat_at = :h WHERE "
                                               "instance = :i AND lost_at IS NULL",
                            soci::use(at), soci::use(instance));
    live.execute(true);
    if (live.get_affected_rows() > 0) return false;
    soci::statement back = (s.sql().prepare << "UPDATE jh_hosts SET heartbeat_at = :h, lost_at = "
                                               "NULL WHERE instance = :i AND lost_at IS NOT NULL",
                            soci::use(at), soci::use(instance));
    back.execute(true);
    return back.get_affected_rows() > 0;
  } catch (...) {
    store::rethrow_as_store_error("heartbeat of " + instance);
  }
}

void mark_stopped(store::Session& s, const std::string& instance, Micros now) {
  try {
    long long at = now;
    s.sql() << "UPDATE jh_hosts SET stopped_at = :s WHERE instance = :i", soci::use(at),
        soci::use(instance);
  } catch (...) {
    store::rethrow_as_store_error("marking " + instance + " stopped");
  }
}

void set_api_url(store::Session& s, const std::string& instance, const std::string& url) {
  try {
    s.sql() << "UPDATE jh_hosts SET api_url = :u WHERE instance = :i", soci::use(url),
        soci::use(instance);
  } catch (...) {
    store::rethrow_as_store_error("recording the API address of " + instance);
  }
}

namespace {

constexpr const char* kHostColumns =
    "instance, name, machine, pid, version, role, started_at, heartbeat_at, lost_at, api_url";

HostRecord read_host(const soci::row& r) {
  HostRecord h;
  h.instance = store::row_text_or(r, 0);
  h.name = store::row_text_or(r, 1);
  h.machine = store::row_text_or(r, 2);
  h.pid = store::row_int_or(r, 3, 0);
  h.version = store::row_text_or(r, 4);
  h.role = store::row_text_or(r, 5);
  h.started_at = store::row_int_or(r, 6, 0);
  h.heartbeat_at = store::row_int_or(r, 7, 0);
  h.lost_at = store::row_int(r, 8);
  h.api_url = store::row_text_or(r, 9);
  return h;
}

}  // namespace

std::vector<HostRecord> declare_lost_hosts(store::Session& s, Micros now, Micros lost_after) {
  std::vector<HostRecord> out;
  try {
    long long at = now, before = now - lost_after;
    store::WriteTransaction tx(s);
    {
      soci::rowset<soci::row> rows =
          (s.sql().prepare << std::string("UPDATE jh_hosts SET lost_at = :now WHERE role = "
                                          "'daemon' AND stopped_at IS NULL AND lost_at IS NULL "
                                          "AND heartbeat_at < :before RETURNING ") +
                                  kHostColumns,
           soci::use(at), soci::use(before));
      for (const auto& r : rows) out.push_back(read_host(r));
    }
    tx.commit();
  } catch (...) {
    store::rethrow_as_store_error("looking for lost hosts");
  }
  return out;
}

std::vector<HostRecord> live_hosts(store::Session& s, Micros since) {
  std::vector<HostRecord> out;
  try {
    long long at = since;
    soci::rowset<soci::row> rows =
        (s.sql().prepare << std::string("SELECT ") + kHostColumns +
                                " FROM jh_hosts WHERE stopped_at IS NULL AND heartbeat_at >= "
                                ":since ORDER BY name, instance",
         soci::use(at));
    for (const auto& r : rows) out.push_back(read_host(r));
  } catch (...) {
    store::rethrow_as_store_error("listing hosts");
  }
  return out;
}

}  // namespace jobhost::daemon
