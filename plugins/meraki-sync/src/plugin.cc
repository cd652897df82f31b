// meraki-sync: keeps an inventory of Meraki organizations, networks (as sites) and devices in
// step with the Meraki Dashboard, on a schedule, in one of three modes: auto (apply), review
// (stage change sets for approval) or dry_run (report only). Built against the jobhost SDK only.
#include <jobhost/sdk.hpp>

#include "inventory_tables.h"
#include "jobs.h"

namespace {

void define_settings(jobhost::Plugin& plugin) {
  using jobhost::Type;
  plugin.setting("api_key", Type::string)
      .required()
      .secret()
      .describe(
          "Meraki Dashboard API key, e.g. ${MERAKI_API_KEY} or ${file:/etc/jobhost/meraki-key}");
  plugin.setting("base_url", Type::string)
      .default_value("https://api.meraki.com/api/v1")
      .describe(
          "API base URL; regional clouds: https://api.meraki.ca/api/v1, api.meraki.cn, "
          "api.meraki.in, api.gov-meraki.com");
  plugin.setting("auth_header", Type::string)
      .default_value("bearer")
      .choices("bearer|legacy")
      .describe("bearer: Authorization: Bearer <key>; legacy: X-Cisco-Meraki-API-Key");
  plugin.setting("organizations", Type::list)
      .describe("Organization ids to sync (default: every organization the key can see)");
  plugin.setting("enable_scheduled_sync", Type::boolean)
      .default_value("false")
      .describe("Sync on a schedule, every sync_interval_minutes");
  plugin.setting("sync_interval_minutes", Type::integer)
      .default_value("60")
      .min(5)
      .max(10080)
      .describe("Minutes between scheduled syncs (minimum 5, at most a week)");
  plugin.setting("scheduled_sync_mode", Type::string)
      .default_value("review")
      .choices("auto|review|dry_run")
      .describe(
          "What a scheduled sync does with the changes: auto applies them, review stages them "
          "for approval, dry_run only reports them (also the default of a manual sync)");
  plugin.setting("rate_limit_per_s", Type::number)
      .default_value("10")
      .min(0.1)
      .max(100)
      .describe("Requests a second per organization (Meraki allows 10)");
  plugin.setting("rate_limit_burst", Type::number)
      .default_value("10")
      .min(1)
      .max(100)
      .describe("Requests per organization that may go at once after a pause (Meraki: 10)");
  plugin.setting("retry_429", Type::integer)
      .default_value("20")
      .min(0)
      .max(1000)
      .describe("429 answers waited out (Retry-After) per request before the sync errors");
  plugin.setting("timeout_s", Type::number)
      .default_value("60")
      .min(1)
      .max(3600)
      .describe("Seconds one request may take");
  plugin.setting("connect_timeout_s", Type::number)
      .default_value("10")
      .min(1)
      .max(600)
      .describe("Seconds to connect");
  plugin.setting("ca_file", Type::string)
      .describe("CA bundle to verify the API's certificate with (default: system CAs)");
  plugin.setting("max_in_flight", Type::integer)
      .default_value("8")
      .min(1)
      .max(64)
      .describe("Requests at once (all organizations together)");
}

void define_jobs(jobhost::Plugin& plugin) {
  using jobhost::Type;
  plugin.job(mks::kSync)
      .describe(
          "Fetch organizations, networks, devices and device statuses (org-wide endpoints) and "
          "apply, stage for review or report the changes to the inventory")
      .param("mode", Type::string, {},
             "auto, review or dry_run (default: the scheduled_sync_mode setting)")
      .singleton()
      .min_interval(300)
      .timeout(3600)
      .retries(3, 60, 900)
      .run(mks::sync);
  plugin.job("meraki.approve")
      .describe("Apply a pending change set of the review queue to the inventory")
      .required_param("change_set", Type::integer, "The change set's id (meraki.changes)")
      .singleton()
      .timeout(600)
      .run(mks::approve);
  plugin.job("meraki.reject")
      .describe("Reject a pending change set: the inventory stays as it is")
      .required_param("change_set", Type::integer, "The change set's id (meraki.changes)")
      .param("reason", Type::string, {}, "Why, kept with the set")
      .timeout(60)
      .run(mks::reject);
  plugin.job("meraki.changes")
      .describe("List the review queue's change sets, or one set's changes (read-only)")
      .param("change_set", Type::integer, {}, "Show this set and its changes")
      .param("status", Type::string, "pending",
             "pending, approved, rejected, superseded, stale or all")
      .param("limit", Type::integer, "100", "At most this many sets or changes")
      .timeout(60)
      .run(mks::changes);
  plugin.job("meraki.status")
      .describe(
          "Scheduling (last and next scheduled sync), the last sync, the inventory per "
          "organization and the pending change sets (read-only)")
      .timeout(60)
      .read_only()  // the host's API and dashboard ask it without recording a job
      .run(mks::status);
  plugin.job("meraki.test_connection")
      .describe(
          "Check the API key and base URL: list the organizations it can see (writes nothing)")
      .timeout(120)
      .run(mks::test_connection);
}

}  // namespace

JOBHOST_PLUGIN("meraki-sync", "0.1.0",
               "Syncs Meraki organizations, networks and devices: auto, review or dry-run") {
  define_settings(plugin);
  define_jobs(plugin);
  plugin.migration(1, "any", "inventory, review queue and its lock", mks::kSchemaV1);
  plugin.on_init(mks::apply_schedule).on_reconfigure(mks::apply_schedule);
}
