#include "fabric_tables.h"

#include <stdexcept>

namespace hfs {

const char* const kSchemaV1 = R"SQL(
CREATE TABLE hedgehog_fabrics (
  name TEXT PRIMARY KEY,
  -- what the last completed sync left: in_sync (the tables mirror the cluster as of last_sync)
  sync_status TEXT NOT NULL DEFAULT 'never_synced',
  sync_error TEXT,
  last_sync BIGINT,
  last_sync_job BIGINT,
  counts TEXT NOT NULL DEFAULT '{}',
  missing_kinds TEXT NOT NULL DEFAULT '[]',
  cluster_version TEXT NOT NULL DEFAULT '',
  objects BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE hedgehog_objects (
  fabric TEXT NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  uid TEXT NOT NULL,
  resource_version TEXT NOT NULL,
  generation BIGINT NOT NULL DEFAULT 0,
  labels TEXT NOT NULL DEFAULT '{}',
  spec TEXT NOT NULL DEFAULT '{}',
  status TEXT,
  ready TEXT,
  first_seen BIGINT NOT NULL,
  last_changed BIGINT NOT NULL,
  PRIMARY KEY (fabric, kind, name)
);
)SQL";

namespace {

std::string dump_or(const nlohmann::json& j, const char* key, const char* fallback) {
  auto it = j.find(key);
  return it == j.end() || it->is_null() ? fallback : it->dump();
}

std::optional<std::string> ready_condition(const nlohmann::json& status) {
  auto conditions = status.find("conditions");
  if (conditions == status.end() || !conditions->is_array()) return std::nullopt;
  for (const auto& c : *conditions)
    if (c.is_object() && c.value("type", "") == "Ready") return c.value("status", "Unknown");
  return std::nullopt;
}

}  // namespace

ObjectRow object_row(const std::string& kind, const nlohmann::json& item) {
  ObjectRow r;
  r.kind = kind;
  const auto meta = item.find("metadata");
  if (meta == item.end() || !meta->is_object() || !meta->contains("name"))
    throw std::invalid_argument("a " + kind + " item without metadata.name");
  r.name = meta->value("name", "");
  r.uid = meta->value("uid", "");
  r.resource_version = meta->value("resourceVersion", "");
  r.generation = meta->value("generation", int64_t{0});
  r.labels = dump_or(*meta, "labels", "{}");
  r.spec = dump_or(item, "spec", "{}");
  if (auto status = item.find("status"); status != item.end() && status->is_object()) {
    r.status = status->dump();
    r.ready = ready_condition(*status);
  }
  return r;
}

StoredIndex FabricTables::stored(const std::string& fabric) const {
  StoredIndex index;
  auto rows = run_.query(
      "SELECT kind, name, uid, resource_version FROM hedgehog_objects WHERE fabric = :f", fabric);
  while (rows.next())
    index.emplace(object_key(rows.get<std::string>(0), rows.get<std::string>(1)),
                  StoredVersion{rows.get<std::string>(2), rows.get<std::string>(3)});
  return index;
}

void FabricTables::insert(const std::string& fabric, const std::vector<ObjectRow>& rows,
                          int64_t now) const {
  std::vector<std::vector<jh_value>> values;
  values.reserve(rows.size());
  for (const auto& r : rows)
    values.push_back(jobhost::Run::row(fabric, r.kind, r.name, r.uid, r.resource_version,
                                       r.generation, r.labels, r.spec, r.status, r.ready, now,
                                       now));
  run_.exec_many(
      "INSERT INTO hedgehog_objects (fabric, kind, name, uid, resource_version, generation, "
      "labels, spec, status, ready, first_seen, last_changed) VALUES (:f, :k, :n, :u, :rv, :g, "
      ":l, :s, :st, :r, :fs, :lc)",
      values);
}

void FabricTables::update(const std::string& fabric, const std::vector<ObjectRow>& rows,
                          int64_t now) const {
  std::vector<std::vector<jh_value>> values;
  values.reserve(rows.size());
  for (const auto& r : rows)
    values.push_back(jobhost::Run::row(r.uid, r.resource_version, r.generation, r.labels, r.spec,
                                       r.status, r.ready, now, fabric, r.kind, r.name));
  run_.exec_many(
      "UPDATE hedgehog_objects SET uid = :u, resource_version = :rv, generation = :g, "
      "labels = :l, spec = :s, status = :st, ready = :r, last_changed = :lc "
      "WHERE fabric = :f AND kind = :k AND name = :n",
      values);
}

void FabricTables::remove(const std::string& fabric,
                          const std::vector<std::pair<std::string, std::string>>& objects) const {
  std::vector<std::vector<jh_value>> values;
  values.reserve(objects.size());
  for (const auto& [kind, name] : objects) values.push_back(jobhost::Run::row(fabric, kind, name));
  run_.exec_many("DELETE FROM hedgehog_objects WHERE fabric = :f AND kind = :k AND name = :n",
                 values);
}

void FabricTables::record_sync(const FabricRecord& r) const {
  // Two statements instead of an upsert: the same SQL on SQLite and PostgreSQL.
  const auto changed = run_.exec(
      "UPDATE hedgehog_fabrics SET sync_status = :s, sync_error = :e, last_sync = :t, "
      "last_sync_job = :j, counts = :c, missing_kinds = :m, cluster_version = :v, objects = :o "
      "WHERE name = :n",
      r.sync_status, r.sync_error, r.last_sync, r.last_sync_job, r.counts, r.missing_kinds,
      r.cluster_version, r.objects, r.name);
  if (changed == 0)
    run_.exec(
        "INSERT INTO hedgehog_fabrics (name, sync_status, sync_error, last_sync, last_sync_job, "
        "counts, missing_kinds, cluster_version, objects) VALUES (:n, :s, :e, :t, :j, :c, :m, "
        ":v, :o)",
        r.name, r.sync_status, r.sync_error, r.last_sync, r.last_sync_job, r.counts,
        r.missing_kinds, r.cluster_version, r.objects);
}

std::vector<FabricRecord> FabricTables::fabrics() const {
  std::vector<FabricRecord> out;
  auto rows = run_.query(
      "SELECT name, sync_status, sync_error, last_sync, last_sync_job, counts, missing_kinds, "
      "cluster_version, objects FROM hedgehog_fabrics ORDER BY name");
  while (rows.next()) {
    FabricRecord r;
    r.name = rows.get<std::string>(0);
    r.sync_status = rows.get<std::string>(1);
    r.sync_error = rows.get<std::optional<std::string>>(2);
    r.last_sync = rows.get<std::optional<int64_t>>(3);
    r.last_sync_job = rows.get<std::optional<int64_t>>(4);
    r.counts = rows.get<std::string>(5);
    r.missing_kinds = rows.get<std::string>(6);
    r.cluster_version = rows.get<std::string>(7);
    r.objects = rows.get<int64_t>(8);
    out.push_back(std::move(r));
  }
  return out;
}

int64_t FabricTables::forget(const std::string& fabric) const {
  const int64_t objects = run_.exec("DELETE FROM hedgehog_objects WHERE fabric = :f", fabric);
  run_.exec("DELETE FROM hedgehog_fabrics WHERE name = :f", fabric);
  return objects;
}

}  // namespace hfs
