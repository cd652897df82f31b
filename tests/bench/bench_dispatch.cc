// dispatch: no-op jobs through the full path (enqueue, claim, the run's transaction, the
// completion event, completion) with the store's default durability, then a check that every
// job completed with its event, so the figure stands for work that really happened.
#include <algorithm>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <soci/soci.h>

#include "bench.h"
#include "bench_store.h"
#include "config/host_config.h"
#include "exec/worker_pool.h"
#include "host/host.h"
#include "idle_rss.h"
#include "jobs/new_job.h"
#include "jobs/params.h"
#include "support/host_fixture.h"

namespace jobhost::bench {

namespace {

constexpr const char* kJobType = "testkit.noop";

int64_t count(store::Session& session, const std::string& query) {
  long long n = -1;
  session.sql() << query, soci::into(n);
  return n;
}

// Every job completed, by the pool's count and by the store's, each with one completion event.
void verify(Host& host, int64_t jobs, const PoolStats& stats) {
  auto& s = host.session();
  const int64_t total = count(s, "SELECT COUNT(*) FROM jh_jobs");
  const int64_t completed = count(s, "SELECT COUNT(*) FROM jh_jobs WHERE status = 'completed'");
  const int64_t events = count(s,
                               "SELECT COUNT(*) FROM jh_events WHERE job_id IS NOT NULL AND "
                               "level = 'info' AND message LIKE 'completed in %'");
  const int64_t jobs_with_event = count(s,
                                        "SELECT COUNT(*) FROM jh_jobs j WHERE j.status = "
                                        "'completed' AND EXISTS (SELECT 1 FROM jh_events e WHERE "
                                        "e.job_id = j.id AND e.message LIKE 'completed in %')");
  print_figure("completed", completed);
  print_figure("completion_events", events);
  std::string problems;
  auto expect = [&](const char* what, int64_t got) {
    if (got != jobs)
      problems += std::string("\n  ") + what + ": " + std::to_string(got) + " instead of " +
                  std::to_string(jobs);
  };
  expect("jobs in the store", total);
  expect("jobs completed in the store", completed);
  expect("completion events", events);
  expect("completed jobs with their completion event", jobs_with_event);
  expect("jobs the pool reported completed", static_cast<int64_t>(stats.completed));
  if (stats.failed || stats.errored)
    problems += "\n  the pool reported " + std::to_string(stats.failed) + " failed and " +
                std::to_string(stats.errored) + " errored jobs";
  if (!problems.empty()) throw BenchFailure("the work did not happen as measured:" + problems);
}

int run_dispatch(Args& args) {
  const std::string store_kind = args.take_or("store", "sqlite");
  const bool sqlite = store_kind == "sqlite";
  if (!sqlite && store_kind != "postgres" && store_kind != "postgresql")
    throw UsageError("--store: expected sqlite or postgres, got '" + store_kind + "'");
  const int64_t jobs = args.take_int("jobs", sqlite ? 100000 : 50000, 1, 100000000);
  // By default what a host runs with when its configuration says nothing (`workers:`).
  const int64_t workers = args.take_int("workers", config::HostConfig{}.workers, 1, 256);
  const int64_t batch = args.take_int("batch", 1000, 1, 1000000);
  PoolOptions pool_options;
  pool_options.workers = static_cast<int>(workers);
  pool_options.drain = true;
  pool_options.max_claim = static_cast<size_t>(
      args.take_int("max-claim", static_cast<int64_t>(pool_options.max_claim), 1, 100000));
  const std::string base = args.take_or("dir", "");
  const std::string transport = args.take_or("pg-transport", "unix");
  const bool idle_rss = !args.take_flag("no-idle-rss");
  // Diagnostic, off by default: statistics as autovacuum would have them on a long-running
  // store, to tell the planner's part in the drain time from the rest.
  const bool analyze = args.take_flag("analyze");
  // Diagnostic, PostgreSQL only: the server's time per statement, on stderr.
  const bool statements = args.take_flag("pg-statements");
  args.finish();

  const std::string plugin = testing::test_plugin("testkit");
  if (!std::filesystem::exists(plugin))
    throw BenchFailure(plugin + " does not exist: build the `testkit` target");

  note("starting the " + store_kind + " store");
  auto store = BenchStore::start(store_kind, base, statements);
  store->set_transport(transport);
  // First, in a fresh process: nothing measured below may weigh on it.
  const int64_t idle_rss_kb = idle_rss ? idle_rss_in_child(*store) : -1;

  testing::HostSetup setup;
  setup.store = store->fresh("dispatch");
  setup.plugin_files = {plugin};
  setup.workers = static_cast<int>(workers);
  auto host = testing::open_test_host(setup);
  if (!host->refusals().empty())
    throw BenchFailure("the host refused " + host->refusals().front().file + ": " +
                       host->refusals().front().reason);

  store->print_setup(host->session());
  print_figure("jobs", jobs);
  print_figure("workers", workers);
  print_figure("enqueue_batch", batch);
  print_figure("max_claim", static_cast<int64_t>(pool_options.max_claim));

  const auto& spec = *host->job_type(kJobType);
  const jobs::NewJob job = jobs::make_new_job(spec, jobs::params_from_text(spec, {}), "bench", 0);

  note("enqueueing " + std::to_string(jobs) + " " + kJobType + " jobs");
  const double start = monotonic_seconds();
  std::vector<jobs::NewJob> chunk;
  for (int64_t done = 0; done < jobs; done += batch) {
    chunk.assign(static_cast<size_t>(std::min(batch, jobs - done)), job);
    host->jobs().enqueue_many(chunk, now_micros());
  }
  const double enqueued = monotonic_seconds();
  if (analyze) {
    host->session().sql() << "ANALYZE jh_jobs";
    host->session().sql() << "ANALYZE jh_events";
    print_figure("analyzed", "yes");
  }
  const double drain_start = monotonic_seconds();

  note("draining with " + std::to_string(workers) + " worker(s)");
  WorkerPool pool(*host, pool_options);
  const PoolStats stats = pool.run();
  const double drained = monotonic_seconds();

  verify(*host, jobs, stats);
  if (statements && !sqlite) BenchStore::print_statements(host->session());

  const double seconds = (enqueued - start) + (drained - drain_start);
  print_figure("enqueue_s", enqueued - start);
  print_figure("drain_s", drained - drain_start);
  print_figure("seconds", seconds);
  print_figure("enqueue_per_s", static_cast<double>(jobs) / (enqueued - start), 0);
  print_figure("drain_per_s", static_cast<double>(jobs) / (drained - drain_start), 0);
  print_figure("jobs_per_s", static_cast<double>(jobs) / seconds, 0);
  if (idle_rss) print_figure("idle_rss_kb", idle_rss_kb);
  print_figure("peak_rss_kb", peak_rss_kb());
  return 0;
}

}  // namespace

JOBHOST_BENCHMARK(
    "dispatch",
    "--store sqlite|postgres [--jobs N] [--workers W] [--batch B] [--max-claim M] "
    "[--dir PATH] [--pg-transport unix|tcp] [--no-idle-rss] [--analyze] [--pg-statements]",
    "No-op jobs through the full path (enqueue, claim, run transaction, event, "
    "completion) with the store's default durability",
    run_dispatch);

}  // namespace jobhost::bench
