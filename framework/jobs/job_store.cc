#include "jobs/job_store.h"

#include <algorithm>
#include <functional>

#include <soci/soci.h>
#include <nlohmann/json.hpp>

#include "store/framework_schema.h"
#include "store/row_reader.h"

namespace jobhost::jobs {

using store::rethrow_as_store_error;

SingletonConflict::SingletonConflict(const std::string& type, const std::string& key,
                                     int64_t holder, JobStatus holder_status)
    : std::runtime_error(
          "job type '" + type + "'" + (key.empty() ? "" : " with key '" + key + "'") +
          " is a singleton and job " + std::to_string(holder) + " (" + status_name(holder_status) +
          ") holds its slot; wait for it to finish or look at it with `jobhost job " +
          std::to_string(holder) + "`"),
      holder_(holder),
      holder_status_(holder_status) {}

namespace {

// Binds an optional string to a statement, as NULL when empty.
struct OptText {
  std::string value;
  soci::indicator ind = soci::i_null;
  void set(const std::optional<std::string>& v) {
    value = v ? *v : std::string();
    ind = v ? soci::i_ok : soci::i_null;
  }
};
struct OptInt {
  long long value = 0;
  soci::indicator ind = soci::i_null;
  void set(const std::optional<int64_t>& v) {
    value = v ? *v : 0;
    ind = v ? soci::i_ok : soci::i_null;
  }
};

constexpr const char* kJobColumns =
    "id, type, job_key, status, origin, params, created_at, scheduled_at, started_at, "
    "finished_at, attempt, max_attempts, host, lease_until, result, data, pre_data, post_data, "
    "signal_id, error, progress_done, progress_total, progress_message, schedule_id";

JobRecord read_job(const soci::row& r) {
  using namespace store;
  JobRecord j;
  j.id = row_int_or(r, 0, 0);
  j.type = row_text_or(r, 1);
  j.key = row_text_or(r, 2);
  j.status = parse_status(row_text_or(r, 3)).value_or(JobStatus::pending);
  j.origin = row_text_or(r, 4);
  j.params = row_text_or(r, 5, "{}");
  j.created_at = row_int_or(r, 6, 0);
  j.scheduled_at = row_int_or(r, 7, 0);
  j.started_at = row_int(r, 8);
  j.finished_at = row_int(r, 9);
  j.attempt = row_int_or(r, 10, 0);
  j.max_attempts = row_int_or(r, 11, 1);
  j.host = row_text_or(r, 12);
  j.lease_until = row_int(r, 13);
  j.result = row_text(r, 14);
  j.data = row_text(r, 15);
  j.pre_data = row_text(r, 16);
  j.post_data = row_text(r, 17);
  j.signal_id = row_text(r, 18);
  j.error = row_text(r, 19);
  j.progress_done = row_int(r, 20);
  j.progress_total = row_int(r, 21);
  j.progress_message = row_text(r, 22);
  j.schedule_id = row_int(r, 23);
  return j;
}

EventRecord read_event(const soci::row& r) {
  using namespace store;
  EventRecord e;
  e.id = row_int_or(r, 0, 0);
  e.created_at = row_int_or(r, 1, 0);
  e.name = row_text_or(r, 2);
  e.job_id = row_int(r, 3);
  e.level = row_text_or(r, 4, "info");
  e.message = row_text_or(r, 5);
  e.result = row_text(r, 6);
  e.exception = row_text(r, 7);
  e.data = row_text(r, 8);
  e.pre_data = row_text(r, 9);
  e.post_data = row_text(r, 10);
  e.signal_id = row_text(r, 11);
  return e;
}

}  // namespace

// Statements of the hot path, prepared once per session, with the variables they bind.
struct JobStore::Prepared {
  // claim
  long long c_now = 0, c_limit = 0, c_started = 0, c_lease = 0;
  std::string c_host;
  long long c_id = 0, c_attempt = 0, c_max_attempts = 0, c_scheduled = 0;
  OptInt c_schedule;
  std::string c_type, c_key, c_params;
  // finish
  std::string f_status, f_host;
  long long f_finished = 0, f_id = 0;
  OptText f_result, f_data, f_pre, f_post, f_signal, f_error, f_pmsg;
  OptInt f_pdone, f_ptotal, f_retry;
  // event
  long long e_time = 0;
  std::string e_name, e_level, e_message;
  OptInt e_job;
  OptText e_result, e_exception, e_data, e_pre, e_post, e_signal;
  // insert job
  std::string i_type, i_key, i_status, i_origin, i_params;
  OptText i_slot;
  OptInt i_schedule;
  long long i_created = 0, i_scheduled = 0, i_max_attempts = 1, i_id = 0;

  soci::statement claim, finish, event, insert;
  soci::statement finish_with_event;  // PostgreSQL only

  explicit Prepared(soci::session& sql, store::Dialect dialect)
      : claim(sql), finish(sql), event(sql), insert(sql), finish_with_event(sql) {
    // One statement claims a batch (a round trip matters on PostgreSQL). Without statistics
    // (a new or fast-growing queue) SQLite's planner prefers jh_jobs_status and sorts every
    // waiting job on each claim; the queue index reads them in order. On PostgreSQL the
    // candidates are locked in a CTE, evaluated once, skipping rows other hosts are claiming.
    const std::string candidates =
        std::string("SELECT id FROM jh_jobs ") +
        (dialect == store::Dialect::sqlite ? "INDEXED BY jh_jobs_queue " : "") + "WHERE " +
        store::kWaitingStatus + " AND scheduled_at <= :now ORDER BY scheduled_at, id LIMIT :n" +
        (dialect == store::Dialect::postgresql ? " FOR UPDATE SKIP LOCKED" : "");
    const std::string set =
        "SET status = 'running', host = :h, started_at = :t, lease_until = :l, "
        "attempt = jh_jobs.attempt + 1, finished_at = NULL, error = NULL ";
    const std::string returning =
        "RETURNING jh_jobs.id, jh_jobs.type, jh_jobs.job_key, jh_jobs.params, jh_jobs.attempt, "
        "jh_jobs.max_attempts, jh_jobs.schedule_id, jh_jobs.scheduled_at";
    claim =
        (sql.prepare << (dialect == store::Dialect::postgresql
                             ? "WITH c AS (" + candidates + ") UPDATE jh_jobs " + set +
                                   "FROM c WHERE jh_jobs.id = c.id " + returning
                             : "UPDATE jh_jobs " + set + "WHERE id IN (" + candidates + ") " +
                                   returning),
         // By name: the dialects' statements place them in different orders.
         soci::use(c_now, "now"), soci::use(c_limit, "n"), soci::use(c_host, "h"),
         soci::use(c_started, "t"), soci::use(c_lease, "l"), soci::into(c_id), soci::into(c_type),
         soci::into(c_key), soci::into(c_params), soci::into(c_attempt), soci::into(c_max_attempts),
         soci::into(c_schedule.value, c_schedule.ind), soci::into(c_scheduled));
    const std::string finish_update =
        "UPDATE jh_jobs SET status = :s, finished_at = :f, result = :r, data = :d, "
        "pre_data = :pre, post_data = :post, signal_id = :sig, error = :e, "
        "progress_done = :pd, progress_total = :pt, progress_message = :pm, "
        "lease_until = NULL, scheduled_at = COALESCE(:retry, scheduled_at) "
        "WHERE id = :id AND status = 'running' AND host = :h";
    finish = (sql.prepare << finish_update, soci::use(f_status), soci::use(f_finished),
              soci::use(f_result.value, f_result.ind), soci::use(f_data.value, f_data.ind),
              soci::use(f_pre.value, f_pre.ind), soci::use(f_post.value, f_post.ind),
              soci::use(f_signal.value, f_signal.ind), soci::use(f_error.value, f_error.ind),
              soci::use(f_pdone.value, f_pdone.ind), soci::use(f_ptotal.value, f_ptotal.ind),
              soci::use(f_pmsg.value, f_pmsg.ind), soci::use(f_retry.value, f_retry.ind),
              soci::use(f_id), soci::use(f_host));
    if (dialect == store::Dialect::postgresql) {
      // The end of a run and its event in one round trip; the event only if the job was still
      // ours (the CTE's row). Parameters in a SELECT list need their types spelled out.
      finish_with_event =
          (sql.prepare << "WITH f AS (" + finish_update +
                              " RETURNING id) INSERT INTO jh_events (created_at, name, job_id, "
                              "level, message, result, exception, data, pre_data, post_data, "
                              "signal_id) SELECT CAST(:et AS BIGINT), CAST(:en AS TEXT), f.id, "
                              "CAST(:el AS TEXT), CAST(:em AS TEXT), CAST(:er AS TEXT), "
                              "CAST(:ex AS TEXT), CAST(:ed AS TEXT), CAST(:epre AS TEXT), "
                              "CAST(:epost AS TEXT), CAST(:esig AS TEXT) FROM f",
           soci::use(f_status), soci::use(f_finished), soci::use(f_result.value, f_result.ind),
           soci::use(f_data.value, f_data.ind), soci::use(f_pre.value, f_pre.ind),
           soci::use(f_post.value, f_post.ind), soci::use(f_signal.value, f_signal.ind),
           soci::use(f_error.value, f_error.ind), soci::use(f_pdone.value, f_pdone.ind),
           soci::use(f_ptotal.value, f_ptotal.ind), soci::use(f_pmsg.value, f_pmsg.ind),
           soci::use(f_retry.value, f_retry.ind), soci::use(f_id), soci::use(f_host),
           soci::use(e_time), soci::use(e_name), soci::use(e_level), soci::use(e_message),
           soci::use(e_result.value, e_result.ind), soci::use(e_exception.value, e_exception.ind),
           soci::use(e_data.value, e_data.ind), soci::use(e_pre.value, e_pre.ind),
           soci::use(e_post.value, e_post.ind), soci::use(e_signal.value, e_signal.ind));
    }
    event = (sql.prepare << "INSERT INTO jh_events (created_at, name, job_id, level, message, "
                            "result, exception, data, pre_data, post_data, signal_id) VALUES "
                            "(:t, :n, :j, :l, :m, :r, :x, :d, :pre, :post, :sig)",
             soci::use(e_time), soci::use(e_name), soci::use(e_job.value, e_job.ind),
             soci::use(e_level), soci::use(e_message), soci::use(e_result.value, e_result.ind),
             soci::use(e_exception.value, e_exception.ind), soci::use(e_data.value, e_data.ind),
             soci::use(e_pre.value, e_pre.ind), soci::use(e_post.value, e_post.ind),
             soci::use(e_signal.value, e_signal.ind));
    insert = (sql.prepare << "INSERT INTO jh_jobs (type, job_key, singleton_slot, status, origin, "
                             "params, created_at, scheduled_at, max_attempts, schedule_id) VALUES "
                             "(:type, :key, :slot, :status, :origin, :params, :created, "
                             ":scheduled, :max, :schedule) RETURNING id",
              soci::use(i_type), soci::use(i_key), soci::use(i_slot.value, i_slot.ind),
              soci::use(i_status), soci::use(i_origin), soci::use(i_params), soci::use(i_created),
              soci::use(i_scheduled), soci::use(i_max_attempts),
              soci::use(i_schedule.value, i_schedule.ind), soci::into(i_id));
  }
};

JobStore::JobStore(store::Session& session) : session_(session) {}
JobStore::~JobStore() = default;

JobStore::Prepared& JobStore::prepared() {
  if (!prepared_) {
    try {
      prepared_ = std::make_unique<Prepared>(session_.sql(), session_.dialect());
    } catch (...) {
      rethrow_as_store_error("preparing the job statements");
    }
  }
  return *prepared_;
}

int64_t JobStore::insert_job(const NewJob& job, Micros now) {
  auto& p = prepared();
  p.i_type = job.type;
  p.i_key = job.key;
  p.i_slot.set(job.singleton_slot);
  p.i_status = job.scheduled_at > now ? "scheduled" : "pending";
  p.i_origin = job.origin;
  p.i_params = job.params;
  p.i_created = now;
  p.i_scheduled = job.scheduled_at == 0 ? now : job.scheduled_at;
  p.i_max_attempts = job.max_attempts;
  p.i_schedule.set(job.schedule_id);
  p.insert.execute(true);
  store::reset_statement(p.insert, session_.dialect());
  return p.i_id;
}

int64_t JobStore::enqueue(const NewJob& job, Micros now) {
  return insert_guarded(job, [&] { return insert_job(job, now); });
}

ClaimedJob JobStore::start_now(const NewJob& job, const std::string& host, Micros now,
                               Micros lease) {
  ClaimedJob claimed;
  claimed.id = insert_guarded(job, [&] {
    long long id = 0, at = now, until = now + lease, max_attempts = job.max_attempts;
    std::string slot = job.singleton_slot.value_or("");
    soci::indicator slot_ind = job.singleton_slot ? soci::i_ok : soci::i_null;
    session_.sql() << "INSERT INTO jh_jobs (type, job_key, singleton_slot, status, origin, params, "
                      "created_at, scheduled_at, started_at, attempt, max_attempts, host, "
                      "lease_until) VALUES (:type, :key, :slot, 'running', :origin, :params, :c, "
                      ":s, :st, 1, :max, :host, :lease) RETURNING id",
        soci::use(job.type), soci::use(job.key), soci::use(slot, slot_ind), soci::use(job.origin),
        soci::use(job.params), soci::use(at), soci::use(at), soci::use(at), soci::use(max_attempts),
        soci::use(host), soci::use(until), soci::into(id);
    return static_cast<int64_t>(id);
  });
  claimed.type = job.type;
  claimed.key = job.key;
  claimed.params = job.params;
  claimed.attempt = 1;
  claimed.max_attempts = job.max_attempts;
  claimed.started_at = now;
  return claimed;
}

int64_t JobStore::insert_guarded(const NewJob& job, const std::function<int64_t()>& insert) {
  // In the caller's transaction the insert gets a savepoint: a violated singleton index then
  // undoes only the insert (PostgreSQL would otherwise refuse every later statement of the
  // transaction, the lookup of the slot's holder included).
  const bool own_tx = !session_.in_transaction();
  try {
    if (own_tx)
      session_.begin_write();
    else
      session_.exec_script("SAVEPOINT jh_enqueue");
    int64_t id = insert();
    if (own_tx)
      session_.commit();
    else
      session_.exec_script("RELEASE SAVEPOINT jh_enqueue");
    return id;
  } catch (...) {
    try {
      if (own_tx && session_.in_transaction())
        session_.rollback();
      else if (!own_tx)
        session_.exec_script("ROLLBACK TO SAVEPOINT jh_enqueue; RELEASE SAVEPOINT jh_enqueue");
    } catch (...) {
      // The original error below is the one worth reporting.
    }
    try {
      rethrow_as_store_error("enqueue " + job.type);
    } catch (const store::StoreError& e) {
      if (e.kind() == store::StoreError::Kind::unique_violation && job.singleton_slot) {
        if (auto holder = slot_holder(*job.singleton_slot))
          throw SingletonConflict(job.type, job.key, holder->first, holder->second);
      }
      throw;
    }
  }
}

std::vector<int64_t> JobStore::enqueue_many(const std::vector<NewJob>& jobs, Micros now) {
  if (jobs.empty()) return {};
  if (session_.dialect() == store::Dialect::postgresql && jobs.size() > 1) {
    // One statement for the lot: a round trip per job would bound a remote server's enqueue
    // rate by its latency. On any error, the row-by-row path below names the offending job.
    try {
      store::WriteTransaction tx(session_);
      auto ids = insert_jobs_in_one_statement(jobs, now);
      tx.commit();
      return ids;
    } catch (const std::exception&) {
      // Fall through: nothing of the batch was kept.
    }
  }
  std::vector<int64_t> ids;
  ids.reserve(jobs.size());
  store::WriteTransaction tx(session_);
  for (const auto& j : jobs) {
    try {
      ids.push_back(insert_job(j, now));
    } catch (...) {
      rethrow_as_store_error("enqueue " + j.type);
    }
  }
  tx.commit();
  return ids;
}

std::vector<int64_t> JobStore::insert_jobs_in_one_statement(const std::vector<NewJob>& jobs,
                                                            Micros now) {
  nlohmann::json rows = nlohmann::json::array();
  for (size_t i = 0; i < jobs.size(); ++i) {
    const NewJob& j = jobs[i];
    rows.push_back(
        {{"ord", i},
         {"type", j.type},
         {"job_key", j.key},
         {"singleton_slot",
          j.singleton_slot ? nlohmann::json(*j.singleton_slot) : nlohmann::json()},
         {"status", j.scheduled_at > now ? "scheduled" : "pending"},
         {"origin", j.origin},
         {"params", j.params},
         {"created_at", now},
         {"scheduled_at", j.scheduled_at == 0 ? now : j.scheduled_at},
         {"max_attempts", j.max_attempts},
         {"schedule_id", j.schedule_id ? nlohmann::json(*j.schedule_id) : nlohmann::json()}});
  }
  const std::string text = rows.dump();
  std::vector<int64_t> ids;
  ids.reserve(jobs.size());
  soci::rowset<long long> returned =
      (session_.sql().prepare
           << "INSERT INTO jh_jobs (type, job_key, singleton_slot, status, origin, params, "
              "created_at, scheduled_at, max_attempts, schedule_id) SELECT type, job_key, "
              "singleton_slot, status, origin, params, created_at, scheduled_at, max_attempts, "
              "schedule_id FROM json_to_recordset(CAST(:rows AS json)) AS r(ord BIGINT, type "
              "TEXT, job_key TEXT, singleton_slot TEXT, status TEXT, origin TEXT, params TEXT, "
              "created_at BIGINT, scheduled_at BIGINT, max_attempts BIGINT, schedule_id BIGINT) "
              "ORDER BY ord RETURNING id",
       soci::use(text));
  for (long long id : returned) ids.push_back(id);
  if (ids.size() != jobs.size())
    throw store::StoreError("enqueue: " + std::to_string(jobs.size()) + " jobs sent, " +
                            std::to_string(ids.size()) + " inserted");
  // Identities are drawn in the order the rows are inserted (ORDER BY ord); RETURNING itself
  // promises no order.
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::vector<ClaimedJob> JobStore::claim(const std::string& host, size_t max, Micros now,
                                        Micros lease) {
  std::vector<std::pair<Micros, ClaimedJob>> claimed;  // with each job's scheduled time
  auto& p = prepared();
  store::WriteTransaction tx(session_);
  try {
    p.c_now = now;
    p.c_limit = static_cast<long long>(max);
    p.c_host = host;
    p.c_started = now;
    p.c_lease = now + lease;
    p.claim.execute();
    while (p.claim.fetch()) {
      ClaimedJob j;
      j.id = p.c_id;
      j.type = p.c_type;
      j.key = p.c_key;
      j.params = p.c_params;
      j.attempt = p.c_attempt;
      j.max_attempts = p.c_max_attempts;
      j.started_at = now;
      if (p.c_schedule.ind == soci::i_ok) j.schedule_id = p.c_schedule.value;
      claimed.emplace_back(p.c_scheduled, std::move(j));
    }
    store::reset_statement(p.claim, session_.dialect());
  } catch (...) {
    rethrow_as_store_error("claiming jobs");
  }
  tx.commit();
  // RETURNING promises no order: run them in the queue's order, due first.
  std::sort(claimed.begin(), claimed.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second.id < b.second.id;
  });
  std::vector<ClaimedJob> out;
  out.reserve(claimed.size());
  for (auto& c : claimed) out.push_back(std::move(c.second));
  return out;
}

std::optional<ClaimedJob> JobStore::claim_job(int64_t id, const std::string& host, Micros now,
                                              Micros lease) {
  try {
    long long wanted = id, at = now, until = now + lease;
    ClaimedJob j;
    long long got = 0, attempt = 0, max_attempts = 1;
    OptInt schedule;
    soci::indicator got_ind = soci::i_null;
    store::WriteTransaction tx(session_);
    session_.sql() << std::string(
                          "UPDATE jh_jobs SET status = 'running', host = :h, "
                          "started_at = :t, lease_until = :l, attempt = attempt + 1, "
                          "finished_at = NULL, error = NULL WHERE id = :id AND ") +
                          store::kWaitingStatus +
                          " AND scheduled_at <= :now RETURNING id, type, job_key, params, "
                          "attempt, max_attempts, schedule_id",
        soci::use(host, "h"), soci::use(at, "t"), soci::use(until, "l"), soci::use(wanted, "id"),
        soci::use(at, "now"), soci::into(got, got_ind), soci::into(j.type), soci::into(j.key),
        soci::into(j.params), soci::into(attempt), soci::into(max_attempts),
        soci::into(schedule.value, schedule.ind);
    const bool found = session_.sql().got_data() && got_ind == soci::i_ok;
    tx.commit();
    if (!found) return std::nullopt;
    j.id = got;
    j.attempt = attempt;
    j.max_attempts = max_attempts;
    j.started_at = now;
    if (schedule.ind == soci::i_ok) j.schedule_id = schedule.value;
    return j;
  } catch (...) {
    rethrow_as_store_error("claiming job " + std::to_string(id));
  }
}

void JobStore::release(const std::vector<int64_t>& ids, const std::string& host) {
  if (ids.empty()) return;
  try {
    store::WriteTransaction tx(session_);
    long long id = 0;
    soci::statement st =
        (session_.sql().prepare << "UPDATE jh_jobs SET status = CASE WHEN scheduled_at > "
                                   "created_at THEN 'scheduled' ELSE 'pending' END, host = NULL, "
                                   "started_at = NULL, lease_until = NULL, attempt = attempt - 1 "
                                   "WHERE id = :id AND status = 'running' AND host = :h",
         soci::use(id), soci::use(host));
    for (int64_t i : ids) {
      id = i;
      st.execute(true);
    }
    tx.commit();
  } catch (...) {
    rethrow_as_store_error("giving claimed jobs back");
  }
}

bool JobStore::outcome_is_one_statement() const {
  return session_.dialect() == store::Dialect::postgresql;
}

void JobStore::bind_completion(int64_t id, const std::string& host, const Completion& c) {
  auto& p = prepared();
  p.f_status = c.retry_at ? "scheduled" : status_name(c.status);
  p.f_retry.set(c.retry_at);
  p.f_finished = c.finished_at;
  p.f_result.set(c.result);
  p.f_data.set(c.data);
  p.f_pre.set(c.pre_data);
  p.f_post.set(c.post_data);
  p.f_signal.set(c.signal_id);
  p.f_error.set(c.error);
  p.f_pdone.set(c.progress_done);
  p.f_ptotal.set(c.progress_total);
  p.f_pmsg.set(c.progress_message);
  p.f_id = id;
  p.f_host = host;
}

void JobStore::bind_event(const EventRecord& e) {
  auto& p = prepared();
  p.e_time = e.created_at;
  p.e_name = e.name;
  p.e_job.set(e.job_id);
  p.e_level = e.level;
  p.e_message = e.message;
  p.e_result.set(e.result);
  p.e_exception.set(e.exception);
  p.e_data.set(e.data);
  p.e_pre.set(e.pre_data);
  p.e_post.set(e.post_data);
  p.e_signal.set(e.signal_id);
}

bool JobStore::finish(int64_t id, const std::string& host, const Completion& c,
                      const EventRecord* event) {
  auto& p = prepared();
  try {
    bind_completion(id, host, c);
    if (event && outcome_is_one_statement()) {
      bind_event(*event);
      p.finish_with_event.execute(true);
      return p.finish_with_event.get_affected_rows() == 1;
    }
    p.finish.execute(true);
    if (p.finish.get_affected_rows() != 1) return false;
  } catch (...) {
    rethrow_as_store_error("recording the end of job " + std::to_string(id));
  }
  if (event) insert_event(*event);
  return true;
}

void JobStore::insert_event(const EventRecord& e) {
  auto& p = prepared();
  try {
    bind_event(e);
    p.event.execute(true);
  } catch (...) {
    rethrow_as_store_error("writing an event");
  }
}

int64_t JobStore::renew_leases(const std::string& host, const std::vector<int64_t>& ids, Micros now,
                               Micros lease) {
  try {
    long long until = now + lease;
    int64_t renewed = 0;
    // The ids are integers written into the statement, in slices of a bounded length.
    constexpr size_t kSlice = 500;
    for (size_t from = 0; from < ids.size(); from += kSlice) {
      std::string list;
      for (size_t i = from; i < std::min(ids.size(), from + kSlice); ++i)
        list += (list.empty() ? "" : ",") + std::to_string(ids[i]);
      soci::statement st =
          (session_.sql().prepare << "UPDATE jh_jobs SET lease_until = :l WHERE host = :h AND "
                                     "status = 'running' AND id IN (" +
                                         list + ")",
           soci::use(until), soci::use(host));
      st.execute(true);
      renewed += st.get_affected_rows();
    }
    return renewed;
  } catch (...) {
    rethrow_as_store_error("renewing leases");
  }
}

std::vector<ExpiredLease> JobStore::expired_leases(Micros now) {
  std::vector<ExpiredLease> out;
  try {
    long long at = now;
    soci::rowset<soci::row> rows =
        (session_.sql().prepare
             << "SELECT id, type, host, attempt, max_attempts, lease_until, schedule_id, "
                "CASE WHEN lease_until < :now THEN 0 ELSE 1 END FROM jh_jobs WHERE status = "
                "'running' AND (lease_until < :now2 OR host IN (SELECT instance FROM jh_hosts "
                "WHERE lost_at IS NOT NULL AND stopped_at IS NULL)) ORDER BY id",
         soci::use(at, "now"), soci::use(at, "now2"));
    for (const auto& r : rows) {
      ExpiredLease e;
      e.id = store::row_int_or(r, 0, 0);
      e.type = store::row_text_or(r, 1);
      e.host = store::row_text_or(r, 2);
      e.attempt = store::row_int_or(r, 3, 1);
      e.max_attempts = store::row_int_or(r, 4, 1);
      e.lease_until = store::row_int_or(r, 5, 0);
      e.schedule_id = store::row_int(r, 6);
      e.host_lost = store::row_int_or(r, 7, 0) == 1;
      out.push_back(std::move(e));
    }
  } catch (...) {
    rethrow_as_store_error("looking for expired leases");
  }
  return out;
}

bool JobStore::rescue(const ExpiredLease& job, const Completion& c) {
  try {
    long long id = job.id, lease = job.lease_until, finished = c.finished_at,
              retry = c.retry_at.value_or(0);
    soci::indicator retry_ind = c.retry_at ? soci::i_ok : soci::i_null;
    std::string status = c.retry_at ? "scheduled" : status_name(c.status);
    std::string error = c.error.value_or("host lost");
    soci::statement st =
        (session_.sql().prepare << "UPDATE jh_jobs SET status = :s, finished_at = :f, error = :e, "
                                   "lease_until = NULL, scheduled_at = COALESCE(:retry, "
                                   "scheduled_at) WHERE id = :id AND status = 'running' AND "
                                   "lease_until = :lease",
         soci::use(status), soci::use(finished), soci::use(error), soci::use(retry, retry_ind),
         soci::use(id), soci::use(lease));
    st.execute(true);
    return st.get_affected_rows() == 1;
  } catch (...) {
    rethrow_as_store_error("rescuing job " + std::to_string(job.id));
  }
}

std::optional<JobRecord> JobStore::get(int64_t id) {
  try {
    long long wanted = id;
    soci::rowset<soci::row> rows = (session_.sql().prepare << std::string("SELECT ") + kJobColumns +
                                                                  " FROM jh_jobs WHERE id = :id",
                                    soci::use(wanted));
    for (const auto& r : rows) return read_job(r);
    return std::nullopt;
  } catch (...) {
    rethrow_as_store_error("reading job " + std::to_string(id));
  }
}

std::vector<JobRecord> JobStore::list(const JobFilter& f) {
  std::string sql = std::string("SELECT ") + kJobColumns + " FROM jh_jobs WHERE 1 = 1";
  std::string status = f.status ? status_name(*f.status) : "";
  std::string type = f.type.value_or(""), key = f.key.value_or("");
  long long before = f.before_id.value_or(0), limit = f.limit;
  if (f.status) sql += " AND status = :status";
  if (f.type) sql += " AND type = :type";
  if (f.key) sql += " AND job_key = :key";
  if (f.before_id) sql += " AND id < :before";
  sql += " ORDER BY id DESC LIMIT :limit";
  std::vector<JobRecord> out;
  try {
    soci::details::prepare_temp_type q = (session_.sql().prepare << sql);
    if (f.status) q, soci::use(status);
    if (f.type) q, soci::use(type);
    if (f.key) q, soci::use(key);
    if (f.before_id) q, soci::use(before);
    q, soci::use(limit);
    soci::rowset<soci::row> rows(q);
    for (const auto& r : rows) out.push_back(read_job(r));
  } catch (...) {
    rethrow_as_store_error("listing jobs");
  }
  return out;
}

std::vector<EventRecord> JobStore::events(const EventFilter& f) {
  std::string sql =
      "SELECT id, created_at, name, job_id, level, message, result, exception, data, pre_data, "
      "post_data, signal_id FROM jh_events WHERE 1 = 1";
  long long job = f.job_id.value_or(0), since = f.since.value_or(0), limit = f.limit;
  std::string level = f.level.value_or("");
  if (f.job_id) sql += " AND job_id = :job";
  if (f.since) sql += " AND created_at >= :since";
  if (f.level) sql += " AND level = :level";
  // The newest `limit`, shown oldest first.
  sql = "SELECT * FROM (" + sql + " ORDER BY id DESC LIMIT :limit) newest ORDER BY id";
  std::vector<EventRecord> out;
  try {
    soci::details::prepare_temp_type q = (session_.sql().prepare << sql);
    if (f.job_id) q, soci::use(job);
    if (f.since) q, soci::use(since);
    if (f.level) q, soci::use(level);
    q, soci::use(limit);
    soci::rowset<soci::row> rows(q);
    for (const auto& r : rows) out.push_back(read_event(r));
  } catch (...) {
    rethrow_as_store_error("listing events");
  }
  return out;
}

std::optional<std::pair<int64_t, JobStatus>> JobStore::slot_holder(const std::string& slot) {
  try {
    long long id = 0;
    std::string status;
    soci::indicator ind = soci::i_null;
    session_.sql() << "SELECT id, status FROM jh_jobs WHERE singleton_slot = :s AND " +
                          std::string(store::kLiveStatus) + " ORDER BY id LIMIT 1",
        soci::use(slot), soci::into(id, ind), soci::into(status);
    if (!session_.sql().got_data() || ind != soci::i_ok) return std::nullopt;
    return std::make_pair(static_cast<int64_t>(id),
                          parse_status(status).value_or(JobStatus::pending));
  } catch (...) {
    rethrow_as_store_error("looking up a singleton slot");
  }
}

int64_t JobStore::count_due(Micros now) {
  try {
    long long n = 0;
    long long at = now;
    session_.sql() << "SELECT COUNT(*) FROM jh_jobs WHERE " + std::string(store::kWaitingStatus) +
                          " AND scheduled_at <= :now",
        soci::use(at), soci::into(n);
    return n;
  } catch (...) {
    rethrow_as_store_error("counting due jobs");
  }
}

}  // namespace jobhost::jobs
