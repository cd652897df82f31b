#include "sync_check.h"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "zabbix_host.h"

namespace zhs {

namespace {

std::string field_list(const std::vector<Difference>& diffs) {
  std::string out;
  for (const auto& d : diffs) out += (out.empty() ? "" : ", ") + d.field;
  return out;
}

// An event when a host's state changes: it goes out of sync (or is out of sync at its first
// check), comes back in sync, or its check fails for a new reason.
void emit_change(jobhost::Run& run, const StoredConfig& before, const SyncStamp& after,
                 const std::vector<Difference>& diffs) {
  const std::string& host = before.config.host;
  if (!after.checked) {
    if (before.last_error != after.error)
      run.event(host + ": cannot check: " + after.error,
                {.data = jobhost::JsonObject().add("host", host).add("error", after.error).str()},
                jobhost::Level::warn);
    return;
  }
  if (after.in_sync) {
    // Only a recovery is news; a host found in sync at its first check is not.
    if (before.in_sync == false || before.last_error)
      run.event(host + " is in sync with Zabbix again",
                {.data = jobhost::JsonObject().add("host", host).str()});
    return;
  }
  if (before.in_sync == false && !before.last_error) return;  // still out of sync: said before
  nlohmann::json expected = nlohmann::json::object(), actual = nlohmann::json::object();
  for (const auto& d : diffs) {
    expected[d.field] = d.expected;
    actual[d.field] = d.actual;
  }
  run.event(
      host + " differs from its HostConfig in Zabbix: " + field_list(diffs),
      {.data = nlohmann::json{{"host", host}, {"differences", differences_json(diffs)}}.dump(),
       .pre_data = expected.dump(),
       .post_data = actual.dump()},
      jobhost::Level::warn);
}

}  // namespace

CheckSummary check_and_stamp(jobhost::Run& run, ZabbixClient& client, ConfigTable& table,
                             const std::vector<StoredConfig>& configs) {
  CheckSummary summary;
  const ApiVersion version = client.api();
  const size_t batch = std::max<size_t>(1, client.connection().batch_size);
  const size_t wave = batch * std::max<uint32_t>(1, client.connection().max_in_flight);
  const auto total = static_cast<int64_t>(configs.size());

  for (size_t start = 0; start < configs.size(); start += wave) {
    run.throw_if_cancelled();
    const size_t end = std::min(configs.size(), start + wave);
    std::vector<nlohmann::json> params;
    for (size_t b = start; b < end; b += batch) {
      std::vector<std::string> names;
      for (size_t i = b; i < std::min(end, b + batch); ++i) names.push_back(configs[i].config.host);
      params.push_back(host_get_params(names, version));
    }
    const std::vector<nlohmann::json> results = client.call_many("host.get", params);

    std::unordered_map<std::string, const nlohmann::json*> by_name;
    for (const auto& result : results) {
      if (!result.is_array())
        throw ZabbixError("Zabbix answered host.get with " + std::string(result.type_name()) +
                          ", not a list of hosts");
      for (const auto& h : result) {
        auto name = h.find("host");
        if (name != h.end() && name->is_string()) by_name[name->get<std::string>()] = &h;
        ++summary.hosts_returned;
      }
    }

    std::vector<SyncStamp> stamps;
    stamps.reserve(end - start);
    for (size_t i = start; i < end; ++i) {
      const StoredConfig& stored = configs[i];
      SyncStamp& s = stamps.emplace_back();
      s.host = stored.config.host;
      std::vector<Difference> diffs;
      auto found = by_name.find(s.host);
      if (found == by_name.end()) {
        s.error = "not found in Zabbix (no host with technical name '" + s.host + "')";
      } else {
        try {
          ObservedHost observed = parse_host(*found->second, version);
          diffs = compare(stored.config, observed.config);
          s.hostid = observed.hostid;
          s.checked = true;
          s.in_sync = diffs.empty();
          s.difference_json = differences_json(diffs).dump();
        } catch (const std::exception& e) {
          // One host Zabbix describes oddly does not stop the others.
          s.error = std::string("Zabbix's answer for this host is unusable: ") + e.what();
        }
      }
      if (!s.checked)
        ++summary.failed;
      else if (s.in_sync)
        ++summary.in_sync;
      else
        ++summary.out_of_sync;
      summary.checked += s.checked ? 1 : 0;
      emit_change(run, stored, s, diffs);
    }
    table.write_stamps(stamps, jobhost::now_micros());
    run.progress(static_cast<int64_t>(end), total, "hosts checked");
  }
  return summary;
}

}  // namespace zhs
