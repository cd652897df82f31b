#include "jobs/query.h"

#include <stdexcept>
#include <utility>

#include "core/logging.h"
#include "jobs/new_job.h"
#include "jobs/params.h"
#include "jobs/run_timeout.h"
#include "plugin/abi.h"
#include "services/context.h"
#include "store/run_transaction.h"

namespace jobhost::jobs {

namespace {

// The query's job type with its plugin, which stays loaded while the entry is held.
plugin::JobTypeEntry read_only_type(const plugin::PluginRegistry& registry,
                                    const std::string& name) {
  plugin::JobTypeEntry entry = registry.resolve(name);
  const auto& type = entry.type;
  if (!type) {
    std::string known;
    for (const auto& t : registry.job_types()) known += (known.empty() ? "" : ", ") + t->name;
    throw std::invalid_argument(
        "no loaded plugin provides job type '" + name + "'" +
        (known.empty() ? " (no job types are loaded)" : " (loaded: " + known + ")"));
  }
  if (!type->read_only)
    throw std::invalid_argument("job type " + name +
                                " is not a read-only query: its plugin does not declare it "
                                "read_only (ABI 1.4), so it runs only as a job");
  return entry;
}

// A job-like identity for the run: id 0 (job_id() answers 0), the key from the key parameter,
// one attempt. Nothing of it is stored.
ClaimedJob query_job(const plugin::JobTypeSpec& type, const nlohmann::json& params, Micros now) {
  const NewJob made = make_new_job(type, params, "query", now);
  ClaimedJob job;
  job.id = 0;
  job.type = made.type;
  job.key = made.key;
  job.params = made.params;
  job.attempt = 1;
  job.max_attempts = 1;
  job.started_at = now;
  return job;
}

// Why a query that did not return JH_OK failed, most specific first.
std::string error_of(jh_status status, const services::RunContext& ctx,
                     const plugin::JobTypeSpec& type, uint32_t default_timeout_s) {
  if (ctx.refused()) return *ctx.refused();
  if (status == JH_CANCELLED && ctx.deadline_passed())
    return timeout_error(type, default_timeout_s);
  if (ctx.reported() && !ctx.reported()->empty()) return *ctx.reported();
  if (status == JH_FAILED) return "the query reported failure";
  if (!ctx.last_error().empty()) return ctx.last_error();
  return "the run returned " + plugin::status_code_name(status) + " without a message";
}

}  // namespace

QueryOutcome run_query(plugin::PluginRegistry& registry, store::Session& session,
                       const RunnerOptions& options, const std::string& type_name,
                       const nlohmann::json& params) {
  const plugin::JobTypeEntry entry = read_only_type(registry, type_name);
  const plugin::JobTypeSpec& type = *entry.type;
  services::PluginRuntime* runtime = entry.plugin->runtime.get();
  if (!runtime)
    throw std::invalid_argument("job type " + type_name + ": its plugin " + type.plugin +
                                " is not running on host " + options.host_name);
  nlohmann::json checked = params_from_json(type, params);  // ParamError, as for a job
  // A transaction of the caller's would make the query's rollback take the caller's work too.
  if (session.in_transaction())
    throw std::logic_error("run_query: the session already has a transaction open");

  const Micros started = now_micros();
  const ClaimedJob job = query_job(type, checked, started);
  store::RunTransaction tx(session, store::RunTransaction::ReadOnly{});
  services::RunContext ctx(*runtime, type, job, std::move(checked), tx, /*read_only=*/true);
  const uint32_t timeout_s = run_timeout_s(type, options.default_timeout_s);
  ctx.set_deadline(started + static_cast<Micros>(timeout_s) * 1000000);

  // Whatever happens below, the query's transaction ends rolled back: it never keeps anything.
  struct RollBack {
    store::Session& session;
    ~RollBack() {
      try {
        session.rollback();  // a no-op after the explicit one below, which an exception may skip
      } catch (...) {
        // Destructors must not throw; the connection discards the transaction when it closes.
      }
    }
  } roll_back{session};

  const jh_status status = services::guarded_run(ctx, [&] {
    tx.begin_run();
    return type.run(type.user_data, services::host_api(), ctx.handle());
  });

  QueryOutcome outcome;
  outcome.duration = now_micros() - started;
  outcome.ok = status == JH_OK && !ctx.refused();
  if (status == JH_OK || status == JH_FAILED) outcome.result = ctx.result();
  if (!outcome.ok) outcome.error = error_of(status, ctx, type, options.default_timeout_s);
  session.rollback();  // a no-op when the query touched no SQL; a store error propagates
  if (outcome.ok)
    host_log()->debug("query {} answered in {}", type_name, format_duration(outcome.duration));
  else
    host_log()->debug("query {} failed in {}: {}", type_name, format_duration(outcome.duration),
                      outcome.error);
  return outcome;
}

const plugin::JobTypeSpec* status_query_of(const plugin::PluginSpec& plugin) {
  for (const auto& t : plugin.job_types) {
    const auto dot = t.name.find('.');
    if (t.read_only && dot != std::string::npos &&
        t.name.compare(dot + 1, std::string::npos, "status") == 0)
      return &t;
  }
  return nullptr;
}

}  // namespace jobhost::jobs
