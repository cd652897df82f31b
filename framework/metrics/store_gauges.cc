#include "metrics/store_gauges.h"

#include <soci/soci.h>

#include "jobs/job.h"
#include "store/database.h"
#include "store/framework_schema.h"
#include "store/row_reader.h"

namespace jobhost::metrics {

namespace {

constexpr jobs::JobStatus kStatuses[] = {jobs::JobStatus::scheduled, jobs::JobStatus::pending,
                                         jobs::JobStatus::running,   jobs::JobStatus::completed,
                                         jobs::JobStatus::errored,   jobs::JobStatus::failed};

// As `jobhost status` lists hosts: a daemon not stopped that beat within the last day; lost
// when declared so or silent for lost_after. Older ones are history, not news.
constexpr Micros kHostHistory = 86'400LL * 1'000'000;

void read_jobs(store::Session& session, StoreGauges& g) {
  // No index covers (type, status), so this reads every job: on SQLite with 100,000 jobs about
  // 40 ms of CPU as a plain scan of the table, two to three times less than through
  // jh_jobs_type, which the planner picks and which looks up every row (NOT INDEXED keeps it
  // off). An index on (type, status) would make this a scan of that index (about 7 ms); drop
  // NOT INDEXED when one exists. PostgreSQL scans the table and hashes the groups anyway.
  const char* from =
      session.dialect() == store::Dialect::sqlite ? "jh_jobs NOT INDEXED" : "jh_jobs";
  soci::rowset<soci::row> rows =
      (session.sql().prepare << std::string("SELECT type, status, COUNT(*) FROM ") + from +
                                    " GROUP BY type, status");
  for (const auto& r : rows)
    g.jobs[{store::row_text_or(r, 0), store::row_text_or(r, 1)}] = store::row_int_or(r, 2, 0);
}

void read_queue(store::Session& session, Micros now, StoreGauges& g) {
  // The waiting-status term as the queue's partial index has it: only waiting jobs are read.
  long long at = now;
  soci::rowset<soci::row> rows =
      (session.sql().prepare << std::string("SELECT type, COUNT(*) FROM jh_jobs WHERE ") +
                                    store::kWaitingStatus +
                                    " AND scheduled_at <= :now GROUP BY type",
       soci::use(at));
  for (const auto& r : rows) g.queue_depth[store::row_text_or(r, 0)] = store::row_int_or(r, 1, 0);
}

void read_running_here(store::Session& session, const std::string& instance, StoreGauges& g) {
  long long n = 0;
  session.sql() << "SELECT COUNT(*) FROM jh_jobs WHERE status = 'running' AND host = :h",
      soci::use(instance), soci::into(n);
  g.running_here = n;
}

void read_hosts(store::Session& session, Micros now, Micros lost_after, StoreGauges& g) {
  long long since = now - kHostHistory;
  soci::rowset<soci::row> rows =
      (session.sql().prepare << "SELECT lost_at, heartbeat_at FROM jh_hosts WHERE stopped_at IS "
                                "NULL AND heartbeat_at >= :since",
       soci::use(since));
  for (const auto& r : rows) {
    const bool lost =
        store::row_int(r, 0).has_value() || store::row_int_or(r, 1, 0) < now - lost_after;
    ++(lost ? g.hosts_lost : g.hosts_live);
  }
}

void read_schedules(store::Session& session, StoreGauges& g) {
  soci::rowset<soci::row> rows =
      (session.sql().prepare << "SELECT enabled, COUNT(*) FROM jh_schedules GROUP BY enabled");
  for (const auto& r : rows)
    (store::row_int_or(r, 0, 0) != 0 ? g.schedules_enabled : g.schedules_disabled) +=
        store::row_int_or(r, 1, 0);
}

}  // namespace

StoreGauges read_store_gauges(store::Session& session, const RenderContext& ctx) {
  StoreGauges g;
  try {
    read_jobs(session, g);
    read_queue(session, ctx.now, g);
    read_running_here(session, ctx.instance, g);
    read_hosts(session, ctx.now, ctx.lost_after, g);
    read_schedules(session, g);
  } catch (...) {
    store::rethrow_as_store_error("reading metrics");
  }
  return g;
}

void write_store_gauges(Exposition& out, const StoreGauges& gauges, const RenderContext& ctx) {
  auto jobs = gauges.jobs;
  auto queue = gauges.queue_depth;
  for (const auto& type : ctx.job_types) {
    for (auto status : kStatuses) jobs.try_emplace({type, jobs::status_name(status)}, 0);
    queue.try_emplace(type, 0);
  }

  out.family("jobhost_jobs", "gauge", "Jobs in the store, by job type and status.");
  for (const auto& [key, n] : jobs)
    out.sample("jobhost_jobs", {{"type", key.first}, {"status", key.second}}, n);

  out.family("jobhost_queue_depth", "gauge",
             "Jobs waiting to be claimed that are due now (pending, or scheduled and due), by "
             "job type.");
  for (const auto& [type, n] : queue) out.sample("jobhost_queue_depth", {{"type", type}}, n);

  out.family("jobhost_running_jobs", "gauge", "Jobs this process is running now.");
  out.sample("jobhost_running_jobs", {}, gauges.running_here);

  out.family("jobhost_hosts", "gauge",
             "Daemons of the store by state: live, or lost (declared lost, or no heartbeat for "
             "host.lost_after_s).");
  out.sample("jobhost_hosts", {{"state", "live"}}, gauges.hosts_live);
  out.sample("jobhost_hosts", {{"state", "lost"}}, gauges.hosts_lost);

  out.family("jobhost_schedules", "gauge", "Schedules in the store, enabled or disabled.");
  out.sample("jobhost_schedules", {{"state", "enabled"}}, gauges.schedules_enabled);
  out.sample("jobhost_schedules", {{"state", "disabled"}}, gauges.schedules_disabled);
}

}  // namespace jobhost::metrics
