#include "schedule/schedule_store.h"

#include <soci/soci.h>
#include <nlohmann/json.hpp>

#include "schedule/next_run.h"
#include "schedule/spec.h"
#include "store/row_reader.h"

namespace jobhost::schedule {

using store::rethrow_as_store_error;

const char* source_name(Source s) {
  switch (s) {
    case Source::job_type_default:
      return "default";
    case Source::config:
      return "config";
    case Source::plugin:
      return "plugin";
  }
  return "config";
}

namespace {

constexpr const char* kColumns =
    "id, job_type, schedule_key, source, spec, params, enabled, next_run_at, last_scheduled_at, "
    "last_fired_at, last_job_id, last_outcome, last_finished_at, created_at, updated_at";

ScheduleRecord read(const soci::row& r) {
  using namespace store;
  ScheduleRecord s;
  s.id = row_int_or(r, 0, 0);
  s.job_type = row_text_or(r, 1);
  s.key = row_text_or(r, 2);
  s.source = row_text_or(r, 3);
  s.spec = row_text_or(r, 4);
  s.params = row_text_or(r, 5, "{}");
  s.enabled = row_int_or(r, 6, 1) != 0;
  s.next_run_at = row_int(r, 7);
  s.last_scheduled_at = row_int(r, 8);
  s.last_fired_at = row_int(r, 9);
  s.last_job_id = row_int(r, 10);
  s.last_outcome = row_text(r, 11);
  s.last_finished_at = row_int(r, 12);
  s.created_at = row_int_or(r, 13, 0);
  s.updated_at = row_int_or(r, 14, 0);
  return s;
}

nlohmann::json opt_time(const std::optional<Micros>& t) {
  return t ? nlohmann::json(format_time(*t)) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json ScheduleRecord::to_json() const {
  auto p = nlohmann::json::parse(params, nullptr, false);
  return {{"id", id},
          {"job_type", job_type},
          {"key", key},
          {"source", source},
          {"schedule", spec},
          {"params", p.is_discarded() ? nlohmann::json::object() : p},
          {"enabled", enabled},
          {"next_run_at", enabled ? opt_time(next_run_at) : nlohmann::json(nullptr)},
          {"last_scheduled_at", opt_time(last_scheduled_at)},
          {"last_fired_at", opt_time(last_fired_at)},
          {"last_job_id", last_job_id ? nlohmann::json(*last_job_id) : nullptr},
          {"last_outcome", last_outcome ? nlohmann::json(*last_outcome) : nullptr},
          {"last_finished_at", opt_time(last_finished_at)}};
}

Micros rhythm_anchor(const ScheduleRecord& r, const ScheduleSpec& spec) {
  if (r.last_scheduled_at) return *r.last_scheduled_at;
  return spec.kind == ScheduleSpec::Kind::cron ? r.created_at : 0;
}

Micros planned_next_run(const ScheduleRecord& r, Micros now) {
  const ScheduleSpec spec = parse_schedule(r.spec);
  return plan_next_run(spec, rhythm_anchor(r, spec), now, jitter_offset(r.name(), spec.jitter)).at;
}

std::vector<ScheduleRecord> ScheduleStore::select(const std::string& where,
                                                  const std::vector<long long>& ints,
                                                  const std::vector<std::string>& texts) {
  std::vector<ScheduleRecord> out;
  try {
    soci::details::prepare_temp_type q =
        (session_.sql().prepare << std::string("SELECT ") + kColumns + " FROM jh_schedules " +
                                       where);
    // Bound in order: the texts first, then the integers (callers write `where` that way).
    for (const auto& t : texts) q, soci::use(t);
    for (const auto& i : ints) q, soci::use(i);
    soci::rowset<soci::row> rows(q);
    for (const auto& r : rows) out.push_back(read(r));
  } catch (...) {
    rethrow_as_store_error("reading schedules");
  }
  return out;
}

std::vector<ScheduleRecord> ScheduleStore::list() {
  return select("ORDER BY job_type, schedule_key", {}, {});
}

std::vector<ScheduleRecord> ScheduleStore::changed_since(Micros after) {
  return select("WHERE updated_at > :after ORDER BY id", {after}, {});
}

std::optional<ScheduleRecord> ScheduleStore::find(const std::string& job_type,
                                                  const std::string& key) {
  auto rows = select("WHERE job_type = :t AND schedule_key = :k", {}, {job_type, key});
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::optional<ScheduleRecord> ScheduleStore::get(int64_t id) {
  auto rows = select("WHERE id = :id", {id}, {});
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<ScheduleRecord> ScheduleStore::due(Micros now) {
  return select("WHERE enabled = 1 AND next_run_at <= :now ORDER BY next_run_at, id", {now}, {});
}

ScheduleRecord ScheduleStore::upsert(const DesiredSchedule& d, Micros now) {
  auto existing = find(d.job_type, d.key);
  ScheduleRecord r = existing.value_or(ScheduleRecord{});
  if (!existing) {
    r.job_type = d.job_type;
    r.key = d.key;
    r.created_at = now;
  }
  r.source = source_name(d.source);
  r.spec = d.spec;
  r.params = d.params;
  r.enabled = d.enabled.value_or(existing ? existing->enabled : true);
  r.next_run_at = planned_next_run(r, now);
  r.updated_at = now;
  try {
    std::string source = r.source, spec = r.spec, params = r.params;
    long long enabled = r.enabled ? 1 : 0, next = *r.next_run_at, at = now;
    if (existing) {
      long long id = r.id;
      session_.sql() << "UPDATE jh_schedules SET source = :s, spec = :spec, params = :p, "
                        "enabled = :e, next_run_at = :n, updated_at = :u WHERE id = :id",
          soci::use(source), soci::use(spec), soci::use(params), soci::use(enabled),
          soci::use(next), soci::use(at), soci::use(id);
    } else {
      std::string type = r.job_type, key = r.key;
      // ON CONFLICT: another process may have created the row since find(); then it is
      // updated instead, and there is still one row.
      session_.sql() << "INSERT INTO jh_schedules (job_type, schedule_key, source, spec, params, "
                        "enabled, next_run_at, created_at, updated_at) VALUES (:t, :k, :s, :spec, "
                        ":p, :e, :n, :c, :u) ON CONFLICT (job_type, schedule_key) DO UPDATE SET "
                        "source = excluded.source, spec = excluded.spec, params = "
                        "excluded.params, enabled = excluded.enabled, updated_at = "
                        "excluded.updated_at",
          soci::use(type), soci::use(key), soci::use(source), soci::use(spec), soci::use(params),
          soci::use(enabled), soci::use(next), soci::use(at), soci::use(at);
    }
  } catch (...) {
    rethrow_as_store_error("saving the schedule of " + d.job_type);
  }
  return find(d.job_type, d.key).value_or(r);
}

bool ScheduleStore::remove(const std::string& job_type, const std::string& key) {
  try {
    soci::statement st = (session_.sql().prepare << "DELETE FROM jh_schedules WHERE job_type = :t "
                                                    "AND schedule_key = :k",
                          soci::use(job_type), soci::use(key));
    st.execute(true);
    return st.get_affected_rows() > 0;
  } catch (...) {
    rethrow_as_store_error("removing the schedule of " + job_type);
  }
}

bool ScheduleStore::set_enabled(const std::string& job_type, const std::string& key, bool enabled,
                                Micros now) {
  auto r = find(job_type, key);
  if (!r) return false;
  r->enabled = enabled;
  try {
    long long e = enabled ? 1 : 0, next = planned_next_run(*r, now), at = now, id = r->id;
    session_.sql() << "UPDATE jh_schedules SET enabled = :e, next_run_at = :n, updated_at = :u "
                      "WHERE id = :id",
        soci::use(e), soci::use(next), soci::use(at), soci::use(id);
  } catch (...) {
    rethrow_as_store_error("changing the schedule of " + job_type);
  }
  return true;
}

bool ScheduleStore::advance(int64_t id, std::optional<Micros> expected_last,
                            const std::string& expected_spec, Micros fired_slot, Micros fired_at,
                            Micros next_run_at, Micros now) {
  try {
    long long sid = id, slot = fired_slot, fired = fired_at, next = next_run_at, at = now,
              expected = expected_last.value_or(0);
    soci::statement st =
        (session_.sql().prepare << "UPDATE jh_schedules SET last_scheduled_at = :slot, "
                                   "last_fired_at = :f, next_run_at = :n, updated_at = :u "
                                   "WHERE id = :id AND enabled = 1 AND "
                                   "COALESCE(last_scheduled_at, 0) = :expected AND spec = :spec",
         soci::use(slot), soci::use(fired), soci::use(next), soci::use(at), soci::use(sid),
         soci::use(expected), soci::use(expected_spec));
    st.execute(true);
    return st.get_affected_rows() == 1;
  } catch (...) {
    rethrow_as_store_error("firing schedule " + std::to_string(id));
  }
}

void ScheduleStore::record_outcome(int64_t id, std::optional<int64_t> job_id,
                                   const std::string& outcome, Micros at) {
  try {
    long long sid = id, job = job_id.value_or(0), when = at;
    soci::indicator job_ind = job_id ? soci::i_ok : soci::i_null;
    session_.sql() << "UPDATE jh_schedules SET last_job_id = :j, last_outcome = :o, "
                      "last_finished_at = :f, updated_at = :u WHERE id = :id",
        soci::use(job, job_ind), soci::use(outcome), soci::use(when), soci::use(when),
        soci::use(sid);
  } catch (...) {
    rethrow_as_store_error("recording the outcome of schedule " + std::to_string(id));
  }
}

void ScheduleStore::lock_for_outcome(int64_t id) {
  if (session_.dialect() != store::Dialect::postgresql) return;
  try {
    long long sid = id, locked = 0;
    session_.sql() << "SELECT id FROM jh_schedules WHERE id = :id FOR UPDATE", soci::use(sid),
        soci::into(locked);
  } catch (...) {
    rethrow_as_store_error("locking schedule " + std::to_string(id));
  }
}

}  // namespace jobhost::schedule
