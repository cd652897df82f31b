// The atomic runner: runs claimed jobs so that everything a run wrote through the host
// commits together with its final status and events, or none of it does. An errored run's
// writes are rolled back and its error recorded afresh; a failed run (the plugin reported
// failure) keeps its writes. Outcomes are reported only once committed (durable).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "jobs/duration_stats.h"
#include "jobs/job.h"
#include "jobs/job_store.h"
#include "plugin/registry.h"
#include "store/database.h"

namespace jobhost::services {
class RunContext;
}

namespace jobhost::jobs {

struct RunnerOptions {
  std::string host_name;
  bool event_log = true;
  uint32_t default_timeout_s = 3600;
  // Fast runs share a transaction for at most this long before it commits.
  Micros group_commit_window = 10000;
};

struct RunOutcome {
  int64_t id = 0;
  std::string type;
  JobStatus status = JobStatus::errored;
  std::optional<std::string> result;
  std::string error;
  Micros duration = 0;
  std::optional<Micros> retry_at;  // errored with attempts left: when the next one runs
};

class Runner {
 public:
  Runner(plugin::PluginRegistry& registry, store::Session& session, RunnerOptions options,
         DurationStats& stats);
  ~Runner();

  // Runs the jobs in order; returns their outcomes once committed. `on_start` (optional) is
  // told about each run's context before it starts, so that it can be cancelled. After a slow
  // run it stops early, so that the rest do not wait behind it: the jobs without an outcome
  // (the tail of `jobs`) were not run and should be given back to the queue.
  std::vector<RunOutcome> run(const std::vector<ClaimedJob>& jobs,
                              const std::function<void(services::RunContext*)>& on_start = {});

  // Asks the run in progress (if any) to stop: its cancelled() turns true. Thread-safe.
  void cancel_current();

  // The watchdog's side (another thread): when the run in progress is past its deadline by
  // more than `grace` and still has not returned, it is abandoned: its database work is ended
  // (Session::abandon, using `helper`), and it is recorded as errored "timed out after N s" (and
  // retried per policy) through `helper`. Returns true when it abandoned a run. The thread of
  // an abandoned run, if the plugin ever returns, parks for good and touches nothing.
  bool abandon_if_hung(Micros now, Micros grace, store::Session& helper);
  bool abandoned() const { return abandoned_.load(); }

 private:
  RunOutcome execute(const ClaimedJob& job);
  void record_error(const ClaimedJob& job, const plugin::JobTypeSpec* type, RunOutcome& outcome,
                    services::RunContext* ctx, const std::string& exception);
  void commit(std::vector<RunOutcome>& batch, std::vector<RunOutcome>& done);

  plugin::PluginRegistry& registry_;
  store::Session& session_;
  RunnerOptions options_;
  DurationStats& stats_;
  JobStore store_;
  std::function<void(services::RunContext*)> on_start_;
  std::mutex current_mutex_;
  services::RunContext* current_ = nullptr;
  const plugin::JobTypeSpec* current_type_ = nullptr;
  std::atomic<bool> abandoned_{false};
  // Set when an error rolled back the whole batch transaction (not just a run's savepoint):
  // the batch's runs that looked kept are lost, and commit() must say so.
  std::optional<std::string> batch_lost_;
};

}  // namespace jobhost::jobs
