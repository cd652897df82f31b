#include "review_queue.h"

#include <deque>
#include <set>

namespace mks {

namespace {

// A record as the queue keeps it: its fields as a JSON object.
std::optional<std::string> fields_of(Kind kind, const std::optional<Record>& record) {
  if (!record) return std::nullopt;
  return record->to_json(spec(kind)).dump();
}

std::optional<Record> record_of(Kind kind, const std::string& id, const std::string& org,
                                const std::optional<std::string>& fields) {
  if (!fields) return std::nullopt;
  return record_from_json(kind, id, org, nlohmann::json::parse(*fields));
}

const char* const kSetColumns =
    "id, created_at, job_id, organizations, status, counts, change_count, decided_at, "
    "decided_by_job, note";

ChangeSetInfo read_set(const jobhost::Rows& rows) {
  ChangeSetInfo s;
  s.id = rows.get<int64_t>(0);
  s.created_at = rows.get<int64_t>(1);
  s.job_id = rows.get<int64_t>(2);
  for (const auto& o : nlohmann::json::parse(rows.get<std::string>(3)))
    s.organizations.push_back(o.get<std::string>());
  s.status = rows.get<std::string>(4);
  s.counts = nlohmann::json::parse(rows.get<std::string>(5));
  s.change_count = rows.get<int64_t>(6);
  s.decided_at = rows.get<std::optional<int64_t>>(7);
  s.decided_by_job = rows.get<std::optional<int64_t>>(8);
  s.note = rows.get<std::optional<std::string>>(9);
  return s;
}

}  // namespace

nlohmann::json ChangeSetInfo::to_json() const {
  return {{"id", id},
          {"created_at", jobhost::rfc3339(created_at)},
          {"job_id", job_id},
          {"organizations", organizations},
          {"status", status},
          {"counts", counts},
          {"changes", change_count},
          {"decided_at", decided_at ? nlohmann::json(jobhost::rfc3339(*decided_at)) : nullptr},
          {"decided_by_job", decided_by_job ? nlohmann::json(*decided_by_job) : nullptr},
          {"note", note ? nlohmann::json(*note) : nullptr}};
}

std::pair<int64_t, std::vector<int64_t>> ReviewQueue::stage(
    const std::vector<Change>& changes, const std::vector<std::string>& organizations,
    const nlohmann::json& counts, int64_t now) const {
  // Ids come from the table under the inventory lock (no sequence differs between dialects).
  auto next = run_.query("SELECT COALESCE(MAX(id), 0) + 1 FROM meraki_change_sets");
  next.next();
  const int64_t id = next.get<int64_t>(0);

  std::vector<int64_t> superseded;
  const std::set<std::string> mine(organizations.begin(), organizations.end());
  for (const auto& older : list("pending", -1)) {
    bool overlaps = false;
    for (const auto& o : older.organizations) overlaps = overlaps || mine.count(o);
    if (!overlaps) continue;
    decide(older.id, "superseded", now, "superseded by change set " + std::to_string(id));
    superseded.push_back(older.id);
  }

  run_.exec(
      "INSERT INTO meraki_change_sets (id, created_at, job_id, organizations, status, counts, "
      "change_count) VALUES (:id, :t, :j, :o, 'pending', :c, :n)",
      id, now, run_.job_id(), nlohmann::json(organizations).dump(), counts.dump(),
      static_cast<int64_t>(changes.size()));
  std::vector<std::vector<jh_value>> rows;
  std::deque<std::string> texts;  // kept alive (and in place) while rows point into them
  auto text = [&](std::string s) {
    texts.push_back(std::move(s));
    return jobhost::detail::make_text(texts.back());
  };
  auto optional_text = [&](const std::optional<std::string>& s) {
    return s ? text(*s) : jobhost::detail::make_null();
  };
  int64_t seq = 0;
  for (const auto& c : changes)
    rows.push_back({jobhost::detail::make_int(id), jobhost::detail::make_int(++seq),
                    text(spec(c.kind).word), text(to_string(c.action)), text(c.id),
                    text(c.organization_id), text(c.name()), text(c.diff().dump()),
                    optional_text(fields_of(c.kind, c.before)),
                    optional_text(fields_of(c.kind, c.after))});
  run_.exec_many(
      "INSERT INTO meraki_changes (change_set_id, seq, kind, action, object_id, organization_id, "
      "name, diff, before_fields, after_fields) VALUES (:s, :q, :k, :a, :o, :g, :n, :d, :b, :f)",
      rows);
  return {id, superseded};
}

std::optional<ChangeSetInfo> ReviewQueue::find(int64_t id) const {
  auto rows = run_.query(
      std::string("SELECT ") + kSetColumns + " FROM meraki_change_sets WHERE id = :id", id);
  if (!rows.next()) return std::nullopt;
  return read_set(rows);
}

std::vector<ChangeSetInfo> ReviewQueue::list(const std::string& status, int64_t limit) const {
  std::vector<ChangeSetInfo> out;
  auto rows = status.empty()
                  ? run_.query(std::string("SELECT ") + kSetColumns +
                               " FROM meraki_change_sets ORDER BY id DESC")
                  : run_.query(std::string("SELECT ") + kSetColumns +
                                   " FROM meraki_change_sets WHERE status = :s ORDER BY id DESC",
                               status);
  while (rows.next() && (limit < 0 || static_cast<int64_t>(out.size()) < limit))
    out.push_back(read_set(rows));
  return out;
}

std::vector<Change> ReviewQueue::changes(int64_t id, int64_t limit) const {
  std::vector<Change> out;
  auto rows = run_.query(
      "SELECT kind, action, object_id, organization_id, diff, before_fields, after_fields "
      "FROM meraki_changes WHERE change_set_id = :id ORDER BY seq",
      id);
  while (rows.next() && (limit < 0 || static_cast<int64_t>(out.size()) < limit)) {
    Change c;
    c.kind = kind_from(rows.get<std::string>(0));
    c.action = action_from(rows.get<std::string>(1));
    c.id = rows.get<std::string>(2);
    c.organization_id = rows.get<std::string>(3);
    c.before = record_of(c.kind, c.id, c.organization_id, rows.get<std::optional<std::string>>(5));
    c.after = record_of(c.kind, c.id, c.organization_id, rows.get<std::optional<std::string>>(6));
    out.push_back(std::move(c));
  }
  return out;
}

void ReviewQueue::decide(int64_t id, const std::string& status, int64_t now,
                         const std::optional<std::string>& note) const {
  run_.exec(
      "UPDATE meraki_change_sets SET status = :s, decided_at = :t, decided_by_job = :j, "
      "note = :n WHERE id = :id",
      status, now, run_.job_id(), note, id);
}

}  // namespace mks
