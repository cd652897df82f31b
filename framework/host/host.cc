#include "host/host.h"

#include <cstdio>
#include <random>
#include <stdexcept>

#include <unistd.h>

#include "core/logging.h"
#include "exec/in_flight_jobs.h"
#include "exec/lease_keeper.h"
#include "host/config_overrides.h"
#include "jobs/new_job.h"
#include "jobs/params.h"
#include "services/http/http_client.h"
#include "store/framework_schema.h"
#include "store/migrations.h"

namespace jobhost {

namespace {

store::DatabaseOptions database_options(const config::HostConfig& c) {
  store::DatabaseOptions o;
  if (c.store.driver == config::StoreConfig::Driver::postgresql) {
    o.dialect = store::Dialect::postgresql;
    o.pg_connection = c.store.pg_connection;
  } else {
    o.dialect = store::Dialect::sqlite;
    o.sqlite_path = c.store.sqlite_path.string();
    o.sqlite_synchronous = std::string(config::to_string(c.store.synchronous));
    o.busy_timeout_ms = c.store.busy_timeout_ms;
  }
  return o;
}

}  // namespace

// "<host name>/<pid>.<6 hex digits>". Several hosts share one configuration (and so one host
// name), and containers often share pids (1): the random part keeps each process's leases,
// heartbeat row and claimed jobs its own.
static std::string instance_name(const std::string& host_name) {
  std::random_device random;
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "%06x", random() & 0xffffffu);
  return host_name + "/" + std::to_string(::getpid()) + "." + suffix;
}

Host::Host(config::HostConfig config)
    : config_(std::move(config)), instance_(instance_name(config_.host_name)) {}

Host::~Host() {
  // Plugins go first: their shutdown may still log, and their code must be gone before the
  // runtime state it was lent.
  registry_.shutdown_all();
}

std::unique_ptr<Host> Host::open(const config::HostConfig& config, HostOptions options) {
  std::unique_ptr<Host> host(new Host(config));
  host->database_ = std::make_unique<store::Database>(database_options(config));
  host->session_ = host->database_->open();
  auto report = store::apply_migrations(*host->session_, store::kFrameworkComponent,
                                        store::framework_migrations());
  if (!report.applied.empty())
    host_log()->info("store {}: framework schema migrated from version {} to {}",
                     host->database_->describe(), report.from_version, report.to_version);
  host->job_store_ = std::make_unique<jobs::JobStore>(*host->session_);
  // What was changed over the HTTP API since the YAML was written applies to every command.
  host->config_ = with_stored_overrides(std::move(host->config_), *host->session_);
  host->http_ = std::make_shared<http::HttpClient>();
  if (options.load_plugins) host->load_plugins();
  return host;
}

jobs::RunnerOptions Host::runner_options() const {
  jobs::RunnerOptions o;
  o.host_name = instance_;
  o.event_log = config_.event_log;
  o.default_timeout_s = static_cast<uint32_t>(config_.jobs.default_timeout_s);
  return o;
}

std::shared_ptr<const plugin::JobTypeSpec> Host::job_type(const std::string& name) const {
  if (auto t = registry_.find_job_type(name)) return t;
  std::string known;
  for (const auto& t : registry_.job_types()) known += (known.empty() ? "" : ", ") + t->name;
  throw std::invalid_argument("no loaded plugin provides job type '" + name + "'" +
                              (known.empty() ? " (no job types are loaded: check plugin_dirs "
                                               "and `jobhost plugins`)"
                                             : " (loaded: " + known + ")"));
}

int64_t Host::enqueue(const std::string& type,
                      const std::vector<std::pair<std::string, std::string>>& params,
                      const std::string& origin, Micros scheduled_at) {
  const auto spec_ref = job_type(type);
  const auto& spec = *spec_ref;
  auto checked = jobs::params_from_text(spec, params);
  const Micros now = now_micros();
  return job_store_->enqueue(
      jobs::make_new_job(spec, checked, origin, scheduled_at ? scheduled_at : now), now);
}

jobs::RunOutcome Host::run_now(const std::string& type,
                               const std::vector<std::pair<std::string, std::string>>& params) {
  const auto spec_ref = job_type(type);
  const auto& spec = *spec_ref;
  auto checked = jobs::params_from_text(spec, params);
  const Micros now = now_micros();
  auto job = jobs::make_new_job(spec, checked, "run-now", now);
  // The job is inserted as running by this host at once: a worker elsewhere cannot claim it,
  // and the singleton slot is taken as for any other job.
  const Micros lease = static_cast<Micros>(config_.jobs.lease_s) * 1000000;
  auto claimed = job_store_->start_now(job, instance_, now, lease);
  InFlightJobs running;
  running.add({claimed});
  LeaseKeeper keep_lease(*this, running, /*rescue=*/false);
  jobs::Runner runner(registry_, *session_, runner_options(), durations_);
  auto outcomes = runner.run({claimed});
  return outcomes.front();
}

}  // namespace jobhost
