/*
 * jobhost plugin ABI, major version 1.
 *
 * This is the only contract between the jobhost host and a plugin (.so). It is plain C so
 * that a plugin built with any compiler, standard library or SDK release of major 1 keeps
 * loading in every later host of major 1.
 *
 * Rules that keep it stable (see docs/plugin-abi.md):
 *  - One exported function, `jobhost_plugin_v1`, returns the plugin's descriptor. A breaking
 *    change would add `jobhost_plugin_v2`; nothing in major 1 is ever edited or reordered.
 *  - Every struct that crosses the boundary and may grow starts with its size (or is handed
 *    over together with its size). Structs and the host-service table only grow at their
 *    end; each later field is marked with the minor version that added it.
 *  - The host loads a plugin when the majors are equal and the plugin's minor is not newer
 *    than the host's. It reads only the fields both know about and zero-fills the rest. A
 *    field that fits in an older struct's tail padding (the size does not change) is read only
 *    from plugins of its minor or later: padding bytes need not be zero.
 *  - Only C types cross. Strings are UTF-8 and NUL-terminated unless a length is given;
 *    structured data is JSON text. Nothing is freed by the other side's allocator: every
 *    handle the host returns has a paired release function in the same table.
 *  - Errors are status codes plus a message. The host copies messages the plugin reports;
 *    the messages the host reports stay valid until the next call on the same context.
 *
 * Ownership summary: pointers the plugin hands the host (descriptor, job types, strings in
 * them) must stay valid while the library is loaded; pointers the host hands the plugin are
 * valid as documented at each function, never longer than the context they came from.
 */
#ifndef JOBHOST_PLUGIN_API_H
#define JOBHOST_PLUGIN_API_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Versions ------------------------------------------------------------------------ */

#define JH_ABI_MAJOR 1
/* The newest minor this header describes.
 * 1.0: the initial ABI.
 * 1.1: schedule_set / schedule_remove (per-object schedules registered by the plugin).
 * 1.2: reconfigure (settings changed by a reload), schedule_list and latest_jobs (what the
 *      host knows of the plugin's schedules and runs).
 * 1.3: min_interval_s of a job type (the shortest interval any schedule of it may have); rate
 *      limits and 429 handling for HTTP requests (rate_key, rate_per_s, rate_burst, retry_429).
 * 1.4: read_only of a job type (a query the host may run outside the job queue, e.g. for its
 *      HTTP API and dashboard, without recording a job). */
#define JH_ABI_MINOR 4
/* Version of the SDK release (headers, C++ wrapper, CMake package). */
#define JH_SDK_VERSION "0.1.0"

/* A plugin may target an older minor than the header's, to load in older hosts; the header
 * then hides what that minor does not have, so it cannot be used by accident. */
#ifndef JH_TARGET_MINOR
#define JH_TARGET_MINOR JH_ABI_MINOR
#endif
#define JH_TARGETS_MINOR(m) (JH_TARGET_MINOR >= (m))

#if defined(__GNUC__) || defined(__clang__)
#define JH_EXPORT __attribute__((visibility("default")))
#else
#define JH_EXPORT
#endif

/* ---- Status codes -------------------------------------------------------------------- */

typedef int32_t jh_status;
enum {
  JH_OK = 0,
  JH_ERROR = 1,            /* generic failure; the message says why */
  JH_FAILED = 2,           /* run() only: the job ran and reports a failure result */
  JH_INVALID_ARGUMENT = 3, /* a NULL or malformed argument, or a value of the wrong type */
  JH_NOT_FOUND = 4,        /* no such setting, parameter or column */
  JH_CANCELLED = 5,        /* the run was cancelled (timeout, shutdown) */
  JH_SQL_ERROR = 6,        /* the database refused the statement */
  JH_HTTP_ERROR = 7,       /* transport failure: connect, TLS, timeout (not an HTTP 4xx/5xx) */
  JH_UNSUPPORTED = 8,      /* the service is not available in this context */
  JH_CONFLICT = 9          /* e.g. a singleton slot is already taken */
};

/* ---- Opaque handles ------------------------------------------------------------------ */

/* A context is what the host lends the plugin for a while: the plugin context (passed to
 * init, valid until shutdown returns) or a run context (passed to a job's run function,
 * valid until that call returns). Services that only make sense in a run (SQL, events,
 * progress, parameters) answer JH_UNSUPPORTED in the plugin context. */
typedef struct jh_context jh_context;
/* The result of sql_query; release with rows_release. */
typedef struct jh_rows jh_rows;

/* ---- Values -------------------------------------------------------------------------- */

enum {
  JH_VALUE_NULL = 0,
  JH_VALUE_INT = 1,  /* 64-bit integer; booleans are 0/1 */
  JH_VALUE_REAL = 2, /* double */
  JH_VALUE_TEXT = 3, /* UTF-8 text, text.len bytes, not necessarily NUL-terminated */
  JH_VALUE_JSON = 4  /* JSON text (objects and arrays from settings or parameters) */
};

/* A typed value: SQL parameters and columns, settings and job parameters. The size of this
 * struct is frozen (24 bytes) because arrays of it cross the boundary. */
typedef struct jh_value {
  int32_t type; /* JH_VALUE_* */
  int32_t reserved;
  union {
    int64_t i;
    double r;
    struct {
      const char* ptr;
      size_t len;
    } text;
  } u;
} jh_value;

/* ---- What a plugin declares ---------------------------------------------------------- */

enum {
  JH_TYPE_STRING = 1,
  JH_TYPE_INTEGER = 2,
  JH_TYPE_NUMBER = 3,
  JH_TYPE_BOOLEAN = 4,
  JH_TYPE_LIST = 5,  /* settings only: a list of scalars */
  JH_TYPE_OBJECT = 6 /* settings only: any map, handed over as JSON */
};

/* One parameter of a job type. Parameters arrive validated: required ones present, types
 * checked, defaults filled in. */
typedef struct jh_param_v1 {
  const char* name;
  int32_t type; /* JH_TYPE_STRING .. JH_TYPE_BOOLEAN */
  int32_t required;
  const char* default_value; /* text form ("30", "true"); NULL = no default */
  const char* description;
} jh_param_v1;

/* One key of the plugin's section in the host's YAML (`plugins: <name>: ...`). The host
 * validates the section against these (type, range, choices), reporting file:line:column,
 * and hands the plugin the resolved values. A path segment ending in "[]" is a list of
 * maps: "fabrics[].sync_interval". */
typedef struct jh_setting_v1 {
  const char* path;
  int32_t type; /* JH_TYPE_* */
  int32_t required;
  const char* default_value; /* text form; NULL = no default */
  const char* description;
  int32_t has_min, has_max;
  double min, max;     /* numbers: value range; strings and lists: not used */
  const char* choices; /* strings: allowed values separated by '|', NULL = any */
  int32_t secret;      /* never logged, shown or returned by the API */
} jh_setting_v1;

/* A job type's run function. `user_data` is the job type's own; `api` is the host-service
 * table (the same one init received); `run` is the run context. Return JH_OK when the job
 * completed, JH_FAILED when it ran but reports failure (its writes are committed with the
 * failed status), anything else when it errored (its writes are rolled back). Before
 * returning an error, call api->set_error(run, "why"); an error without a message is
 * recorded as such. The function runs on a worker thread; several runs of the same plugin
 * may run at once on different threads. */
typedef struct jh_host_api_v1 jh_host_api_v1;
typedef jh_status (*jh_run_fn)(void* user_data, const jh_host_api_v1* api, jh_context* run);

typedef struct jh_job_type_v1 {
  const char* name; /* "<plugin>.<job>", or "<first word of plugin>.<job>": plugin
                     * "zabbix-host-sync" may name "zabbix.host_config_sync_refresh" */
  const char* description;
  const jh_param_v1* params;
  uint32_t param_count;
  uint32_t param_size; /* sizeof(jh_param_v1) as the plugin was built */
  /* Default schedule: NULL for none, "every 30m", "every 300s", or "cron M H DoM Mon DoW"
   * (five cron fields, e.g. every quarter hour: minutes 0,15,30,45). */
  const char* default_schedule;
  int32_t singleton; /* 1: at most one pending or running job of this type (per key) */
  /* Name of the parameter whose value is the job's key (one Hedgehog fabric, say): a
   * singleton then holds per key, and schedules can be registered per key. NULL = none. */
  const char* key_param;
  uint32_t timeout_s;           /* 0 = the host's default */
  uint32_t max_attempts;        /* errored runs are retried up to this many attempts; 0 = 1 */
  uint32_t retry_backoff_s;     /* first retry delay, doubled each attempt (with jitter) */
  uint32_t retry_backoff_max_s; /* cap for the delay; 0 = no cap */
  jh_run_fn run;
  void* user_data;
#if JH_TARGETS_MINOR(3)
  /* 1.3: the shortest interval between two scheduled runs, in seconds; 0 = no minimum. The
   * host refuses every schedule of the type that would run more often (the default, the YAML
   * `schedules:` section, schedule_set), whoever sets it: a remote API's fair-use rule holds
   * however the schedule is changed. Triggers and run-now are not schedules. */
  uint32_t min_interval_s;
#endif
#if JH_TARGETS_MINOR(4)
  /* 1.4: 1 when a run only reads: SQL queries, settings, schedule_list, latest_jobs, HTTP GET
   * and HEAD; no sql_exec or sql_exec_many, no events, no other HTTP methods, no schedule_set
   * or schedule_remove. The host may then also run it as a query, outside the job queue (its
   * HTTP API, the dashboard): no job is recorded, its transaction is always rolled back, and the
   * services that write refuse (JH_UNSUPPORTED). It still runs as an ordinary job when
   * triggered. job_id() is 0 in a query.
   * This field lies in what was the tail padding of the 1.3 struct, so sizeof does not grow:
   * the host reads it only from plugins that claim minor 4 or later, never from the padding
   * of an older plugin's elements. */
  uint8_t read_only;
#endif
} jh_job_type_v1;

/* One schema migration of the plugin's own tables. Per plugin, versions start at 1 and
 * are applied in order, each once, all pending ones in one transaction at host start. A
 * migration is given per dialect ("sqlite", "postgresql") or for both ("any"); several
 * statements may be separated by ';'. Applied migrations must never change. */
typedef struct jh_migration_v1 {
  uint32_t version;
  const char* dialect;
  const char* description;
  const char* sql;
} jh_migration_v1;

/* The descriptor returned by jobhost_plugin_v1. The first three fields are the frozen
 * prefix: the host reads them before anything else. */
typedef struct jh_plugin_v1 {
  uint32_t struct_size; /* sizeof(jh_plugin_v1) as the plugin was built */
  uint16_t abi_major;   /* JH_ABI_MAJOR */
  uint16_t abi_minor;   /* JH_TARGET_MINOR */
  /* 1.0 */
  const char* name; /* short, lower case: "zabbix"; job type names start with "<name>." */
  const char* version;
  const char* sdk_version; /* JH_SDK_VERSION it was built with */
  const char* description;
  const jh_job_type_v1* job_types;
  uint32_t job_type_count;
  uint32_t job_type_size;
  const jh_migration_v1* migrations;
  uint32_t migration_count;
  uint32_t migration_size;
  const jh_setting_v1* settings;
  uint32_t setting_count;
  uint32_t setting_size;
  /* Called once after the plugin's migrations are applied, with its settings resolved.
   * Return JH_OK, or an error after api->set_error(plugin_ctx, "why"): the host then
   * refuses the plugin, showing the message, and unloads it. May be NULL. */
  jh_status (*init)(void* user_data, const jh_host_api_v1* api, jh_context* plugin_ctx);
  /* Called once before the library is unloaded, after the last run returned. May be NULL. */
  void (*shutdown)(void* user_data);
  void* user_data;
#if JH_TARGETS_MINOR(2)
  /* 1.2: called when a reload (SIGHUP, `jobhost reload`) changed the plugin's settings; the
   * plugin context already holds the new ones. Runs already under way keep the settings they
   * started with; runs may go on while this is called, on another thread. Return JH_OK, or an
   * error after api->set_error: the host logs it and goes back to the previous settings, so
   * check everything before changing anything. NULL: the plugin cannot take new settings
   * without a restart (the host keeps the old ones and says so). */
  jh_status (*reconfigure)(void* user_data, const jh_host_api_v1* api, jh_context* plugin_ctx);
#endif
} jh_plugin_v1;

/* What the host tells the plugin about itself when it asks for the descriptor. */
typedef struct jh_host_info {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;
  const char* host_version;
} jh_host_info;

/* ---- Services the host lends a plugin ------------------------------------------------ */

enum { JH_LOG_TRACE = 0, JH_LOG_DEBUG = 1, JH_LOG_INFO = 2, JH_LOG_WARN = 3, JH_LOG_ERROR = 4 };

/* An entry in the event log (jobhost events). Everything but message may be NULL. */
typedef struct jh_event_v1 {
  const char* message;
  int32_t level;              /* JH_LOG_*; 0 is read as JH_LOG_INFO */
  const char* data_json;      /* JSON, any shape */
  const char* pre_data_json;  /* JSON: state before the change */
  const char* post_data_json; /* JSON: state after the change */
  const char* signal_id;      /* correlates events of one cause */
} jh_event_v1;

/* The job's outcome, stored as its job data {status, result, data, pre_data, post_data,
 * signal_id}. Everything may be NULL; the last call wins. */
typedef struct jh_output_v1 {
  const char* result_json;
  const char* data_json;
  const char* pre_data_json;
  const char* post_data_json;
  const char* signal_id;
} jh_output_v1;

typedef struct jh_http_header {
  const char* name;
  const char* value;
} jh_http_header;

/* A zero-filled request is a GET with the host's default timeouts and TLS verification. */
typedef struct jh_http_request_v1 {
  const char* method; /* NULL = "GET" */
  const char* url;
  const jh_http_header* headers;
  uint32_t header_count;
  const char* body;
  size_t body_len;
  uint32_t connect_timeout_ms; /* 0 = 10 000 */
  uint32_t timeout_ms;         /* 0 = 60 000; also bounded by the run's deadline */
  int32_t tls_insecure;        /* 1 disables certificate verification (never the default) */
  const char* ca_file;         /* PEM bundle; NULL = the system's */
  uint32_t max_redirects;      /* 0 = return redirects to the caller */
#if JH_TARGETS_MINOR(3)
  /* 1.3: a remote API's rate limit, kept by the host. The plugin's requests naming the same
   * rate_key share a token bucket of rate_per_s tokens a second holding at most rate_burst
   * (the latest request's values win); the bucket starts full. A request waits for a token
   * before it is sent (the wait ends with the run's cancellation or deadline); requests of
   * other keys go ahead meanwhile. A 429 answer holds the key's bucket until its Retry-After
   * has passed (seconds or an HTTP date; without one 1 s, doubling) and the request is sent
   * again, at most retry_429 times; after that the 429 comes back. NULL: no limit, no retry.
   * rate_per_s <= 0 with a key: no pacing, but 429s are still waited out. */
  const char* rate_key;
  double rate_per_s;
  double rate_burst; /* < 1 counts as 1 */
  uint32_t retry_429;
#endif
} jh_http_request_v1;

/* A response, owned by the host until http_response_release. A status >= 400 is a
 * response, not an error; transport failures are JH_HTTP_ERROR with a message instead. */
typedef struct jh_http_response_v1 {
  int32_t status;
  const char* body;
  size_t body_len;
  const jh_http_header* headers;
  uint32_t header_count;
  const char* effective_url;
#if JH_TARGETS_MINOR(3)
  /* 1.3 (a host of an older minor refuses a 1.3 plugin, so these are always there). */
  uint32_t rate_limited; /* 429 answers the host waited out and sent again before this one */
  uint64_t rate_wait_us; /* time the request waited for its rate limit's tokens */
#endif
} jh_http_response_v1;

/* The table of host services, passed to init and to every run. It only grows at its end;
 * a plugin built against an older minor sees a prefix of it. Check struct_size before
 * calling a slot newer than the minor you target (the C++ wrapper does this). */
struct jh_host_api_v1 {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;

  /* -- 1.0: errors ---------------------------------------------------------------------- */
  /* Message of the last failed call on this context. Owned by the host; valid until the
   * next call on the same context. Never NULL ("" when there is none). */
  const char* (*last_error)(jh_context* ctx);
  /* Report why init or run fails. The host copies the text. */
  void (*set_error)(jh_context* ctx, const char* message);

  /* -- 1.0: log ------------------------------------------------------------------------- */
  /* fields_json: NULL or a JSON object of structured fields. */
  void (*log)(jh_context* ctx, int32_t level, const char* message, const char* fields_json);
  int32_t (*log_enabled)(jh_context* ctx, int32_t level);

  /* -- 1.0: settings (the plugin's YAML section, validated against its schema) ---------- */
  /* path is dotted ("fabrics", "zabbix.url"). Text and JSON are owned by the host and valid
   * while the context lives. JH_NOT_FOUND when absent and without default. */
  jh_status (*setting_get)(jh_context* ctx, const char* path, jh_value* out);
  /* The whole section as a JSON object, defaults applied. Valid while the context lives. */
  const char* (*settings_json)(jh_context* ctx);

  /* -- 1.0: the run ---------------------------------------------------------------------- */
  int64_t (*job_id)(jh_context* run);
  /* Attempt number of this run, from 1. */
  int32_t (*job_attempt)(jh_context* run);
  /* The job's key (see key_param) or "" when it has none. Valid while the run lives. */
  const char* (*job_key)(jh_context* run);
  /* One parameter, validated and with its default applied. Text valid while the run lives. */
  jh_status (*param_get)(jh_context* run, const char* name, jh_value* out);
  /* All parameters as a JSON object. Valid while the run lives. */
  const char* (*params_json)(jh_context* run);
  /* 1 when the run should stop as soon as it can (timeout, shutdown), else 0. Long loops
   * should check it; HTTP calls and SQL waits check it for you. */
  int32_t (*cancelled)(jh_context* run);
  /* Progress for people watching: done out of total (total 0 = unknown), and a message
   * (may be NULL). Cheap to call often: the host keeps the latest. */
  void (*progress)(jh_context* run, int64_t done, int64_t total, const char* message);
  /* Record the job's outcome (see jh_output_v1). size = sizeof(jh_output_v1). */
  jh_status (*set_output)(jh_context* run, const jh_output_v1* output, size_t size);
  /* Add an event to the event log, inside the run's transaction: it is kept when the run
   * commits and gone when it rolls back. size = sizeof(jh_event_v1). */
  jh_status (*event_emit)(jh_context* run, const jh_event_v1* event, size_t size);

  /* -- 1.0: SQL inside the run's transaction -------------------------------------------- */
  /* "sqlite" or "postgresql". Static string. */
  const char* (*sql_dialect)(jh_context* ctx);
  /* Execute one statement with bound parameters. Placeholders are :name or :1, :2, ...
   * and bind in order of appearance; never splice values into SQL text. affected_rows may
   * be NULL. On JH_SQL_ERROR, last_error has the database's message. */
  jh_status (*sql_exec)(jh_context* run, const char* sql, const jh_value* params,
                        uint32_t param_count, int64_t* affected_rows);
  /* Execute one statement row_count times, prepared once; params holds row_count rows of
   * params_per_row values. All rows or none (inside the run's transaction). */
  jh_status (*sql_exec_many)(jh_context* run, const char* sql, const jh_value* params,
                             uint32_t params_per_row, uint32_t row_count, int64_t* affected_rows);
  /* Run a query; on JH_OK *rows holds its result: step with rows_next, release with
   * rows_release (also when not read to the end). */
  jh_status (*sql_query)(jh_context* run, const char* sql, const jh_value* params,
                         uint32_t param_count, jh_rows** rows);
  /* Advance to the next row: 1 when a row is current, 0 at the end. */
  int32_t (*rows_next)(jh_rows* rows);
  uint32_t (*rows_column_count)(jh_rows* rows);
  /* Column name; valid until rows_release. */
  const char* (*rows_column_name)(jh_rows* rows, uint32_t column);
  /* A column of the current row. Text is valid until the next rows_next or rows_release.
   * Integers come back as JH_VALUE_INT, whatever the dialect declares. */
  jh_status (*rows_get)(jh_rows* rows, uint32_t column, jh_value* out);
  void (*rows_release)(jh_rows* rows);

  /* -- 1.0: HTTP through the host's client (libcurl) ------------------------------------ */
  /* On JH_OK *response is the host's until http_response_release. size = sizeof(request). */
  jh_status (*http_request)(jh_context* ctx, const jh_http_request_v1* request, size_t size,
                            jh_http_response_v1** response);
  /* count requests performed concurrently, at most max_in_flight at once; responses[i] (or
   * NULL with statuses[i] != JH_OK) for request i. Each non-NULL response is released with
   * http_response_release. size = sizeof(jh_http_request_v1). */
  jh_status (*http_request_many)(jh_context* ctx, const jh_http_request_v1* requests, size_t size,
                                 uint32_t count, uint32_t max_in_flight,
                                 jh_http_response_v1** responses, jh_status* statuses);
  void (*http_response_release)(jh_http_response_v1* response);
  /* Message of the failure of request i of the last http_request_many on this context;
   * valid until the next call on it. */
  const char* (*http_error_at)(jh_context* ctx, uint32_t index);

#if JH_TARGETS_MINOR(1)
  /* -- 1.1: per-object schedules ---------------------------------------------------------- */
  /* Creates or replaces the schedule of one of the plugin's job types for one object (`key`:
   * a fabric, an organization), e.g. "every 300s" or "cron 0 3 * * * in Europe/Berlin";
   * params_json (may be NULL) are the job's parameters, the key parameter is set from `key`.
   * There is one schedule per job type and key: calling again replaces it (a new rhythm
   * continues from its last run), never adds a second. In a run, it is part of the run's
   * transaction; in the plugin context (init), it is saved at once.
   * An empty `key` (for a job type without a key parameter) sets the job type's own schedule,
   * e.g. from a setting at init: it takes the place of the type's default schedule.
   * The operator's configuration wins: when the host's YAML has a `schedules:` entry for this
   * job type and key, the call leaves that schedule's spec, params and enabled flag as the YAML
   * says (the host stores the YAML's schedule if it is not stored yet, so it holds from the
   * first process on, before any reconcile) and returns JH_OK: the plugin did nothing wrong,
   * the operator chose. A bad schedule or params still fail as usual. Once the entry is removed
   * from the YAML, the plugin's next call applies again. So a plugin may call it
   * unconditionally, without checking the stored schedule's source. */
  jh_status (*schedule_set)(jh_context* ctx, const char* job_type, const char* key,
                            const char* schedule, const char* params_json);
  /* Removes that schedule (JH_NOT_FOUND if there was none). Jobs already queued still run.
   * A schedule the host's YAML configures (see schedule_set) is kept, with JH_OK: the host's
   * reconcile of the YAML owns it. */
  jh_status (*schedule_remove)(jh_context* ctx, const char* job_type, const char* key);
#endif

#if JH_TARGETS_MINOR(2)
  /* -- 1.2: reading the plugin's schedules ------------------------------------------------ */
  /* The schedules of one of the plugin's job types, one row per key, ordered by key, with the
   * columns key (text, "" for the type's own schedule), schedule (text), source (text:
   * "plugin", "config" or "default"), enabled (int 0/1), next_run_at, last_fired_at,
   * last_finished_at (int: microseconds since the epoch, or NULL) and last_outcome (text or
   * NULL). Step and release the rows as a query's. In a run it reads through the run's
   * transaction, so it sees the run's own schedule_set calls. */
  jh_status (*schedule_list)(jh_context* ctx, const char* job_type, jh_rows** rows);
  /* The most recent run of each key of one of the plugin's job types (the job that started
   * last; "" is the key of jobs without one), ordered by key, with the columns key (text),
   * job_id (int), status (text: running, completed, failed, errored, or scheduled for an
   * errored attempt waiting for its retry), error (text or NULL), started_at, finished_at,
   * retry_at (int: microseconds since the epoch, or NULL) and attempt (int). For status
   * reports: an errored run's own writes are rolled back, so only the host knows it failed. */
  jh_status (*latest_jobs)(jh_context* ctx, const char* job_type, jh_rows** rows);
#endif

  /* -- later minors add slots here, each commented with its minor ----------------------- */
};

/* The one symbol a plugin exports. `host` tells the plugin the host's ABI and version; the
 * returned descriptor must stay valid while the library is loaded. Return NULL to decline
 * (the host reports it). Define it with JOBHOST_PLUGIN (C++) or by hand (C). */
typedef const jh_plugin_v1* (*jh_plugin_entry_v1)(const jh_host_info* host);
#define JH_PLUGIN_ENTRY_V1 "jobhost_plugin_v1"

#ifdef __cplusplus
}
#endif

#endif /* JOBHOST_PLUGIN_API_H */
