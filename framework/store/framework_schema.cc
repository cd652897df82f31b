#include "store/framework_schema.h"

#include <string>

namespace jobhost::store {

namespace {

// The two dialects differ only in how an identity column is declared; the rest is shared.
std::string jobs_and_events(const std::string& identity) {
  return R"SQL(
CREATE TABLE jh_jobs (
  id )SQL" +
         identity + R"SQL(,
  type TEXT NOT NULL,
  job_key TEXT NOT NULL DEFAULT '',
  -- type and key of a singleton job, NULL otherwise; unique among live jobs (index below)
  singleton_slot TEXT,
  status TEXT NOT NULL CHECK (status = 'scheduled' OR status = 'pending' OR status = 'running'
    OR status = 'completed' OR status = 'errored' OR status = 'failed'),
  origin TEXT NOT NULL DEFAULT 'manual',
  params TEXT NOT NULL DEFAULT '{}',
  created_at BIGINT NOT NULL,
  scheduled_at BIGINT NOT NULL,
  started_at BIGINT,
  finished_at BIGINT,
  attempt BIGINT NOT NULL DEFAULT 0,
  max_attempts BIGINT NOT NULL DEFAULT 1,
  host TEXT,
  lease_until BIGINT,
  result TEXT,
  data TEXT,
  pre_data TEXT,
  post_data TEXT,
  signal_id TEXT,
  error TEXT,
  progress_done BIGINT,
  progress_total BIGINT,
  progress_message TEXT
);
-- The singleton rule, for any number of processes and hosts: one live job per slot. Jobs
-- without a slot stay out of the index (no entry to write on each of their status changes).
CREATE UNIQUE INDEX jh_jobs_singleton ON jh_jobs (singleton_slot)
  WHERE singleton_slot IS NOT NULL AND )SQL" +
         std::string(kLiveStatus) + R"SQL(;
-- The queue: only waiting jobs, in the order they are due.
CREATE INDEX jh_jobs_queue ON jh_jobs (scheduled_at, id) WHERE )SQL" +
         std::string(kWaitingStatus) + R"SQL(;
CREATE INDEX jh_jobs_status ON jh_jobs (status, id);
CREATE INDEX jh_jobs_type ON jh_jobs (type, id);

CREATE TABLE jh_events (
  id )SQL" +
         identity + R"SQL(,
  created_at BIGINT NOT NULL,
  name TEXT NOT NULL,
  job_id BIGINT,
  level TEXT NOT NULL,
  message TEXT NOT NULL DEFAULT '',
  result TEXT,
  exception TEXT,
  data TEXT,
  pre_data TEXT,
  post_data TEXT,
  signal_id TEXT
);
CREATE INDEX jh_events_job ON jh_events (job_id, id);
CREATE INDEX jh_events_time ON jh_events (created_at, id);
)SQL";
}

// Schedules: one row per (job type, key), so a changed or re-registered schedule can only
// replace its row, never start a second chain. Hosts: who is running, for status, reload and
// (later) rescue across hosts.
std::string schedules_and_hosts(const std::string& identity) {
  return R"SQL(
CREATE TABLE jh_schedules (
  id )SQL" +
         identity + R"SQL(,
  job_type TEXT NOT NULL,
  schedule_key TEXT NOT NULL DEFAULT '',
  -- default: the job type's own; config: YAML; plugin: registered by the plugin at run time
  source TEXT NOT NULL CHECK (source = 'default' OR source = 'config' OR source = 'plugin'),
  spec TEXT NOT NULL,
  jitter BIGINT NOT NULL DEFAULT 0,
  params TEXT NOT NULL DEFAULT '{}',
  enabled BIGINT NOT NULL DEFAULT 1,
  next_run_at BIGINT,
  last_scheduled_at BIGINT,
  last_fired_at BIGINT,
  last_job_id BIGINT,
  last_outcome TEXT,
  last_finished_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (job_type, schedule_key)
);
CREATE INDEX jh_schedules_due ON jh_schedules (next_run_at) WHERE enabled = 1;
CREATE INDEX jh_schedules_updated ON jh_schedules (updated_at);

ALTER TABLE jh_jobs ADD COLUMN schedule_id BIGINT;
-- One job per fired slot of a schedule, whatever number of hosts, daemons and ticks fire.
CREATE UNIQUE INDEX jh_jobs_fire ON jh_jobs (schedule_id, scheduled_at)
  WHERE schedule_id IS NOT NULL;

CREATE TABLE jh_hosts (
  instance TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  machine TEXT NOT NULL,
  pid BIGINT NOT NULL,
  version TEXT NOT NULL,
  role TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  heartbeat_at BIGINT NOT NULL,
  stopped_at BIGINT
);
)SQL";
}

// Hosts declared lost (their heartbeat stopped) keep their row, marked, until they come back.
// On PostgreSQL, every statement that inserts jobs notifies channel jobhost_jobs when its
// transaction commits (one notification per transaction, however many rows): idle hosts
// listening there claim new work at once instead of at their next poll.
constexpr const char* kLostHostsSqlite = "ALTER TABLE jh_hosts ADD COLUMN lost_at BIGINT;";
constexpr const char* kLostHostsAndWakeUpsPostgresql = R"SQL(
ALTER TABLE jh_hosts ADD COLUMN lost_at BIGINT;
CREATE FUNCTION jh_jobs_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('jobhost_jobs', '');
  RETURN NULL;
END
$$;
CREATE TRIGGER jh_jobs_inserted AFTER INSERT ON jh_jobs
  FOR EACH STATEMENT EXECUTE FUNCTION jh_jobs_notify();
)SQL";

// Settings and schedule timings changed over the HTTP API, layered over the YAML file by every
// host of the store at start and reload (host/config_overrides.h); and where each daemon's HTTP
// API answers, for `jobhost status`.
constexpr const char* kConfigOverrides = R"SQL(
CREATE TABLE jh_config_overrides (
  section TEXT NOT NULL,
  name TEXT NOT NULL,
  path TEXT NOT NULL,
  value TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (section, name, path)
);
ALTER TABLE jh_hosts ADD COLUMN api_url TEXT;
)SQL";

}  // namespace

const std::vector<MigrationStep>& framework_migrations() {
  static const std::vector<MigrationStep> steps = {
      {1, "jobs and events", jobs_and_events("INTEGER PRIMARY KEY AUTOINCREMENT"),
       jobs_and_events("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")},
      {2, "schedules and hosts", schedules_and_hosts("INTEGER PRIMARY KEY AUTOINCREMENT"),
       schedules_and_hosts("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")},
      {3, "lost hosts and wake-ups", kLostHostsSqlite, kLostHostsAndWakeUpsPostgresql},
      {4, "configuration overrides", kConfigOverrides, kConfigOverrides},
  };
  return steps;
}

}  // namespace jobhost::store
