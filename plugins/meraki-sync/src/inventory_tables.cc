#include "inventory_tables.h"

#include <deque>
#include <map>

namespace mks {

const char* const kSchemaV1 = R"SQL(
CREATE TABLE meraki_organizations (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL,
  name TEXT,
  url TEXT,
  first_seen BIGINT NOT NULL,
  last_changed BIGINT NOT NULL,
  last_synced_at BIGINT,
  last_sync_job BIGINT
);
CREATE TABLE meraki_sites (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL,
  name TEXT,
  product_types TEXT,
  time_zone TEXT,
  tags TEXT,
  notes TEXT,
  bound_to_template BIGINT,
  first_seen BIGINT NOT NULL,
  last_changed BIGINT NOT NULL
);
CREATE INDEX meraki_sites_org ON meraki_sites (organization_id);
CREATE TABLE meraki_devices (
  serial TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL,
  network_id TEXT,
  name TEXT,
  model TEXT,
  mac TEXT,
  lan_ip TEXT,
  product_type TEXT,
  firmware TEXT,
  tags TEXT,
  address TEXT,
  notes TEXT,
  lat DOUBLE PRECISION,
  lng DOUBLE PRECISION,
  status TEXT,
  last_reported_at TEXT,
  first_seen BIGINT NOT NULL,
  last_changed BIGINT NOT NULL
);
CREATE INDEX meraki_devices_org ON meraki_devices (organization_id);
CREATE TABLE meraki_change_sets (
  id BIGINT PRIMARY KEY,
  created_at BIGINT NOT NULL,
  job_id BIGINT NOT NULL,
  organizations TEXT NOT NULL,
  -- pending, approved, rejected, superseded (a later sync staged a newer set), stale (the
  -- inventory changed under it; refused at approval)
  status TEXT NOT NULL,
  counts TEXT NOT NULL,
  change_count BIGINT NOT NULL,
  decided_at BIGINT,
  decided_by_job BIGINT,
  note TEXT
);
CREATE TABLE meraki_changes (
  change_set_id BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  kind TEXT NOT NULL,
  action TEXT NOT NULL,
  object_id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  name TEXT,
  diff TEXT NOT NULL,
  before_fields TEXT,
  after_fields TEXT,
  PRIMARY KEY (change_set_id, seq)
);
CREATE TABLE meraki_lock (
  id BIGINT PRIMARY KEY,
  holder_job BIGINT,
  taken_at BIGINT
);
INSERT INTO meraki_lock (id, holder_job, taken_at) VALUES (1, NULL, NULL);
)SQL";

namespace {

// Values bound for one statement: text kept alive here while jh_values point into it.
class Binder {
 public:
  jh_value bind(const nlohmann::json& v, Field::Type type) {
    if (v.is_null()) return jobhost::detail::make_null();
    switch (type) {
      case Field::Type::text:
        return text(v.is_string() ? v.get<std::string>() : v.dump());
      case Field::Type::json:
        return text(v.dump());
      case Field::Type::real:
        return jobhost::detail::make_real(v.get<double>());
      case Field::Type::boolean:
        return jobhost::detail::make_int(v.get<bool>() ? 1 : 0);
    }
    return jobhost::detail::make_null();
  }
  jh_value text(std::string s) {
    texts_.push_back(std::move(s));
    return jobhost::detail::make_text(texts_.back());
  }

 private:
  std::deque<std::string> texts_;
};

nlohmann::json read_value(const jobhost::Rows& rows, uint32_t column, Field::Type type) {
  if (rows.is_null(column)) return nullptr;
  switch (type) {
    case Field::Type::text:
      return rows.get<std::string>(column);
    case Field::Type::json: {
      auto j = nlohmann::json::parse(rows.get<std::string>(column), nullptr, false);
      return j.is_discarded() ? nlohmann::json() : j;
    }
    case Field::Type::real:
      return rows.get<double>(column);
    case Field::Type::boolean:
      return rows.get<int64_t>(column) != 0;
  }
  return nullptr;
}

std::string columns(const KindSpec& s) {
  std::string out;
  for (const auto& f : s.fields) out += std::string(", ") + f.name;
  return out;
}

}  // namespace

void InventoryTables::lock() const {
  run_.exec("UPDATE meraki_lock SET holder_job = :j, taken_at = :t WHERE id = 1", run_.job_id(),
            jobhost::now_micros());
}

Inventory InventoryTables::load(const std::vector<std::string>& organization_ids) const {
  Inventory inv;
  for (Kind kind : kKinds) {
    const KindSpec& s = spec(kind);
    const std::string sql =
        std::string("SELECT ") + s.id_column + ", organization_id" + columns(s) + " FROM " +
        s.table + (kind == Kind::organization ? " WHERE id = :o" : " WHERE organization_id = :o");
    for (const auto& org : organization_ids) {
      auto rows = run_.query(sql, org);
      while (rows.next()) {
        Record r;
        r.id = rows.get<std::string>(0);
        r.organization_id = rows.get<std::string>(1);
        for (uint32_t i = 0; i < s.fields.size(); ++i)
          r.values.push_back(read_value(rows, i + 2, s.fields[i].type));
        inv.of(kind).emplace(r.id, std::move(r));
      }
    }
  }
  return inv;
}

std::optional<Record> InventoryTables::find(Kind kind, const std::string& id) const {
  const KindSpec& s = spec(kind);
  auto rows = run_.query(std::string("SELECT ") + s.id_column + ", organization_id" + columns(s) +
                             " FROM " + s.table + " WHERE " + s.id_column + " = :id",
                         id);
  if (!rows.next()) return std::nullopt;
  Record r;
  r.id = rows.get<std::string>(0);
  r.organization_id = rows.get<std::string>(1);
  for (uint32_t i = 0; i < s.fields.size(); ++i)
    r.values.push_back(read_value(rows, i + 2, s.fields[i].type));
  return r;
}

void InventoryTables::apply(const std::vector<Change>& changes, int64_t now) const {
  for (Kind kind : kKinds) {
    const KindSpec& s = spec(kind);
    std::string placeholders, assignments;
    for (const auto& f : s.fields) {
      placeholders += std::string(", :") + f.name;
      assignments += std::string(f.name) + " = :" + f.name + ", ";
    }
    Binder binder;
    std::vector<std::vector<jh_value>> inserts, updates, deletes;
    for (const auto& c : changes) {
      if (c.kind != kind) continue;
      if (c.action == Action::remove) {
        deletes.push_back({binder.text(c.id)});
        continue;
      }
      std::vector<jh_value> row;
      if (c.action == Action::create) row.push_back(binder.text(c.id));
      row.push_back(binder.text(c.organization_id));
      for (std::size_t i = 0; i < s.fields.size(); ++i)
        row.push_back(binder.bind(c.after->values[i], s.fields[i].type));
      row.push_back(jobhost::detail::make_int(now));
      if (c.action == Action::create) {
        row.push_back(jobhost::detail::make_int(now));
        inserts.push_back(std::move(row));
      } else {
        row.push_back(binder.text(c.id));
        updates.push_back(std::move(row));
      }
    }
    run_.exec_many(std::string("INSERT INTO ") + s.table + " (" + s.id_column +
                       ", organization_id" + columns(s) +
                       ", first_seen, last_changed) VALUES (:id, :org" + placeholders +
                       ", :fs, :lc)",
                   inserts);
    run_.exec_many(std::string("UPDATE ") + s.table + " SET organization_id = :org, " +
                       assignments + "last_changed = :lc WHERE " + s.id_column + " = :id",
                   updates);
    run_.exec_many(std::string("DELETE FROM ") + s.table + " WHERE " + s.id_column + " = :id",
                   deletes);
  }
}

void InventoryTables::mark_synced(const std::vector<std::string>& organization_ids,
                                  int64_t now) const {
  for (const auto& org : organization_ids)
    run_.exec(
        "UPDATE meraki_organizations SET last_synced_at = :t, last_sync_job = :j WHERE id = :o",
        now, run_.job_id(), org);
}

std::vector<InventoryTables::Counts> InventoryTables::counts() const {
  std::map<std::string, Counts> by_org;
  auto orgs = run_.query("SELECT id, name, last_synced_at FROM meraki_organizations ORDER BY id");
  while (orgs.next()) {
    Counts& c = by_org[orgs.get<std::string>(0)];
    c.organization_id = orgs.get<std::string>(0);
    c.name = orgs.get<std::optional<std::string>>(1).value_or("");
    c.last_synced_at = orgs.get<std::optional<int64_t>>(2);
  }
  for (const auto& [table, field] :
       {std::pair{"meraki_sites", &Counts::sites}, std::pair{"meraki_devices", &Counts::devices}}) {
    auto rows = run_.query(std::string("SELECT organization_id, COUNT(*) FROM ") + table +
                           " GROUP BY organization_id");
    while (rows.next()) {
      Counts& c = by_org[rows.get<std::string>(0)];
      c.organization_id = rows.get<std::string>(0);
      c.*field = rows.get<int64_t>(1);
    }
  }
  std::vector<Counts> out;
  for (auto& [id, c] : by_org) out.push_back(std::move(c));
  return out;
}

}  // namespace mks
