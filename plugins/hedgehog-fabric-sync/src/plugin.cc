// hedgehog-fabric-sync: mirrors each Hedgehog fabric's Kubernetes custom resources (switches,
// connections, VPCs, ...) into the store on the fabric's own schedule, and says per fabric
// whether the mirror is current. Built against the jobhost SDK only.
#include <jobhost/sdk.hpp>

#include "fabric_schedules.h"
#include "fabric_tables.h"
#include "jobs.h"

namespace {

void define_settings(jobhost::Plugin& plugin) {
  using jobhost::Type;
  plugin.setting("fabrics[]", Type::list)
      .describe("The fabrics to sync, each a map with the keys below");
  plugin.setting("fabrics[].name", Type::string)
      .required()
      .describe("The fabric's name: its schedule's and jobs' key (letters, digits, - _ .)");
  plugin.setting("fabrics[].url", Type::string)
      .required()
      .describe("Kubernetes API server of the fabric's control node, e.g. https://10.0.0.1:6443");
  plugin.setting("fabrics[].token", Type::string)
      .secret()
      .describe(
          "Bearer token of a service account that may list the Hedgehog resources, e.g. "
          "${HH_TOKEN} or ${file:/etc/jobhost/hh-token}");
  plugin.setting("fabrics[].ca_file", Type::string)
      .describe("CA certificate that signed the API server's certificate (default: system CAs)");
  plugin.setting("fabrics[].insecure_skip_tls_verify", Type::boolean)
      .default_value("false")
      .describe("Skip TLS certificate verification (never outside a lab)");
  plugin.setting("fabrics[].namespace", Type::string)
      .default_value("default")
      .describe("Namespace holding the fabric's resources");
  plugin.setting("fabrics[].sync_enabled", Type::boolean)
      .default_value("true")
      .describe("Sync this fabric on its schedule (manual syncs work either way)");
  plugin.setting("fabrics[].sync_interval", Type::integer)
      .default_value("300")
      .min(0)
      .max(604800)
      .describe("Seconds between syncs; 0 = no automatic sync");
  plugin.setting("timeout_s", Type::number)
      .default_value("30")
      .min(1)
      .max(3600)
      .describe("Seconds one request to an API server may take");
  plugin.setting("connect_timeout_s", Type::number)
      .default_value("10")
      .min(1)
      .max(600)
      .describe("Seconds to connect to an API server");
  plugin.setting("page_size", Type::integer)
      .default_value("500")
      .min(1)
      .max(10000)
      .describe("Objects per list request (Kubernetes `limit`)");
  plugin.setting("max_in_flight", Type::integer)
      .default_value("4")
      .min(1)
      .max(32)
      .describe("Requests to one API server at once");
  plugin.setting("retry_429", Type::integer)
      .default_value("4")
      .min(0)
      .max(100)
      .describe(
          "429 answers (API Priority and Fairness) waited out per request, as Retry-After asks, "
          "before the sync errors");
}

void define_jobs(jobhost::Plugin& plugin) {
  using jobhost::Type;
  plugin.job(hfs::kFabricSync)
      .describe(
          "Mirror one fabric's Hedgehog resources (12 kinds) into the store: add, update and "
          "delete objects, record counts and the sync state")
      .required_param("fabric", Type::string, "The fabric's name")
      .singleton("fabric")
      .timeout(900)
      .retries(4, 30, 600)
      .run(hfs::fabric_sync);
  plugin.job("hedgehog.test_connection")
      .describe("Check one fabric's API server: /version and one list per kind (writes nothing)")
      .required_param("fabric", Type::string, "The fabric's name")
      .key("fabric")
      .timeout(120)
      .run(hfs::test_connection);
  plugin.job("hedgehog.status")
      .describe("Per fabric: sync status, last and next sync, object counts and error (read-only)")
      .timeout(60)
      .read_only()  // the host's API and dashboard ask it without recording a job
      .run(hfs::status);
  plugin.job("hedgehog.forget_fabric")
      .describe("Delete the synced objects of a fabric that is no longer configured")
      .required_param("fabric", Type::string, "The fabric's name")
      .singleton("fabric")
      .timeout(600)
      .run(hfs::forget_fabric);
}

}  // namespace

JOBHOST_PLUGIN("hedgehog-fabric-sync", "0.1.0",
               "Mirrors Hedgehog fabrics' Kubernetes resources, one schedule per fabric") {
  define_settings(plugin);
  define_jobs(plugin);
  plugin.migration(1, "any", "fabrics and their mirrored objects", hfs::kSchemaV1);
  plugin.on_init(hfs::apply_fabric_schedules).on_reconfigure(hfs::apply_fabric_schedules);
}
