// zabbix-host-sync: is each host's configuration in Zabbix still what it should be?
// Desired configurations (HostConfigs) are imported into the plugin's table; a scheduled
// refresh compares them with Zabbix in bulk and records the differences; an opt-in
// remediation pushes them. Built against the jobhost SDK only.
#include <jobhost/sdk.hpp>

#include "config_table.h"
#include "jobs.h"

namespace {

using zhs::kRefresh;

void define_settings(jobhost::Plugin& plugin) {
  using jobhost::Type;
  plugin.setting("url", Type::string)
      .describe("Zabbix frontend URL (or its api_jsonrpc.php), e.g. https://zabbix.example.com");
  plugin.setting("token", Type::string)
      .secret()
      .describe("Zabbix API token (Users > API tokens); e.g. ${ZABBIX_TOKEN} or ${file:/path}");
  plugin.setting("auth_method", Type::string)
      .default_value("auto")
      .choices("auto|bearer|body")
      .describe(
          "How the token is sent: auto (Bearer header), bearer, or body (the deprecated "
          "`auth` field; refused by Zabbix 7.2+)");
  plugin.setting("ca_file", Type::string).describe("CA bundle for Zabbix's TLS certificate");
  plugin.setting("tls_verify", Type::boolean)
      .default_value("true")
      .describe("Verify Zabbix's TLS certificate (keep on outside of a lab)");
  plugin.setting("timeout_s", Type::number)
      .default_value("30")
      .min(1)
      .max(3600)
      .describe("Seconds a Zabbix request may take");
  plugin.setting("connect_timeout_s", Type::number)
      .default_value("10")
      .min(1)
      .max(600)
      .describe("Seconds to connect to Zabbix");
  plugin.setting("batch_size", Type::integer)
      .default_value("500")
      .min(1)
      .max(10000)
      .describe("Hosts checked per host.get request");
  plugin.setting("max_in_flight", Type::integer)
      .default_value("4")
      .min(1)
      .max(64)
      .describe("Requests to Zabbix at once");
  plugin.setting("retry_429", Type::integer)
      .default_value("4")
      .min(0)
      .max(100)
      .describe(
          "429 answers (a rate-limiting proxy in front of Zabbix) waited out per request, as "
          "Retry-After asks, before the run errors");
  plugin.setting("host_config_sync_interval", Type::integer)
      .default_value("60")
      .min(0)
      .max(525600)
      .describe("Minutes between sync refreshes; 0 leaves the refresh unscheduled");
  plugin.setting("cutoff_host_config_sync", Type::integer)
      .default_value("60")
      .min(0)
      .max(525600)
      .describe("A refresh checks HostConfigs last checked more than this many minutes ago");
  plugin.setting("remediation.allow_apply", Type::boolean)
      .default_value("false")
      .describe("Let zabbix.remediate write to Zabbix (without it, only dry runs)");
}

void define_jobs(jobhost::Plugin& plugin) {
  using jobhost::Type;
  plugin.job(kRefresh)
      .describe(
          "Check HostConfigs not checked since the cutoff against Zabbix; record in_sync, "
          "the time and the differences")
      .param("cutoff", Type::integer, {}, "Minutes; overrides the cutoff_host_config_sync setting")
      .singleton()
      .timeout(3600)
      .retries(3, 60, 900)
      .run(zhs::refresh_sync_status);
  plugin.job("zabbix.import_host_configs")
      .describe("Import desired HostConfigs from a YAML or JSON file (all or nothing)")
      .required_param("file", Type::string, "Path of the file, as the host sees it")
      .param("replace", Type::boolean, "false", "Also remove HostConfigs not in the file")
      .singleton()
      .timeout(600)
      .run(zhs::import_host_configs);
  plugin.job("zabbix.remediate")
      .describe(
          "Push the desired config of out-of-sync or missing hosts to Zabbix; a dry run "
          "unless apply=true and remediation.allow_apply is set")
      .param("apply", Type::boolean, "false", "Write to Zabbix (else report what would be done)")
      .param("host", Type::string, {}, "Only this host (technical name)")
      .param("limit", Type::integer, "0", "At most this many hosts (0: all)")
      .singleton()
      .timeout(3600)
      .run(zhs::remediate);
  plugin.job("zabbix.report")
      .describe(
          "Show the HostConfigs' sync state: counts, and the hosts in one state with their "
          "differences (read-only)")
      .param("state", Type::string, "out_of_sync", "all, in_sync, out_of_sync, failed or unchecked")
      .param("host", Type::string, {}, "Only this host (technical name)")
      .param("limit", Type::integer, "100", "At most this many hosts in the list")
      .timeout(300)
      .read_only()  // it only queries the table
      .run(zhs::report);
  plugin.job("zabbix.status")
      .describe(
          "For a dashboard: hosts in sync, out of sync, failed and never checked; the "
          "out-of-sync and failed hosts (up to `limit` each); the last and next refresh "
          "(read-only)")
      .param("limit", Type::integer, "50", "At most this many hosts in each list")
      .timeout(60)
      .read_only()  // the host's API and dashboard ask it without recording a job
      .run(zhs::status);
}

// The refresh's rhythm comes from the plugin's setting, as in the plugin it replaces: one
// schedule (the registry keeps one per job type and key, so a changed interval replaces it).
// Called unconditionally: a `schedules:` entry for the refresh in the host's YAML wins, and the
// host then keeps that schedule whatever this asks for (set or remove).
void schedule_refresh(jobhost::Context& ctx) {
  const int64_t minutes = ctx.setting_or<int64_t>("host_config_sync_interval", 60);
  if (ctx.setting_or<std::string>("url", "").empty() || minutes == 0) {
    if (ctx.unschedule(kRefresh, ""))
      ctx.info("zabbix-host-sync: refresh unscheduled (no url, or host_config_sync_interval 0)");
    return;
  }
  ctx.schedule(kRefresh, "", "every " + std::to_string(minutes) + "m");
}

}  // namespace

JOBHOST_PLUGIN("zabbix-host-sync", "0.1.0",
               "Checks that each host's configuration in Zabbix is what its HostConfig says") {
  define_settings(plugin);
  define_jobs(plugin);
  plugin.migration(1, "any", "HostConfigs and their sync state", zhs::kSchemaV1);
  plugin.on_init(schedule_refresh).on_reconfigure(schedule_refresh);
}
