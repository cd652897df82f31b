// schedule: N interval schedules (`every 60s`, no-op jobs) spread evenly over the minute, run
// by the daemon's own components in-process (daemon::Scheduler + a WorkerPool of 2 workers,
// the scheduler's on_enqueued waking the pool) against the store's DEFAULT durability.
//
// Phase 1 (--seconds): every fire's lateness, the job's started_at (its claim) minus its
// scheduled_at (the slot the fire stands for), read from jh_jobs at the end; fires whose slot
// falls in the first --warmup seconds are left out. Then a check that every fire produced
// exactly one completed job, each schedule's chain has one job per slot and no gap, and no
// slot due before the end was missed: otherwise exit 1, so no figure stands for work that did
// not happen.
//
// Phase 2 (--idle-seconds): the same N schedules moved to `every 1h` (the last slot is kept,
// so the next runs are ~59 minutes away), a fresh Scheduler loads them, the pool keeps running;
// the process's CPU time (getrusage RUSAGE_SELF, user + sys, all threads) over wall time is
// the host's CPU use while idle between fires. For PostgreSQL the server's CPU over the same
// window is printed too (idle_store_cpu_pct): the host's idle queries cost it there.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <soci/soci.h>

#include "bench.h"
#include "bench_store.h"
#include "daemon/scheduler.h"
#include "exec/worker_pool.h"
#include "host/host.h"
#include "schedule/schedule_store.h"
#include "schedule/spec.h"
#include "store/row_reader.h"
#include "support/host_fixture.h"

namespace jobhost::bench {

namespace {

constexpr const char* kJobType = "testkit.noop";
constexpr Micros kSecond = 1000000;
constexpr Micros kPeriod = 60 * kSecond;  // every schedule's interval in phase 1
// A slot due this long before the scheduler stopped must have fired (else: a missed fire).
constexpr Micros kMissedAfter = 5 * kSecond;

std::string key_of(int64_t i) {
  return "b" + std::to_string(i);
}

int64_t count(store::Session& session, const std::string& query) {
  long long n = -1;
  session.sql() << query, soci::into(n);
  return n;
}

struct CpuSample {
  double wall_s = 0;
  double cpu_s = 0;              // user + sys, every thread of this process
  int64_t context_switches = 0;  // voluntary + involuntary: how often a thread woke
};

CpuSample sample_cpu() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  CpuSample s;
  s.wall_s = monotonic_seconds();
  s.cpu_s = static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
            static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
  s.context_switches = u.ru_nvcsw + u.ru_nivcsw;
  return s;
}

// CPU seconds (user + sys) of the PostgreSQL server: its postmaster and every child process
// (backends, checkpointer, walwriter, autovacuum...). -1 when it cannot be read.
double pg_server_cpu_s(const std::filesystem::path& data_dir) {
  std::ifstream pidfile(data_dir / "postmaster.pid");
  long postmaster = 0;
  if (!(pidfile >> postmaster) || postmaster <= 0) return -1;
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  double total = 0;
  bool found = false;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "stat");
    std::string stat;
    if (!std::getline(in, stat)) continue;
    // pid (comm) state ppid ... utime(14) stime(15): fields after the last ')'.
    const auto close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(stat.substr(close + 2));
    std::string state;
    long ppid = 0;
    rest >> state >> ppid;
    const long pid = std::stol(name);
    if (pid != postmaster && ppid != postmaster) continue;
    std::string skip;
    for (int field = 5; field < 14; ++field) rest >> skip;
    unsigned long long utime = 0, stime = 0;
    rest >> utime >> stime;
    total += static_cast<double>(utime + stime) / tick;
    found = true;
  }
  return found ? total : -1;
}

// Busy and total jiffies of the whole machine (every CPU) from /proc/stat: how much of the
// machine others used meanwhile (the cores are shared), to read the figures with.
struct MachineCpu {
  double busy = 0, total = 0;
};

MachineCpu machine_cpu() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  in >> cpu;  // "cpu": the sum over every CPU
  MachineCpu m;
  unsigned long long v[10] = {};
  for (auto& x : v) in >> x;
  for (int i = 0; i < 10; ++i) {
    if (i >= 8) continue;  // guest time is already counted in user time
    m.total += static_cast<double>(v[i]);
    if (i != 3 && i != 4) m.busy += static_cast<double>(v[i]);  // not idle, not iowait
  }
  return m;
}

double mean_ms(const std::vector<Micros>& v) {
  if (v.empty()) return 0;
  double sum = 0;
  for (Micros x : v) sum += static_cast<double>(x);
  return sum / static_cast<double>(v.size()) / 1000.0;
}

struct JobRow {
  int64_t id = 0;
  int64_t schedule_id = 0;  // 0: none
  Micros scheduled_at = 0, created_at = 0, started_at = 0, finished_at = 0;
  std::string status, origin, key;
};

std::vector<JobRow> read_jobs(store::Session& session) {
  std::vector<JobRow> out;
  soci::rowset<soci::row> rows =
      (session.sql().prepare << "SELECT id, schedule_id, scheduled_at, created_at, started_at, "
                                "status, origin, job_key, finished_at FROM jh_jobs ORDER BY id");
  for (const auto& r : rows) {
    JobRow j;
    j.id = store::row_int_or(r, 0, 0);
    j.schedule_id = store::row_int_or(r, 1, 0);
    j.scheduled_at = store::row_int_or(r, 2, 0);
    j.created_at = store::row_int_or(r, 3, 0);
    j.started_at = store::row_int_or(r, 4, 0);
    j.status = store::row_text_or(r, 5);
    j.origin = store::row_text_or(r, 6);
    j.key = store::row_text_or(r, 7);
    j.finished_at = store::row_int_or(r, 8, 0);
    out.push_back(std::move(j));
  }
  return out;
}

// Waits until no job is waiting or running (the pool finished what the scheduler enqueued).
void wait_drained(store::Session& session, double timeout_s) {
  const double deadline = monotonic_seconds() + timeout_s;
  while (true) {
    const int64_t open = count(session,
                               "SELECT COUNT(*) FROM jh_jobs WHERE status IN ('scheduled', "
                               "'pending', 'running')");
    if (open == 0) return;
    if (monotonic_seconds() > deadline)
      throw BenchFailure(std::to_string(open) + " jobs still waiting or running " +
                         std::to_string(static_cast<int>(timeout_s)) +
                         " s after the scheduler stopped");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// Sleeps `seconds`, with a progress line every 10 s.
void run_for(double seconds, const char* phase, const daemon::Scheduler& scheduler) {
  const double start = monotonic_seconds();
  double next_note = start + 10;
  while (true) {
    const double now = monotonic_seconds();
    if (now >= start + seconds) return;
    if (now >= next_note) {
      note(std::string(phase) + ": " + std::to_string(static_cast<int>(now - start)) + "/" +
           std::to_string(static_cast<int>(seconds)) + " s, " +
           std::to_string(scheduler.stats().fired) + " fires");
      next_note += 10;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(
        static_cast<int64_t>(std::min(start + seconds - now, 1.0) * 1e6)));
  }
}

int run_schedule(Args& args) {
  const std::string store_kind = args.take_or("store", "sqlite");
  const bool sqlite = store_kind == "sqlite";
  if (!sqlite && store_kind != "postgres" && store_kind != "postgresql")
    throw UsageError("--store: expected sqlite or postgres, got '" + store_kind + "'");
  const int64_t schedules = args.take_int("schedules", 10000, 1, 1000000);
  const int64_t seconds = args.take_int("seconds", 120, 1, 86400);
  const int64_t warmup = args.take_int("warmup", std::min<int64_t>(10, seconds / 4), 0, seconds);
  const int64_t idle_seconds =
      args.take_int("idle-seconds", std::min<int64_t>(30, seconds), 1, 86400);
  const int64_t workers = args.take_int("workers", 2, 1, 256);
  const std::string base = args.take_or("dir", "");
  const std::string transport = args.take_or("pg-transport", "unix");
  // Diagnostic: every job's times (CSV) for a look at when the late ones happened.
  const std::string dump = args.take_or("dump", "");
  // Diagnostic, PostgreSQL only: the server's time per statement over the run, on stderr.
  const bool statements = args.take_flag("pg-statements");
  // Diagnostic: after the idle phase, B schedules that never ran (so all due at once) for a
  // fresh scheduler: how fast it fires a backlog (as after downtime), i.e. its cost per fire.
  const int64_t burst = args.take_int("burst", 0, 0, 1000000);
  args.finish();
  if (seconds < 90)
    note("--seconds " + std::to_string(seconds) +
         ": under 90 s not every schedule fires after the warm-up (a smoke run, not a figure)");

  const std::string plugin = testing::test_plugin("testkit");
  if (!std::filesystem::exists(plugin))
    throw BenchFailure(plugin + " does not exist: build the `testkit` target");

  note("starting the " + store_kind + " store");
  auto store = BenchStore::start(store_kind, base, statements);
  store->set_transport(transport);

  testing::HostSetup setup;
  setup.store = store->fresh("schedule");
  setup.plugin_files = {plugin};
  setup.workers = static_cast<int>(workers);
  auto host = testing::open_test_host(setup);
  if (!host->refusals().empty())
    throw BenchFailure("the host refused " + host->refusals().front().file + ": " +
                       host->refusals().front().reason);
  const auto& type = *host->job_type(kJobType);  // throws when testkit did not load
  if (!type.key_param.empty())
    throw BenchFailure(std::string(kJobType) +
                       " has a key parameter now: the benchmark relies "
                       "on keyed schedules of a type without one");

  store->print_setup(host->session());
  print_figure("schedules", schedules);
  print_figure("every_s", kPeriod / kSecond);
  print_figure("workers", workers);
  print_figure("seconds", seconds);
  print_figure("warmup_s", warmup);

  // The schedules: one row per key, then each moved to a slot so that their next runs are
  // spread evenly over one period starting shortly from now.
  auto& session = host->session();
  schedule::ScheduleStore schedule_store(session);
  const std::string every_minute = schedule::interval_schedule(kPeriod).text;
  note("creating " + std::to_string(schedules) + " schedules '" + every_minute + "'");
  const double create_start = monotonic_seconds();
  // Creates or replaces every schedule with `spec`, in one transaction; returns their ids.
  auto set_all = [&](const std::string& spec) {
    std::vector<int64_t> set(static_cast<size_t>(schedules));
    store::WriteTransaction tx(session);
    for (int64_t i = 0; i < schedules; ++i) {
      schedule::DesiredSchedule d;
      d.job_type = kJobType;
      d.key = key_of(i);
      d.source = schedule::Source::plugin;
      d.spec = spec;
      set[static_cast<size_t>(i)] = schedule_store.upsert(d, now_micros()).id;
    }
    tx.commit();
    return set;
  };
  const std::vector<int64_t> ids = set_all(every_minute);
  // The first next run this far ahead: placing them (one statement each, as creating them took
  // three) is done and the scheduler is running by then.
  const auto created_in = static_cast<Micros>((monotonic_seconds() - create_start) * 1e6);
  const Micros first_run = now_micros() + 2 * kSecond + created_in / 2;
  std::map<int64_t, Micros> initial_slot;  // schedule id -> the slot it starts after
  {
    store::WriteTransaction tx(session);
    const Micros now = now_micros();
    for (int64_t i = 0; i < schedules; ++i) {
      const Micros next = first_run + i * kPeriod / schedules;
      const Micros slot = next - kPeriod;
      const int64_t id = ids[static_cast<size_t>(i)];
      if (!schedule_store.advance(id, std::nullopt, every_minute, slot, slot, next, now))
        throw BenchFailure("schedule " + key_of(i) + " could not be placed at its slot");
      initial_slot[id] = slot;
    }
    tx.commit();
  }
  if (static_cast<int64_t>(initial_slot.size()) != schedules)
    throw BenchFailure("two schedules share a row: " + std::to_string(initial_slot.size()) +
                       " rows for " + std::to_string(schedules) + " keys");
  print_figure("create_s", monotonic_seconds() - create_start);
  {
    const double t = monotonic_seconds();
    const auto all = schedule_store.list();
    // What the scheduler's periodic full reload reads (once a minute by default).
    print_figure("schedule_list_ms", (monotonic_seconds() - t) * 1000.0, 1);
    if (static_cast<int64_t>(all.size()) != schedules)
      throw BenchFailure("the store holds " + std::to_string(all.size()) +
                         " schedules instead of " + std::to_string(schedules));
  }

  // Phase 1: the scheduler fires, the pool runs.
  PoolOptions pool_options;
  pool_options.workers = static_cast<int>(workers);
  pool_options.drain = false;
  WorkerPool pool(*host, pool_options);
  PoolStats pool_stats;
  std::thread pool_thread([&] { pool_stats = pool.run(); });
  struct JoinPool {  // on any failure below: stop the pool before it goes away
    WorkerPool& pool;
    std::thread& thread;
    ~JoinPool() {
      pool.stop();
      if (thread.joinable()) thread.join();
    }
  } join_pool{pool, pool_thread};

  if (statements && !sqlite) {
    session.sql() << "CREATE EXTENSION IF NOT EXISTS pg_stat_statements";
    session.sql() << "SELECT pg_stat_statements_reset()";
  }
  note("phase 1: firing for " + std::to_string(seconds) + " s");
  daemon::SchedulerStats fire_stats;
  Micros run_start = 0, run_stop = 0;
  CpuSample run_cpu0, run_cpu1;
  MachineCpu machine0, machine1;
  {
    daemon::Scheduler scheduler(*host, {}, [&pool] { pool.notify(); });
    scheduler.start();
    run_start = now_micros();
    run_cpu0 = sample_cpu();
    machine0 = machine_cpu();
    run_for(static_cast<double>(seconds), "phase 1", scheduler);
    run_cpu1 = sample_cpu();
    machine1 = machine_cpu();
    run_stop = now_micros();
    scheduler.stop();
    fire_stats = scheduler.stats();
  }
  if (run_start > first_run)
    note("the scheduler started " + std::to_string((run_start - first_run) / 1000) +
         " ms after the first next run (inside the warm-up)");
  wait_drained(session, 60);
  if (statements && !sqlite) BenchStore::print_statements(session, 20);

  // Every fire produced exactly one completed job, and the chains add up.
  const auto jobs = read_jobs(session);
  const Micros measure_from = run_start + warmup * kSecond;
  std::vector<Micros> lateness, fire_lateness, pickup;
  std::map<int64_t, std::vector<Micros>> slots_by_schedule;
  std::string problems;
  auto problem = [&](const std::string& p) {
    if (problems.size() < 4000) problems += "\n  " + p;
  };
  int64_t completed = 0;
  for (const auto& j : jobs) {
    if (j.status == "completed") ++completed;
    if (j.origin != "schedule" || j.schedule_id == 0 || !initial_slot.count(j.schedule_id)) {
      problem("job " + std::to_string(j.id) + " was not fired by a benchmark schedule (origin " +
              j.origin + ")");
      continue;
    }
    if (!j.key.empty()) problem("job " + std::to_string(j.id) + " has the key '" + j.key + "'");
    slots_by_schedule[j.schedule_id].push_back(j.scheduled_at);
    if (j.scheduled_at >= measure_from && j.started_at > 0) {
      lateness.push_back(j.started_at - j.scheduled_at);
      fire_lateness.push_back(j.created_at - j.scheduled_at);
      pickup.push_back(j.started_at - j.created_at);
    }
  }
  const auto total = static_cast<int64_t>(jobs.size());
  if (total != static_cast<int64_t>(fire_stats.fired))
    problem(std::to_string(total) + " jobs in the store for " + std::to_string(fire_stats.fired) +
            " fires");
  if (completed != total)
    problem(std::to_string(total - completed) + " of " + std::to_string(total) +
            " jobs did not complete");
  if (fire_stats.skipped || fire_stats.lost || fire_stats.failed)
    problem("the scheduler reported " + std::to_string(fire_stats.skipped) + " skipped, " +
            std::to_string(fire_stats.lost) + " lost and " + std::to_string(fire_stats.failed) +
            " failed fires (a non-singleton no-op type has none)");
  const auto stored = schedule_store.list();
  int64_t missed = 0, fired_after_warmup = 0;
  for (const auto& s : stored) {
    auto it = initial_slot.find(s.id);
    if (it == initial_slot.end()) continue;
    const Micros first = it->second;
    auto& slots = slots_by_schedule[s.id];
    std::sort(slots.begin(), slots.end());
    const Micros last = s.last_scheduled_at.value_or(0);
    // One job per slot, on the grid, without a gap, ending at the slot the store last fired.
    const int64_t expected = (last - first) / kPeriod;
    bool chain_ok = (last - first) % kPeriod == 0 &&
                    static_cast<int64_t>(slots.size()) == expected &&
                    std::adjacent_find(slots.begin(), slots.end()) == slots.end();
    for (size_t k = 0; chain_ok && k < slots.size(); ++k)
      chain_ok = slots[k] == first + static_cast<Micros>(k + 1) * kPeriod;
    if (!chain_ok)
      problem("schedule " + s.name() + ": " + std::to_string(slots.size()) + " jobs for " +
              std::to_string(expected) + " slots fired (last slot " + format_time(last) + ")");
    // Every slot due well before the scheduler stopped has fired.
    const Micros due_by = run_stop - kMissedAfter;
    if (due_by > first) {
      const int64_t due = (due_by - first) / kPeriod;
      if (expected < due) missed += due - expected;
    }
    if (!slots.empty() && slots.back() >= measure_from) ++fired_after_warmup;
    if (!slots.empty() &&
        (s.last_outcome.value_or("") != "completed" || s.last_job_id.value_or(0) == 0))
      problem("schedule " + s.name() + ": last outcome " + s.last_outcome.value_or("none"));
  }
  if (missed) problem(std::to_string(missed) + " slots due before the end did not fire");
  if (seconds - warmup >= kPeriod / kSecond + kMissedAfter / kSecond &&
      fired_after_warmup != schedules)
    problem(std::to_string(schedules - fired_after_warmup) +
            " schedules did not fire after the warm-up");
  if (lateness.empty()) problem("no fire after the warm-up to measure");
  if (!dump.empty()) {
    std::ofstream out(dump);
    out << "job_id,schedule_id,scheduled_at,created_at,started_at,finished_at\n";
    for (const auto& j : jobs)
      out << j.id << ',' << j.schedule_id << ',' << j.scheduled_at << ',' << j.created_at << ','
          << j.started_at << ',' << j.finished_at << '\n';
    note("wrote every job's times to " + dump);
  }
  if (!problems.empty()) throw BenchFailure("the work did not happen as measured:" + problems);

  // Phase 2: nothing due for an hour; the scheduler and the pool idle.
  const std::string every_hour = schedule::interval_schedule(60 * kPeriod).text;
  set_all(every_hour);
  note("phase 2: idle for " + std::to_string(idle_seconds) + " s ('" + every_hour + "')");
  daemon::SchedulerStats idle_stats;
  CpuSample idle0, idle1;
  MachineCpu idle_machine0, idle_machine1;
  double store_cpu0 = -1, store_cpu1 = -1;
  {
    daemon::Scheduler scheduler(*host, {}, [&pool] { pool.notify(); });
    scheduler.start();
    // Let the start (loading every schedule) and the pool's last batch settle.
    std::this_thread::sleep_for(std::chrono::seconds(2));
    if (!sqlite) store_cpu0 = pg_server_cpu_s(store->pg_server()->data_dir());
    idle0 = sample_cpu();
    idle_machine0 = machine_cpu();
    run_for(static_cast<double>(idle_seconds), "phase 2", scheduler);
    idle1 = sample_cpu();
    idle_machine1 = machine_cpu();
    if (!sqlite) store_cpu1 = pg_server_cpu_s(store->pg_server()->data_dir());
    scheduler.stop();
    idle_stats = scheduler.stats();
  }
  if (idle_stats.fired || idle_stats.skipped || idle_stats.failed || idle_stats.lost)
    throw BenchFailure(std::to_string(idle_stats.fired) +
                       " schedules fired while none was due (phase 2)");
  const int64_t after_idle = count(session, "SELECT COUNT(*) FROM jh_jobs");
  if (after_idle != total)
    throw BenchFailure(std::to_string(after_idle - total) + " jobs appeared while idle");

  // Diagnostic phase 3: a backlog of `burst` schedules all due at once.
  double burst_fire_s = 0, burst_drain_s = 0;
  std::vector<Micros> burst_pickup;  // claimed minus created, for the burst's jobs
  if (burst > 0) {
    {
      store::WriteTransaction tx(session);
      for (int64_t i = 0; i < burst; ++i) {
        schedule::DesiredSchedule d;
        d.job_type = kJobType;
        d.key = "burst" + std::to_string(i);
        d.source = schedule::Source::plugin;
        d.spec = every_hour;  // never ran: due at once, then in an hour
        schedule_store.upsert(d, now_micros());
      }
      tx.commit();
    }
    note("phase 3: a burst of " + std::to_string(burst) + " due schedules");
    daemon::SchedulerStats burst_stats;
    const double start = monotonic_seconds();
    {
      daemon::Scheduler scheduler(*host, {}, [&pool] { pool.notify(); });
      scheduler.start();  // loads every schedule first, as a daemon's start does
      while (true) {
        burst_stats = scheduler.stats();
        const auto done = burst_stats.fired + burst_stats.skipped + burst_stats.failed;
        if (static_cast<int64_t>(done) >= burst) break;
        if (monotonic_seconds() - start > 600)
          throw BenchFailure("the burst did not fire within 600 s: " + std::to_string(done) +
                             " of " + std::to_string(burst));
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      burst_fire_s = monotonic_seconds() - start;
      scheduler.stop();
      burst_stats = scheduler.stats();
    }
    wait_drained(session, 600);
    burst_drain_s = monotonic_seconds() - start;
    const int64_t after_burst = count(session, "SELECT COUNT(*) FROM jh_jobs");
    for (const auto& j : read_jobs(session))
      if (j.origin == "schedule" && j.created_at >= run_stop && j.started_at > 0)
        burst_pickup.push_back(j.started_at - j.created_at);
    std::sort(burst_pickup.begin(), burst_pickup.end());
    const int64_t burst_completed =
        count(session, "SELECT COUNT(*) FROM jh_jobs WHERE status = 'completed'") - completed;
    if (static_cast<int64_t>(burst_stats.fired) != burst || after_burst - total != burst ||
        burst_completed != burst)
      throw BenchFailure("the burst of " + std::to_string(burst) + " fired " +
                         std::to_string(burst_stats.fired) + ", made " +
                         std::to_string(after_burst - total) + " jobs, " +
                         std::to_string(burst_completed) + " completed");
  }

  pool.stop();
  pool_thread.join();
  if (static_cast<int64_t>(pool_stats.completed) != total + burst || pool_stats.failed ||
      pool_stats.errored)
    throw BenchFailure("the pool reported " + std::to_string(pool_stats.completed) +
                       " completed, " + std::to_string(pool_stats.failed) + " failed and " +
                       std::to_string(pool_stats.errored) + " errored jobs for " +
                       std::to_string(total + burst) + " fires");

  std::sort(lateness.begin(), lateness.end());
  std::sort(fire_lateness.begin(), fire_lateness.end());
  std::sort(pickup.begin(), pickup.end());
  print_figure("fires", static_cast<int64_t>(fire_stats.fired));
  print_figure("skipped", static_cast<int64_t>(fire_stats.skipped));
  print_figure("jobs_completed", completed);
  print_figure("measured_fires", static_cast<int64_t>(lateness.size()));
  print_figure("fires_per_s",
               static_cast<double>(fire_stats.fired) /
                   (static_cast<double>(run_stop - run_start) / static_cast<double>(kSecond)),
               1);
  print_figure("lateness_p50_ms", percentile(lateness, 0.50));
  print_figure("lateness_p90_ms", percentile(lateness, 0.90));
  print_figure("lateness_p99_ms", percentile(lateness, 0.99));
  print_figure("lateness_max_ms", percentile(lateness, 1.0));
  print_figure("lateness_mean_ms", mean_ms(lateness));
  // The two parts: the scheduler's (job created, when its fire began, minus the slot) and the
  // pool's (claimed minus created: the fire's transaction, the wake-up and the claim).
  print_figure("fire_p50_ms", percentile(fire_lateness, 0.50));
  print_figure("fire_p99_ms", percentile(fire_lateness, 0.99));
  print_figure("fire_max_ms", percentile(fire_lateness, 1.0));
  print_figure("pickup_p50_ms", percentile(pickup, 0.50));
  print_figure("pickup_p99_ms", percentile(pickup, 0.99));
  print_figure("pickup_max_ms", percentile(pickup, 1.0));
  print_figure("run_cpu_pct",
               100.0 * (run_cpu1.cpu_s - run_cpu0.cpu_s) / (run_cpu1.wall_s - run_cpu0.wall_s), 1);
  // The whole machine's busy share meanwhile, this process included (others share the cores).
  print_figure(
      "run_machine_busy_pct",
      100.0 * (machine1.busy - machine0.busy) / std::max(machine1.total - machine0.total, 1.0), 1);
  const double idle_wall = idle1.wall_s - idle0.wall_s;
  print_figure("idle_seconds", idle_wall, 1);
  print_figure("idle_cpu_pct", 100.0 * (idle1.cpu_s - idle0.cpu_s) / idle_wall);
  print_figure("idle_machine_busy_pct",
               100.0 * (idle_machine1.busy - idle_machine0.busy) /
                   std::max(idle_machine1.total - idle_machine0.total, 1.0),
               1);
  print_figure("idle_wakeups_per_s",
               static_cast<double>(idle1.context_switches - idle0.context_switches) / idle_wall, 1);
  if (!sqlite && store_cpu0 >= 0 && store_cpu1 >= 0)
    print_figure("idle_store_cpu_pct", 100.0 * (store_cpu1 - store_cpu0) / idle_wall);
  if (burst > 0) {
    print_figure("burst", burst);
    print_figure("burst_fire_s", burst_fire_s);
    print_figure("burst_fires_per_s", static_cast<double>(burst) / burst_fire_s, 0);
    print_figure("burst_drained_s", burst_drain_s);
    print_figure("burst_pickup_p50_ms", percentile(burst_pickup, 0.50));
    print_figure("burst_pickup_p99_ms", percentile(burst_pickup, 0.99));
    print_figure("burst_pickup_max_ms", percentile(burst_pickup, 1.0));
  }
  print_figure("peak_rss_kb", peak_rss_kb());
  return 0;
}

}  // namespace

JOBHOST_BENCHMARK("schedule",
                  "[--schedules N] [--seconds S] [--store sqlite|postgres] [--warmup W] "
                  "[--idle-seconds I] [--workers W] [--dir PATH] [--pg-transport unix|tcp] [--dump "
                  "CSV] [--pg-statements] [--burst B]",
                  "Interval schedules (every 60s, no-op jobs) spread over the minute, fired by "
                  "the daemon's scheduler and pool: fire lateness and idle CPU",
                  run_schedule);

}  // namespace jobhost::bench
