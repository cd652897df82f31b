#include "jobs/runner.h"

#include <chrono>
#include <optional>
#include <thread>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/logging.h"
#include "jobs/retry.h"
#include "jobs/run_timeout.h"
#include "metrics/metrics.h"
#include "plugin/abi.h"
#include "schedule/schedule_store.h"
#include "services/context.h"
#include "store/run_transaction.h"

namespace jobhost::jobs {

Runner::Runner(plugin::PluginRegistry& registry, store::Session& session, RunnerOptions options,
               DurationStats& stats)
    : registry_(registry),
      session_(session),
      options_(std::move(options)),
      stats_(stats),
      store_(session) {}

Runner::~Runner() = default;

std::vector<RunOutcome> Runner::run(const std::vector<ClaimedJob>& jobs,
                                    const std::function<void(services::RunContext*)>& on_start) {
  on_start_ = on_start;
  std::vector<RunOutcome> done, batch;
  done.reserve(jobs.size());
  store::RunTransaction tx(session_);
  Micros batch_started = 0;
  for (const auto& job : jobs) {
    const bool fast = stats_.is_fast(job.type);
    // A run that may be slow never shares a transaction: commit what is waiting first.
    if (session_.in_transaction() &&
        (!fast || now_micros() - batch_started > options_.group_commit_window))
      commit(batch, done);
    if (!session_.in_transaction()) batch_started = now_micros();
    batch.push_back(execute(job));
    const bool slow = batch.back().duration >= DurationStats::kFastThreshold;
    if (slow || !fast) commit(batch, done);
    if (slow) break;
  }
  commit(batch, done);
  on_start_ = nullptr;
  return done;
}

void Runner::commit(std::vector<RunOutcome>& batch, std::vector<RunOutcome>& done) {
  if (batch.empty()) return;
  std::optional<std::string> lost = std::exchange(batch_lost_, std::nullopt);
  if (!lost) {
    try {
      if (session_.in_transaction()) session_.commit();
    } catch (const std::exception& e) {
      lost = std::string("the run's commit failed: ") + e.what();
    }
  }
  if (lost) {
    // Nothing of the batch is kept; record each job as errored on its own, so that none is
    // left running. If even that fails, the lease expires and the job is rescued.
    const std::string& why = *lost;
    if (session_.in_transaction()) {
      try {
        session_.rollback();
      } catch (...) {
        // Recording each job below reports what matters.
      }
    }
    for (auto& o : batch) {
      o.status = JobStatus::errored;
      o.error = why;
      o.result.reset();
      try {
        store::WriteTransaction tx(session_);
        Completion c;
        c.status = JobStatus::errored;
        c.finished_at = now_micros();
        c.error = why;
        store_.finish(o.id, options_.host_name, c);
        tx.commit();
      } catch (const std::exception& again) {
        host_log()->error("job {}: cannot record its error ({}); its lease will expire", o.id,
                          again.what());
      }
    }
  }
  for (auto& o : batch) {
    metrics::job_finished(o.type, status_name(o.status), o.duration);
    if (o.retry_at && !lost) metrics::job_retried(o.type);  // a lost batch retried nothing
    if (o.status == JobStatus::completed) {
      auto lvl = stats_.is_fast(o.type) ? spdlog::level::debug : spdlog::level::info;
      host_log()->log(lvl, "job {} {} completed in {}", o.id, o.type, format_duration(o.duration));
    } else {
      host_log()->warn("job {} {} {}: {}{}", o.id, o.type, status_name(o.status), o.error,
                       o.retry_at ? "; retrying at " + format_time(*o.retry_at) : "");
    }
    done.push_back(std::move(o));
  }
  batch.clear();
}

RunOutcome Runner::execute(const ClaimedJob& job) {
  RunOutcome outcome;
  outcome.id = job.id;
  outcome.type = job.type;
  const Micros started = now_micros();
  // Held for the whole run: a reload that retires the plugin unloads it only after this.
  const plugin::JobTypeEntry entry = registry_.resolve(job.type);
  const plugin::JobTypeSpec* type = entry.type.get();
  services::PluginRuntime* runtime = entry.plugin ? entry.plugin->runtime.get() : nullptr;
  if (!type || !runtime) {
    outcome.error =
        "no plugin on host " + options_.host_name + " provides job type '" + job.type + "'";
    record_error(job, nullptr, outcome, nullptr, outcome.error);
    return outcome;
  }

  nlohmann::json params = nlohmann::json::parse(job.params, nullptr, false);
  if (params.is_discarded()) params = nlohmann::json::object();

  store::RunTransaction tx(session_);
  services::RunContext ctx(*runtime, *type, job, std::move(params), tx);
  const uint32_t timeout_s = run_timeout_s(*type, options_.default_timeout_s);
  ctx.set_deadline(started + static_cast<Micros>(timeout_s) * 1000000);
  if (on_start_) on_start_(&ctx);
  {
    std::lock_guard lock(current_mutex_);
    current_ = &ctx;
    current_type_ = type;
  }
  struct ClearCurrent {
    Runner& r;
    ~ClearCurrent() {
      std::lock_guard lock(r.current_mutex_);
      r.current_ = nullptr;
      r.current_type_ = nullptr;
    }
  } clear_current{*this};

  jh_status status = JH_ERROR;
  // The run's own time, without the host's SAVEPOINT (a round trip that a busy server can
  // stretch to milliseconds): it decides whether the type is fast enough to share a commit.
  Micros run_started = started;
  status = services::guarded_run(ctx, [&] {
    tx.begin_run();
    run_started = now_micros();
    return type->run(type->user_data, services::host_api(), ctx.handle());
  });
  if (abandoned_.load()) {
    // The watchdog gave up on this run, recorded it and put a new worker in this thread's
    // place; the pool, the host and this runner's session may be gone by now. Touch nothing:
    // park this thread for the rest of the process's life.
    for (;;) std::this_thread::sleep_for(std::chrono::hours(24));
  }
  outcome.duration = now_micros() - run_started;
  stats_.record(job.type, outcome.duration);

  if (status == JH_OK || status == JH_FAILED) {
    outcome.status = status == JH_OK ? JobStatus::completed : JobStatus::failed;
    outcome.result = ctx.result();
    try {
      // A run that wrote nothing (no SQL, no events of its own) needs no savepoint when its
      // end and completion event are one statement: that statement is atomic by itself.
      const bool one_statement = store_.outcome_is_one_statement() && !tx.used() &&
                                 !job.schedule_id && (!options_.event_log || ctx.events().empty());
      if (one_statement)
        tx.use_unguarded();
      else
        tx.use();
      std::optional<EventRecord> done;
      if (options_.event_log) {
        for (const auto& e : ctx.events()) {
          EventRecord r;
          r.created_at = e.at;
          r.name = job.type;
          r.job_id = job.id;
          r.level = e.level;
          r.message = e.message;
          r.data = e.data;
          r.pre_data = e.pre_data;
          r.post_data = e.post_data;
          r.signal_id = e.signal_id;
          store_.insert_event(r);
        }
        done.emplace();
        done->created_at = now_micros();
        done->name = job.type;
        done->job_id = job.id;
        done->level = status == JH_OK ? "info" : "warn";
        done->message = std::string(status == JH_OK ? "completed" : "failed") + " in " +
                        format_duration(outcome.duration);
        done->result = ctx.result();
        done->data = ctx.data();
        done->pre_data = ctx.pre_data();
        done->post_data = ctx.post_data();
        done->signal_id = ctx.signal_id();
      }
      Completion c;
      c.status = outcome.status;
      c.finished_at = now_micros();
      c.result = ctx.result();
      c.data = ctx.data();
      c.pre_data = ctx.pre_data();
      c.post_data = ctx.post_data();
      c.signal_id = ctx.signal_id();
      if (status == JH_FAILED) c.error = ctx.reported().value_or("the job reported failure");
      outcome.error = c.error.value_or("");
      auto p = ctx.progress();
      if (p.reported) {
        c.progress_done = p.done;
        c.progress_total = p.total;
        c.progress_message = p.message;
      }
      if (job.schedule_id) schedule::ScheduleStore(session_).lock_for_outcome(*job.schedule_id);
      if (!store_.finish(job.id, options_.host_name, c, done ? &*done : nullptr)) {
        // Another host rescued the job after our lease expired: its outcome is theirs now.
        tx.discard_run();
        outcome.status = JobStatus::errored;
        outcome.error =
            "the job was taken over by another host (lease expired); this run's "
            "changes were rolled back";
        outcome.result.reset();
        return outcome;
      }
      if (job.schedule_id)
        schedule::ScheduleStore(session_).record_outcome(
            *job.schedule_id, job.id, status_name(outcome.status), c.finished_at);
      tx.keep_run();
      return outcome;
    } catch (const std::exception& e) {
      outcome.status = JobStatus::errored;
      outcome.result.reset();
      outcome.error = std::string("recording the run's outcome failed: ") + e.what();
      record_error(job, type, outcome, &ctx, outcome.error);
      return outcome;
    }
  }

  // Errored: the message the plugin gave, else the last failed host call, else the status.
  if (status == JH_CANCELLED && ctx.deadline_passed()) {
    outcome.error = timeout_error(*type, options_.default_timeout_s);
  } else if (status == JH_CANCELLED && ctx.cancelled()) {
    outcome.error = "cancelled: the host is shutting down";
  } else if (ctx.reported() && !ctx.reported()->empty()) {
    outcome.error = *ctx.reported();
  } else if (!ctx.last_error().empty()) {
    outcome.error = ctx.last_error();
  } else {
    outcome.error =
        std::string("the run returned ") + plugin::status_code_name(status) + " without a message";
  }
  outcome.status = JobStatus::errored;
  record_error(job, type, outcome, &ctx, outcome.error);
  return outcome;
}

void Runner::cancel_current() {
  std::lock_guard lock(current_mutex_);
  if (current_) current_->request_cancel();
}

bool Runner::abandon_if_hung(Micros now, Micros grace, store::Session& helper) {
  std::lock_guard lock(current_mutex_);
  if (!current_ || abandoned_.load() || !current_->deadline_passed()) return false;
  const auto left = current_->time_left();
  if (!left || -*left < grace) return false;
  current_->request_cancel();
  abandoned_.store(true);
  session_.abandon(helper);

  const ClaimedJob& job = current_->job();
  // current_type_ is set and cleared with current_.
  const std::string error = timeout_error(*current_type_, options_.default_timeout_s) +
                            " (the run did not return " + std::to_string(grace / 1000000) +
                            " s after being cancelled; abandoned, its changes rolled back)";
  Completion c;
  c.status = JobStatus::errored;
  c.finished_at = now;
  c.error = error;
  if (retries_left(job.attempt, job.max_attempts))
    c.retry_at = now + retry_delay(current_type_->retry, job.attempt);
  try {
    JobStore store(helper);
    store::WriteTransaction tx(helper);
    if (job.schedule_id) schedule::ScheduleStore(helper).lock_for_outcome(*job.schedule_id);
    const bool recorded = store.finish(job.id, options_.host_name, c);
    if (recorded) {
      if (options_.event_log) {
        EventRecord e;
        e.created_at = now;
        e.name = job.type;
        e.job_id = job.id;
        e.level = "error";
        e.message = "errored: " + error;
        e.exception = error;
        store.insert_event(e);
      }
      if (job.schedule_id)
        schedule::ScheduleStore(helper).record_outcome(*job.schedule_id, job.id, "errored", now);
    }
    tx.commit();
    // The run's own thread is parked for good and never reaches commit(): count it here.
    if (recorded) metrics::job_finished(job.type, "errored", now - job.started_at);
    if (recorded && c.retry_at) metrics::job_retried(job.type);
  } catch (const std::exception& e) {
    host_log()->error("job {}: recording its timeout failed: {}", job.id, e.what());
  }
  host_log()->error("job {} {}: {}", job.id, job.type, error);
  return true;
}

void Runner::record_error(const ClaimedJob& job, const plugin::JobTypeSpec* type,
                          RunOutcome& outcome, services::RunContext* ctx,
                          const std::string& exception) {
  outcome.status = JobStatus::errored;
  const Micros now = now_micros();
  if (type && retries_left(job.attempt, job.max_attempts))
    outcome.retry_at = now + retry_delay(type->retry, job.attempt);
  store::RunTransaction tx(session_);
  try {
    // The run's own writes go; the error is written afresh (in the batch, if there is one).
    if (ctx) ctx->transaction().discard_run();
    tx.use();
    std::optional<EventRecord> event;
    if (options_.event_log) {
      EventRecord& e = event.emplace();
      e.created_at = now_micros();
      e.name = job.type;
      e.job_id = job.id;
      e.level = "error";
      e.message = "errored: " + exception;
      if (job.max_attempts > 1)
        e.message = "attempt " + std::to_string(job.attempt) + " of " +
                    std::to_string(job.max_attempts) + " errored: " + exception +
                    (outcome.retry_at ? "; next attempt at " + format_time(*outcome.retry_at)
                                      : "; no attempts left");
      e.exception = exception;
      if (ctx) {
        e.data = ctx->data();
        e.pre_data = ctx->pre_data();
        e.post_data = ctx->post_data();
        e.signal_id = ctx->signal_id();
      }
    }
    Completion c;
    c.status = JobStatus::errored;
    c.finished_at = now;
    c.error = exception;
    c.retry_at = outcome.retry_at;
    if (ctx) {
      auto p = ctx->progress();
      if (p.reported) {
        c.progress_done = p.done;
        c.progress_total = p.total;
        c.progress_message = p.message;
      }
    }
    if (job.schedule_id) schedule::ScheduleStore(session_).lock_for_outcome(*job.schedule_id);
    if (store_.finish(job.id, options_.host_name, c, event ? &*event : nullptr) && job.schedule_id)
      schedule::ScheduleStore(session_).record_outcome(*job.schedule_id, job.id, "errored",
                                                       c.finished_at);
  } catch (const std::exception& e) {
    host_log()->error("job {}: cannot record its error ({}): {}", job.id, exception, e.what());
    batch_lost_ = "the batch's transaction was rolled back after job " + std::to_string(job.id) +
                  "'s error could not be recorded: " + e.what();
    try {
      session_.rollback();
    } catch (...) {
    }
  }
}

}  // namespace jobhost::jobs
