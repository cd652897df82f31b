// zabbix.remediate: makes Zabbix match the HostConfigs found out of sync (host.update) or
// missing (host.create). Opt-in: a dry run unless both the job's `apply` parameter and the
// plugin's `remediation.allow_apply` setting say otherwise. Zabbix's state is read afresh, so
// the plan is what would be done now; applied hosts are checked again and stamped.
#include <map>

#include "config_table.h"
#include "jobs.h"
#include "sync_check.h"
#include "zabbix_client.h"
#include "zabbix_host.h"

namespace zhs {

namespace {

struct Plan {
  const StoredConfig* config;
  std::string hostid;  // empty: create
  std::vector<Difference> diffs;
};

constexpr size_t kListedActions = 100;  // the result lists this many; the counts cover all

}  // namespace

jobhost::Result remediate(jobhost::Run& run) {
  const bool apply = run.param<bool>("apply");
  const auto only = run.param<std::optional<std::string>>("host").value_or("");
  const int64_t limit = run.param<int64_t>("limit");
  if (apply && !run.setting_or<bool>("remediation.allow_apply", false))
    throw jobhost::Error(
        "remediation writes to Zabbix only when allowed: set "
        "plugins.zabbix-host-sync.remediation.allow_apply: true (or run without apply=true for "
        "a dry run)",
        JH_INVALID_ARGUMENT);

  ConfigTable table(run);
  std::vector<StoredConfig> candidates = table.needing_remediation(only);
  if (limit > 0 && candidates.size() > static_cast<size_t>(limit))
    candidates.resize(static_cast<size_t>(limit));
  ZabbixClient client(run, connection_from_settings(run));

  // What Zabbix has now, for every candidate.
  std::vector<Plan> plans;
  int64_t already = 0;
  if (!candidates.empty()) {
    const ApiVersion version = client.api();
    const size_t batch = std::max<size_t>(1, client.connection().batch_size);
    std::vector<nlohmann::json> params;
    for (size_t b = 0; b < candidates.size(); b += batch) {
      std::vector<std::string> names;
      for (size_t i = b; i < std::min(candidates.size(), b + batch); ++i)
        names.push_back(candidates[i].config.host);
      params.push_back(host_get_params(names, version));
    }
    std::map<std::string, ObservedHost> observed;
    for (const auto& result : client.call_many("host.get", params))
      for (const auto& h : result) {
        ObservedHost o = parse_host(h, version);
        observed.emplace(o.config.host, std::move(o));
      }
    for (const auto& c : candidates) {
      auto it = observed.find(c.config.host);
      if (it == observed.end()) {
        plans.push_back({&c, "", {}});
        continue;
      }
      auto diffs = compare(c.config, it->second.config);
      if (diffs.empty())
        ++already;
      else
        plans.push_back({&c, it->second.hostid, std::move(diffs)});
    }
  }

  nlohmann::json actions = nlohmann::json::array();
  int64_t creates = 0, updates = 0;
  for (const auto& p : plans) {
    (p.hostid.empty() ? creates : updates)++;
    if (actions.size() >= kListedActions) continue;
    nlohmann::json fields = nlohmann::json::array();
    for (const auto& d : p.diffs) fields.push_back(d.field);
    actions.push_back({{"host", p.config->config.host},
                       {"action", p.hostid.empty() ? "create" : "update"},
                       {"fields", fields}});
  }
  nlohmann::json result = {{"dry_run", !apply},          {"candidates", candidates.size()},
                           {"already_in_sync", already}, {"to_create", creates},
                           {"to_update", updates},       {"actions", actions}};
  if (!apply) {
    run.event("remediation dry run: would create " + std::to_string(creates) + " and update " +
                  std::to_string(updates) + " host(s) in Zabbix",
              {.data = result.dump()});
    return jobhost::Result::ok(result.dump());
  }

  const ApiVersion version = client.api();
  std::vector<nlohmann::json> create_params, update_params;
  std::vector<const Plan*> create_plans, update_plans;
  for (const auto& p : plans) {
    if (p.hostid.empty()) {
      create_params.push_back(host_write_params(p.config->config, "", version));
      create_plans.push_back(&p);
    } else {
      update_params.push_back(host_write_params(p.config->config, p.hostid, version));
      update_plans.push_back(&p);
    }
  }
  nlohmann::json failures = nlohmann::json::array();
  std::vector<StoredConfig> applied;
  auto push = [&](const std::string& method, const std::vector<nlohmann::json>& params,
                  const std::vector<const Plan*>& which) {
    if (params.empty()) return;
    auto outcomes = client.call_each(method, params);
    for (size_t i = 0; i < outcomes.size(); ++i) {
      const std::string& host = which[i]->config->config.host;
      if (outcomes[i].ok) {
        applied.push_back(*which[i]->config);
        run.event(host + ": " + method + " applied its HostConfig",
                  {.data = nlohmann::json{{"host", host},
                                          {"differences", differences_json(which[i]->diffs)}}
                               .dump()});
      } else {
        failures.push_back({{"host", host}, {"error", outcomes[i].error}});
        run.event(host + ": " + method + " failed: " + outcomes[i].error,
                  {.data = nlohmann::json{{"host", host}, {"error", outcomes[i].error}}.dump()},
                  jobhost::Level::error);
      }
    }
  };
  push("host.create", create_params, create_plans);
  push("host.update", update_params, update_plans);
  // What Zabbix has now decides the stamps, not what was sent.
  CheckSummary verified;
  if (!applied.empty()) verified = check_and_stamp(run, client, table, applied);
  result["applied"] = static_cast<int64_t>(applied.size());
  result["failed"] = failures.size();
  result["failures"] = failures;
  result["verified_in_sync"] = verified.in_sync;
  return jobhost::Result::ok(result.dump());
}

}  // namespace zhs
