// api: the daemon's HTTP API over real loopback HTTP, with --jobs jobs (and an event each) in a
// SQLite store on disk. Measures each request from the client: connect, request, whole answer.
//
//  - api_*: the API's read calls (job pages with and without filters, one job with its events,
//    events, schedules, job types), cycled --requests times;
//  - dashboard_*: what the dashboard polls (the status summary, recent failures, a plugin's
//    settings), cycled --requests times;
//  - fire_*: meanwhile a Scheduler and a WorkerPool (the daemon's own) run --schedules
//    schedules `every 1s`; the lateness of their fires (job created_at - slot) while the HTTP
//    load runs, against the same measured without it first: the server must not delay fires.
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>

#include <soci/soci.h>

#include "api/api_service.h"
#include "bench.h"
#include "bench_store.h"
#include "config/loader.h"
#include "daemon/scheduler.h"
#include "exec/worker_pool.h"
#include "jobs/new_job.h"
#include "schedule/schedule_store.h"
#include "schedule/spec.h"
#include "store/row_reader.h"
#include "support/curl_client.h"
#include "support/host_fixture.h"
#include "web/http_server.h"

namespace jobhost::bench {

namespace {

constexpr Micros kSecond = 1000000;

// --jobs testkit.noop jobs: most completed, some failed or errored (with an error), each with
// one event; in batches, the way a long-lived store accumulates them.
void fill_store(Host& host, int64_t jobs) {
  const auto& type = *host.job_type("testkit.noop");
  auto& session = host.session();
  const Micros start = now_micros() - jobs * 1000;
  for (int64_t done = 0; done < jobs;) {
    const int64_t n = std::min<int64_t>(10000, jobs - done);
    std::vector<jobs::NewJob> batch;
    for (int64_t i = 0; i < n; ++i)
      batch.push_back(
          jobs::make_new_job(type, nlohmann::json::object(), "bench", start + (done + i) * 1000));
    host.jobs().enqueue_many(batch, now_micros());
    done += n;
  }
  store::WriteTransaction tx(session);
  session.sql() << "UPDATE jh_jobs SET status = CASE WHEN id % 20 = 0 THEN 'failed' WHEN id % 20 "
                   "= 1 THEN 'errored' ELSE 'completed' END, started_at = scheduled_at, "
                   "finished_at = scheduled_at + 1500, attempt = 1, error = CASE WHEN id % 20 < 2 "
                   "THEN 'remote answered 503 Service Unavailable' END";
  session.sql() << "INSERT INTO jh_events (created_at, name, job_id, level, message) SELECT "
                   "finished_at, type, id, 'info', 'completed in 1.5 ms' FROM jh_jobs";
  tx.commit();
}

struct Sample {
  std::vector<int64_t> micros;
  int64_t errors = 0;
};

// Cycles GET `paths` for `requests` requests; every answer must be 200.
Sample measure(const std::string& base, const std::vector<std::string>& paths, int64_t requests) {
  Sample s;
  for (int64_t i = 0; i < requests; ++i) {
    testing::CurlRequest req;
    req.url = base + paths[static_cast<size_t>(i) % paths.size()];
    const double t0 = monotonic_seconds();
    auto r = testing::curl_perform(req);
    s.micros.push_back(static_cast<int64_t>((monotonic_seconds() - t0) * 1e6));
    if (r.status != 200) {
      if (++s.errors == 1)
        note("GET " + req.url + " answered " + std::to_string(r.status) + ": " +
             r.body.substr(0, 200) + r.error());
    }
  }
  std::sort(s.micros.begin(), s.micros.end());
  return s;
}

// Fire lateness (created_at - scheduled_at) of the scheduled jobs created after `since`.
std::vector<int64_t> fire_lateness(store::Session& session, Micros since) {
  std::vector<int64_t> out;
  soci::rowset<soci::row> rows =
      (session.sql().prepare << "SELECT created_at - scheduled_at FROM jh_jobs WHERE schedule_id "
                                "IS NOT NULL AND created_at > "
                             << since);
  for (const auto& r : rows) out.push_back(store::row_int_or(r, 0, 0));
  std::sort(out.begin(), out.end());
  return out;
}

int run_api(Args& args) {
  const int64_t jobs = args.take_int("jobs", 100000, 100, 10000000);
  const int64_t requests = args.take_int("requests", 2000, 10, 1000000);
  const int64_t schedules = args.take_int("schedules", 20, 0, 1000);
  const std::string base_dir = args.take_or("dir", "");
  args.finish();

  const std::string plugin = testing::test_plugin("testkit");
  if (!std::filesystem::exists(plugin))
    throw BenchFailure(plugin + " does not exist: build the `testkit` target");
  auto store = BenchStore::start("sqlite", base_dir);
  testing::HostSetup setup;
  setup.store = store->fresh("api");
  setup.plugin_files = {plugin};
  setup.workers = 2;
  setup.plugins_yaml = "  testkit:\n    token: bench-secret\n";
  const auto config = config::load_config_string(testing::host_yaml(setup), "bench.yaml");
  auto host = Host::open(config);
  store->print_setup(host->session());
  print_figure("jobs", jobs);
  print_figure("requests", requests);
  print_figure("schedules", schedules);

  note("filling the store with " + std::to_string(jobs) + " jobs and events");
  const double fill_start = monotonic_seconds();
  fill_store(*host, jobs);
  print_figure("fill_s", monotonic_seconds() - fill_start, 1);

  api::ApiOptions options;
  options.http = config.http;
  options.load_config = [&config] { return config; };
  options.reload = [] { return std::vector<std::string>{}; };
  api::ApiService api(*host, options);
  web::ServerOptions so;
  so.port = 0;
  web::HttpServer server(so, [&api](const web::Request& r) { return api.handle(r); });
  server.start();
  const std::string base = server.url();

  // The daemon's scheduler and workers, with schedules firing every second.
  {
    schedule::ScheduleStore store_of_schedules(host->session());
    store::WriteTransaction tx(host->session());
    for (int64_t i = 0; i < schedules; ++i) {
      schedule::DesiredSchedule d;
      d.job_type = "testkit.noop";
      d.key = "s" + std::to_string(i);
      d.source = schedule::Source::plugin;
      d.spec = schedule::interval_schedule(kSecond).text;
      store_of_schedules.upsert(d, now_micros());
    }
    tx.commit();
  }
  PoolOptions pool_options;
  pool_options.workers = 2;
  WorkerPool pool(*host, pool_options);
  std::thread pool_thread([&] { pool.run(); });
  daemon::Scheduler scheduler(*host, {}, [&pool] { pool.notify(); });
  scheduler.start();
  // Stopped on every way out, a failure's too (a joinable thread must not be destroyed).
  struct StopAll {
    daemon::Scheduler& scheduler;
    WorkerPool& pool;
    std::thread& thread;
    web::HttpServer& server;
    ~StopAll() {
      scheduler.stop();
      pool.stop();
      if (thread.joinable()) thread.join();
      server.stop();
    }
  } stop_all{scheduler, pool, pool_thread, server};

  note("quiet: schedules fire, no HTTP load, 5 s");
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const Micros quiet_from = now_micros();
  std::this_thread::sleep_for(std::chrono::seconds(5));
  auto quiet = fire_lateness(host->session(), quiet_from);

  const int64_t some_id = jobs / 2;
  const std::vector<std::string> api_paths = {
      "/api/v1/jobs?limit=50",
      "/api/v1/jobs/" + std::to_string(some_id),
      "/api/v1/jobs?status=failed&limit=50",
      "/api/v1/jobs?type=testkit.noop&limit=50&before=" + std::to_string(some_id),
      "/api/v1/events?limit=100",
      "/api/v1/schedules",
      "/api/v1/job-types",
      "/api/v1/jobs/" + std::to_string(some_id + 7),
  };
  const std::vector<std::string> dashboard_paths = {
      "/api/v1/status",
      "/api/v1/jobs?status=errored&limit=20",
      "/api/v1/plugins/testkit/settings",
  };
  note("HTTP load: " + std::to_string(requests) + " API reads, then " + std::to_string(requests) +
       " dashboard calls");
  const Micros loaded_from = now_micros();
  measure(base, api_paths, 50);  // warm-up: connections, statements, page cache
  auto reads = measure(base, api_paths, requests);
  auto dashboard = measure(base, dashboard_paths, requests);
  auto loaded = fire_lateness(host->session(), loaded_from);

  if (reads.errors || dashboard.errors)
    throw BenchFailure(std::to_string(reads.errors + dashboard.errors) +
                       " requests did not answer 200");
  if (schedules > 0 && loaded.empty()) throw BenchFailure("no schedule fired under load");

  print_figure("api_p50_ms", percentile(reads.micros, 0.50));
  print_figure("api_p99_ms", percentile(reads.micros, 0.99));
  print_figure("api_max_ms", percentile(reads.micros, 1.0));
  print_figure("dashboard_p50_ms", percentile(dashboard.micros, 0.50));
  print_figure("dashboard_p99_ms", percentile(dashboard.micros, 0.99));
  print_figure("dashboard_max_ms", percentile(dashboard.micros, 1.0));
  print_figure("fires_quiet", static_cast<int64_t>(quiet.size()));
  print_figure("fire_p99_ms_quiet", percentile(quiet, 0.99));
  print_figure("fires_under_load", static_cast<int64_t>(loaded.size()));
  print_figure("fire_p99_ms_under_load", percentile(loaded, 0.99));
  print_figure("fire_max_ms_under_load", percentile(loaded, 1.0));
  return 0;
}

}  // namespace

JOBHOST_BENCHMARK("api", "[--jobs N] [--requests N] [--schedules N] [--dir DIR]",
                  "HTTP API and dashboard read latency with N jobs in the store; schedule fires "
                  "meanwhile",
                  run_api);

}  // namespace jobhost::bench
