#include "config_table.h"

#include <set>
#include <unordered_map>

namespace zhs {

const char* const kSchemaV1 = R"SQL(
CREATE TABLE zabbix_host_configs (
  host TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  status BIGINT NOT NULL,
  description TEXT NOT NULL,
  monitored_by BIGINT NOT NULL,
  proxyid TEXT NOT NULL,
  proxy_groupid TEXT NOT NULL,
  inventory_mode BIGINT NOT NULL,
  host_groups TEXT NOT NULL,
  templates TEXT NOT NULL,
  tags TEXT NOT NULL,
  interfaces TEXT NOT NULL,
  hostid TEXT,
  in_sync BIGINT,
  last_sync_update BIGINT,
  last_difference TEXT,
  last_error TEXT,
  imported_at BIGINT NOT NULL
);
CREATE INDEX zabbix_host_configs_due ON zabbix_host_configs (last_sync_update);
)SQL";

namespace {

constexpr const char* kColumns =
    "host, name, status, description, monitored_by, proxyid, proxy_groupid, inventory_mode, "
    "host_groups, templates, tags, interfaces, hostid, in_sync, last_sync_update, last_error";

StoredConfig read_row(const jobhost::Rows& r) {
  StoredConfig s;
  HostConfig& c = s.config;
  c.host = r.get<std::string>(0);
  c.name = r.get<std::string>(1);
  c.status = static_cast<int>(r.get<int64_t>(2));
  c.description = r.get<std::string>(3);
  c.monitored_by = static_cast<int>(r.get<int64_t>(4));
  c.proxyid = r.get<std::string>(5);
  c.proxy_groupid = r.get<std::string>(6);
  c.inventory_mode = static_cast<int>(r.get<int64_t>(7));
  c.groups = ids_from_json(r.get<std::string>(8));
  c.templates = ids_from_json(r.get<std::string>(9));
  c.tags = tags_from_json(r.get<std::string>(10));
  c.interfaces = interfaces_from_json(r.get<std::string>(11));
  s.hostid = r.get<std::optional<std::string>>(12);
  if (auto v = r.get<std::optional<int64_t>>(13)) s.in_sync = *v != 0;
  s.last_sync_update = r.get<std::optional<int64_t>>(14);
  s.last_error = r.get<std::optional<std::string>>(15);
  return s;
}

// The stored text of each field, in column order after `host`.
struct ConfigText {
  std::string groups, templates, tags, interfaces;
  explicit ConfigText(const HostConfig& c)
      : groups(ids_json(c.groups)),
        templates(ids_json(c.templates)),
        tags(tags_json(c.tags)),
        interfaces(interfaces_json(c.interfaces)) {}
};

}  // namespace

namespace {

template <class... A>
std::vector<StoredConfig> select(jobhost::Run& run, const std::string& where, const A&... args) {
  std::vector<StoredConfig> out;
  auto rows =
      run.query(std::string("SELECT ") + kColumns + " FROM zabbix_host_configs " + where, args...);
  while (rows.next()) out.push_back(read_row(rows));
  return out;
}

}  // namespace

std::vector<StoredConfig> ConfigTable::due(int64_t cutoff) {
  return select(run_, "WHERE last_sync_update IS NULL OR last_sync_update < :cutoff ORDER BY host",
                cutoff);
}

std::vector<StoredConfig> ConfigTable::needing_remediation(const std::string& host) {
  const std::string where = "WHERE (in_sync = 0 OR (hostid IS NULL AND last_error IS NOT NULL))";
  if (!host.empty()) return select(run_, where + " AND host = :host ORDER BY host", host);
  return select(run_, where + " ORDER BY host");
}

void ConfigTable::write_stamps(const std::vector<SyncStamp>& stamps, int64_t now) {
  // exec_many binds by reference: every string lives in `stamps` until the call returns.
  std::vector<std::vector<jh_value>> checked, failed;
  for (const auto& s : stamps) {
    if (s.checked)
      checked.push_back(
          jobhost::Run::row(s.hostid, s.in_sync ? 1 : 0, now, s.difference_json, s.host));
    else
      failed.push_back(jobhost::Run::row(s.error, s.host));
  }
  run_.exec_many(
      "UPDATE zabbix_host_configs SET hostid = COALESCE(:hostid, hostid), in_sync = :in_sync, "
      "last_sync_update = :now, last_difference = :diff, last_error = NULL WHERE host = :host",
      checked);
  // A failed check says nothing about the host's state in Zabbix: it stays due.
  run_.exec_many(
      "UPDATE zabbix_host_configs SET in_sync = 0, last_error = :error WHERE host = :host", failed);
}

ConfigTable::UpsertCounts ConfigTable::upsert(const std::vector<HostConfig>& configs, bool replace,
                                              int64_t now) {
  UpsertCounts counts;
  // What is stored now, to tell new, changed and unchanged configs apart.
  std::unordered_map<std::string, StoredConfig> existing;
  for (auto& s : select(run_, "")) existing.emplace(s.config.host, std::move(s));
  std::vector<ConfigText> texts;
  texts.reserve(configs.size());
  std::vector<std::vector<jh_value>> inserts, updates;
  for (const auto& c : configs) {
    auto it = existing.find(c.host);
    if (it != existing.end() && compare(it->second.config, c).empty()) {
      ++counts.unchanged;
      continue;
    }
    const ConfigText& t = texts.emplace_back(c);
    auto row = jobhost::Run::row(c.name, c.status, c.description, c.monitored_by, c.proxyid,
                                 c.proxy_groupid, c.inventory_mode, t.groups, t.templates, t.tags,
                                 t.interfaces, now, c.host);
    if (it == existing.end()) {
      ++counts.inserted;
      inserts.push_back(std::move(row));
    } else {
      ++counts.changed;
      updates.push_back(std::move(row));
    }
  }
  run_.exec_many(
      "INSERT INTO zabbix_host_configs (name, status, description, monitored_by, proxyid, "
      "proxy_groupid, inventory_mode, host_groups, templates, tags, interfaces, imported_at, "
      "host) VALUES (:name, :status, :description, :monitored_by, :proxyid, :proxy_groupid, "
      ":inventory_mode, :groups, :templates, :tags, :interfaces, :now, :host)",
      inserts);
  // A changed desired config must be checked again: its sync state no longer applies.
  run_.exec_many(
      "UPDATE zabbix_host_configs SET name = :name, status = :status, description = "
      ":description, monitored_by = :monitored_by, proxyid = :proxyid, proxy_groupid = "
      ":proxy_groupid, inventory_mode = :inventory_mode, host_groups = :groups, templates = "
      ":templates, tags = :tags, interfaces = :interfaces, imported_at = :now, in_sync = NULL, "
      "last_sync_update = NULL, last_difference = NULL, last_error = NULL WHERE host = :host",
      updates);
  if (replace) {
    std::set<std::string> wanted;
    for (const auto& c : configs) wanted.insert(c.host);
    std::vector<std::vector<jh_value>> removals;
    for (const auto& [host, stored] : existing)
      if (!wanted.count(host)) removals.push_back(jobhost::Run::row(host));
    counts.removed = static_cast<int64_t>(removals.size());
    run_.exec_many("DELETE FROM zabbix_host_configs WHERE host = :host", removals);
  }
  return counts;
}

int64_t ConfigTable::count() {
  auto rows = run_.query("SELECT COUNT(*) FROM zabbix_host_configs");
  rows.next();
  return rows.get<int64_t>(0);
}

}  // namespace zhs
