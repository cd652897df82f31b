#include "config/host_schema.h"

namespace jobhost::config {

namespace {

constexpr HostKeyCondition kSqlite{"store.driver", "sqlite"};
constexpr HostKeyCondition kPostgresql{"store.driver", "postgresql"};

std::vector<HostKey> make_host_schema() {
  return {
      {
          .path = "host",
          .type = HostKeyType::map,
          .description = "This host's identity, and how it tells the others it is alive.",
          .example = "{ name: node-1, heartbeat_s: 5, lost_after_s: 30 }",
      },
      {
          .path = "host.name",
          .type = HostKeyType::string,
          .description = "Name of this host in job leases, events and status; several hosts "
                         "sharing one store need different names. Default: the machine's "
                         "host name.",
          .example = "node-1",
      },
      {
          .path = "host.heartbeat_s",
          .type = HostKeyType::integer,
          .default_value = "5",
          .min = 1,
          .max = 3600,
          .description = "How often a daemon (`jobhost run`) records that it is alive, in "
                         "seconds; `jobhost status` shows the last heartbeat of each host.",
          .example = "2",
      },
      {
          .path = "host.lost_after_s",
          .type = HostKeyType::integer,
          .default_value = "30",
          .min = 2,
          .max = 86400,
          .description = "After how many seconds without a heartbeat the other hosts declare a "
                         "daemon lost: its running jobs are rescued (errored \"host lost\", "
                         "retried per their policy) without waiting for their leases. Keep it "
                         "well above heartbeat_s, and the same on every host of a store.",
          .example = "15",
      },
      {
          .path = "store",
          .type = HostKeyType::map,
          .description = "The database that holds schedules, jobs, leases and events.",
          .example = "{ driver: sqlite, path: jobhost.db }",
      },
      {
          .path = "store.driver",
          .type = HostKeyType::choice,
          .default_value = "sqlite",
          .choices = {"sqlite", "postgresql"},
          .description = "Database kind: a local SQLite file, or PostgreSQL (needed when several "
                         "hosts share one store).",
          .example = "postgresql",
      },
      {
          .path = "store.path",
          .type = HostKeyType::string,
          .default_value = "jobhost.db",
          .description = "SQLite database file; relative paths are relative to the config "
                         "file's directory. `:memory:` keeps the store in memory (tests only).",
          .example = "/var/lib/jobhost/jobhost.db",
          .only_when = kSqlite,
          .relative_to_config_dir = true,
      },
      {
          .path = "store.synchronous",
          .type = HostKeyType::choice,
          .default_value = "full",
          .choices = {"full", "normal"},
          .description = "SQLite durability: `full` makes a completed job survive a power loss; "
                         "`normal` is faster but may lose the last transactions.",
          .example = "normal",
          .only_when = kSqlite,
      },
      {
          .path = "store.busy_timeout_ms",
          .type = HostKeyType::integer,
          .default_value = "30000",
          .min = 0,
          .max = 3'600'000,
          .description = "How long an SQLite statement waits for a lock held by another "
                         "connection before failing, in milliseconds.",
          .example = "5000",
          .only_when = kSqlite,
      },
      {
          .path = "store.connection",
          .type = HostKeyType::string,
          .description = "PostgreSQL connection string in libpq form (key=value pairs or a "
                         "postgresql:// URI). Put the password in the environment: "
                         "`password=${PGPASSWORD}`.",
          .example = "\"host=127.0.0.1 port=5432 dbname=jobhost user=jobhost "
                     "password=${PGPASSWORD}\"",
          .only_when = kPostgresql,
          .required_when = kPostgresql,
      },
      {
          .path = "plugin_dirs",
          .type = HostKeyType::string_list,
          .default_value = "[]",
          .description = "Directories whose plugin libraries (*.so) are loaded; relative paths "
                         "are relative to the config file's directory.",
          .example = "[ /usr/lib/jobhost/plugins ]",
          .relative_to_config_dir = true,
      },
      {
          .path = "plugin_files",
          .type = HostKeyType::string_list,
          .default_value = "[]",
          .description = "Single plugin libraries to load; relative paths are relative to the "
                         "config file's directory.",
          .example = "[ ./extra/libfoo.so ]",
          .relative_to_config_dir = true,
      },
      {
          .path = "workers",
          .type = HostKeyType::integer,
          .default_value = "4",
          .min = 1,
          .max = 256,
          .description = "Number of jobs run at the same time.",
          .example = "8",
      },
      {
          .path = "event_log",
          .type = HostKeyType::boolean,
          .default_value = "true",
          .description = "Record job events (with before/after data) in the store.",
          .example = "false",
      },
      {
          .path = "log",
          .type = HostKeyType::map,
          .description = "The host's own log and its plugins', written to standard error (the "
                         "journal under systemd).",
          .example = "{ level: info, format: json, plugins: { zabbix-host-sync: debug } }",
      },
      {
          .path = "log.level",
          .type = HostKeyType::choice,
          .default_value = "info",
          .choices = {"trace", "debug", "info", "warn", "error", "off"},
          .description = "Least severe message written, by the host and by every plugin without "
                         "a level of its own in log.plugins. `--log-level` on the command line "
                         "replaces it and every level of log.plugins.",
          .example = "debug",
      },
      {
          .path = "log.format",
          .type = HostKeyType::choice,
          .default_value = "text",
          .choices = {"text", "json"},
          .description = "`text` for people, `json` (one object per line) for log collectors.",
          .example = "json",
      },
      {
          .path = "log.target",
          .type = HostKeyType::choice,
          .default_value = "auto",
          .choices = {"auto", "stderr", "journald"},
          .description =
              "Who reads standard error. `journald`: each line starts with its syslog priority "
              "(`<4>` for a warning, so `journalctl -p warning` filters) and text lines leave "
              "out the time (the journal records it). `stderr`: plain lines with the time. "
              "`auto`: `journald` when standard error is the journal stream systemd named in "
              "JOURNAL_STREAM, else `stderr`; set `stderr` if the unit has "
              "SyslogLevelPrefix=no.",
          .example = "stderr",
      },
      {
          .path = "log.plugins",
          .type = HostKeyType::choice_map,
          .choices = {"trace", "debug", "info", "warn", "error", "off"},
          .description = "A level per plugin, by plugin name, in place of log.level for that "
                         "plugin's lines (logger `plugin:<name>`); takes effect on reload too. "
                         "A plugin that is not loaded is warned about and otherwise ignored.",
          .example = "{ zabbix-host-sync: debug, meraki-sync: warn }",
      },
      {
          .path = "http",
          .type = HostKeyType::map,
          .description = "The daemon's HTTP listener: JSON API (/api/v1/), dashboard (/), "
                         "Prometheus metrics (/metrics), /healthz and /readyz. Only `jobhost "
                         "run` listens.",
          .example = "{ address: 127.0.0.1, port: 8080, token: \"${JOBHOST_HTTP_TOKEN}\" }",
      },
      {
          .path = "http.enabled",
          .type = HostKeyType::boolean,
          .default_value = "true",
          .description = "false: the daemon opens no HTTP listener at all.",
          .example = "false",
      },
      {
          .path = "http.address",
          .type = HostKeyType::string,
          .default_value = "127.0.0.1",
          .description = "Address to listen on; 0.0.0.0 (or ::) for every interface, then "
                         "set a token and TLS.",
          .example = "0.0.0.0",
      },
      {
          .path = "http.port",
          .type = HostKeyType::integer,
          .default_value = "8080",
          .min = 0,
          .max = 65535,
          .description = "TCP port; 0 picks a free one (the daemon logs it and `jobhost status` "
                         "shows each host's address).",
          .example = "9090",
      },
      {
          .path = "http.token",
          .type = HostKeyType::string,
          .description = "Bearer token that changes over HTTP (trigger, enable, settings) must "
                         "send as `Authorization: Bearer <token>`. Unset: the environment "
                         "variable JOBHOST_HTTP_TOKEN; neither: the API is read-only.",
          .example = "${JOBHOST_HTTP_TOKEN}",
      },
      {
          .path = "http.protect_reads",
          .type = HostKeyType::boolean,
          .default_value = "false",
          .description = "true: reads (API, dashboard data, metrics) need the token too; "
                         "/healthz and /readyz stay open.",
          .example = "true",
      },
      {
          .path = "http.tls_cert",
          .type = HostKeyType::string,
          .description = "Serve HTTPS: the PEM certificate chain (the server's certificate "
                         "first). Set together with http.tls_key.",
          .example = "/etc/jobhost/tls/cert.pem",
          .relative_to_config_dir = true,
          .paired_with = "http.tls_key",
      },
      {
          .path = "http.tls_key",
          .type = HostKeyType::string,
          .description = "The PEM private key of http.tls_cert's certificate.",
          .example = "/etc/jobhost/tls/key.pem",
          .relative_to_config_dir = true,
          .paired_with = "http.tls_cert",
      },
      {
          .path = "jobs",
          .type = HostKeyType::map,
          .description = "How the host runs jobs: leases, timeouts, shutdown.",
          .example = "{ lease_s: 30, shutdown_grace_s: 60 }",
      },
      {
          .path = "jobs.lease_s",
          .type = HostKeyType::integer,
          .default_value = "60",
          .min = 2,
          .max = 86400,
          .description = "A running job's lease, renewed every third of it while its host lives; "
                         "when a host dies, its jobs are rescued once their lease has expired.",
          .example = "30",
      },
      {
          .path = "jobs.default_timeout_s",
          .type = HostKeyType::integer,
          .default_value = "3600",
          .min = 1,
          .max = 7 * 86400,
          .description = "Timeout of a job type that declares none: then the run is cancelled "
                         "and errored \"timed out after N s\".",
          .example = "900",
      },
      {
          .path = "jobs.timeout_grace_s",
          .type = HostKeyType::integer,
          .default_value = "10",
          .min = 0,
          .max = 3600,
          .description = "How long a run may go on after its timeout cancelled it; then it is "
                         "abandoned: its transaction rolled back, the job errored, a new worker "
                         "started in its place.",
          .example = "30",
      },
      {
          .path = "jobs.shutdown_grace_s",
          .type = HostKeyType::integer,
          .default_value = "30",
          .min = 0,
          .max = 86400,
          .description = "On SIGTERM, how long running jobs may take to finish before they are "
                         "cancelled.",
          .example = "60",
      },
      {
          .path = "plugins",
          .type = HostKeyType::map,
          .description = "One section per plugin, by plugin name; each plugin's settings are "
                         "checked against that plugin's own settings schema when it is loaded.",
          .example = "{ zabbix: { url: \"https://zabbix.example.com\", token: "
                     "\"${ZABBIX_TOKEN}\" } }",
          .free_keys = true,
      },
      {
          .path = "schedules",
          .type = HostKeyType::map,
          .description =
              "When job types run, by job type: `every: 30m` or `cron: \"*/15 * * * *\"` "
              "(with `time_zone:`), and optionally `jitter:`, `enabled:`, `params:`. "
              "Overrides a job type's default schedule; `enabled: false` turns it off.",
          .example = "{ zabbix.host_config_sync_refresh: { every: 60m, jitter: 30s } }",
          .free_keys = true,
      },
  };
}

}  // namespace

const std::vector<HostKey>& host_schema() {
  static const std::vector<HostKey> schema = make_host_schema();
  return schema;
}

const HostKey* find_host_key(std::string_view path) {
  for (const HostKey& key : host_schema()) {
    if (key.path == path) return &key;
  }
  return nullptr;
}

std::string_view host_key_name(const HostKey& key) {
  const auto dot = key.path.rfind('.');
  return dot == std::string_view::npos ? key.path : key.path.substr(dot + 1);
}

std::string_view host_key_parent(const HostKey& key) {
  const auto dot = key.path.rfind('.');
  return dot == std::string_view::npos ? std::string_view{} : key.path.substr(0, dot);
}

std::string_view to_string(HostKeyType type) {
  switch (type) {
    case HostKeyType::string:
      return "string";
    case HostKeyType::integer:
      return "integer";
    case HostKeyType::boolean:
      return "boolean";
    case HostKeyType::string_list:
      return "list of strings";
    case HostKeyType::choice:
      return "one of";
    case HostKeyType::map:
      return "map";
    case HostKeyType::choice_map:
      return "map of names to one of";
  }
  return "unknown";
}

}  // namespace jobhost::config
