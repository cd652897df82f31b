// The jobs and events tables: enqueue (with the singleton rule enforced by a unique index),
// claim (a conditional update: each job is claimed once), finish, and the read queries.
// Hot-path statements are prepared once per session.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "jobs/job.h"
#include "store/database.h"

namespace jobhost::jobs {

// A refused enqueue: the singleton slot is held by another live job.
class SingletonConflict : public std::runtime_error {
 public:
  SingletonConflict(const std::string& type, const std::string& key, int64_t holder,
                    JobStatus holder_status);
  int64_t holder() const { return holder_; }
  JobStatus holder_status() const { return holder_status_; }

 private:
  int64_t holder_;
  JobStatus holder_status_;
};

// The final state of a run, written in the run's transaction.
struct Completion {
  JobStatus status = JobStatus::completed;
  Micros finished_at = 0;
  std::optional<std::string> result, data, pre_data, post_data, signal_id, error;
  std::optional<int64_t> progress_done, progress_total;
  std::optional<std::string> progress_message;
  // Errored with attempts left: the job waits (status scheduled) until then for its next try.
  std::optional<Micros> retry_at;
};

// A running job whose lease expired: its host died or lost the store.
struct ExpiredLease {
  int64_t id = 0;
  std::string type;
  std::string host;
  int64_t attempt = 0, max_attempts = 1;
  Micros lease_until = 0;
  std::optional<int64_t> schedule_id;
  bool host_lost = false;  // rescued because its host was declared lost, not by its lease
};

struct JobFilter {
  std::optional<JobStatus> status;
  std::optional<std::string> type;
  std::optional<std::string> key;
  std::optional<int64_t> before_id;  // paging: ids lower than this
  int64_t limit = 50;
};

struct EventFilter {
  std::optional<int64_t> job_id;
  std::optional<Micros> since;
  std::optional<std::string> level;
  int64_t limit = 100;
};

class JobStore {
 public:
  explicit JobStore(store::Session& session);
  ~JobStore();
  JobStore(const JobStore&) = delete;
  JobStore& operator=(const JobStore&) = delete;

  store::Session& session() { return session_; }

  // Inserts one job in its own transaction (or the caller's, if one is open).
  // Throws SingletonConflict naming the job that holds the slot.
  int64_t enqueue(const NewJob& job, Micros now);
  // Inserts many jobs in one transaction: all or none. Ids in the order of `jobs`.
  std::vector<int64_t> enqueue_many(const std::vector<NewJob>& jobs, Micros now);

  // Inserts a job already running on `host` (run-now): nobody else can claim it, and the
  // singleton slot is taken as for any job. Throws SingletonConflict.
  ClaimedJob start_now(const NewJob& job, const std::string& host, Micros now, Micros lease);

  // Claims up to `max` due jobs for `host`, in one transaction: each becomes `running` with a
  // lease and its attempt counted. PostgreSQL skips rows other hosts are claiming.
  std::vector<ClaimedJob> claim(const std::string& host, size_t max, Micros now, Micros lease);
  // Claims the one job `id` if it is still waiting and due (`trigger --wait` running its own
  // job here); nullopt when another host took it first or it is not due.
  std::optional<ClaimedJob> claim_job(int64_t id, const std::string& host, Micros now,
                                      Micros lease);

  // Gives claimed jobs that did not start back to the queue (as if never claimed).
  void release(const std::vector<int64_t>& ids, const std::string& host);

  // In the caller's open transaction: records the end of a running job held by `host`.
  // Returns false when the job is no longer this host's to finish (rescued elsewhere).
  // With `event`, also writes that event, only if the job was still ours.
  bool finish(int64_t id, const std::string& host, const Completion& c,
              const EventRecord* event = nullptr);
  // Whether finish() with an event is a single statement, atomic without a savepoint.
  bool outcome_is_one_statement() const;

  // In the caller's transaction if one is open, else on its own.
  void insert_event(const EventRecord& e);

  // Extends the leases of the jobs `ids` that `host` is running. Returns how many.
  int64_t renew_leases(const std::string& host, const std::vector<int64_t>& ids, Micros now,
                       Micros lease);
  // Running jobs whose lease ended before `now`, or whose host was declared lost (jh_hosts).
  std::vector<ExpiredLease> expired_leases(Micros now);
  // In the caller's transaction: ends a job whose lease expired, if its lease is still the
  // expired one (its host did not come back and renew it meanwhile).
  bool rescue(const ExpiredLease& job, const Completion& c);

  std::optional<JobRecord> get(int64_t id);
  std::vector<JobRecord> list(const JobFilter& filter);
  std::vector<EventRecord> events(const EventFilter& filter);
  // The live job holding a singleton slot, if any.
  std::optional<std::pair<int64_t, JobStatus>> slot_holder(const std::string& slot);
  // Jobs waiting to be claimed that are due at `now`.
  int64_t count_due(Micros now);

 private:
  struct Prepared;
  Prepared& prepared();
  int64_t insert_job(const NewJob& job, Micros now);
  void bind_completion(int64_t id, const std::string& host, const Completion& c);
  void bind_event(const EventRecord& e);
  // PostgreSQL: all of `jobs` in one INSERT (the caller holds the transaction).
  std::vector<int64_t> insert_jobs_in_one_statement(const std::vector<NewJob>& jobs, Micros now);
  // Runs `insert` in its own transaction (unless one is open), turning a violated singleton
  // index into SingletonConflict.
  int64_t insert_guarded(const NewJob& job, const std::function<int64_t()>& insert);

  store::Session& session_;
  std::unique_ptr<Prepared> prepared_;
};

}  // namespace jobhost::jobs
