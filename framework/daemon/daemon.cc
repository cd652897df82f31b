#include "daemon/daemon.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <ctime>
#include <thread>

#include "core/logging.h"
#include "daemon/host_registry.h"
#include "daemon/http_endpoint.h"
#include "daemon/scheduler.h"
#include "daemon/schedules_sync.h"
#include "daemon/sd_notify.h"
#include "exec/wake_listener.h"
#include "exec/worker_pool.h"
#include "host/config_overrides.h"
#include "schedule/firing.h"
#include "store/framework_schema.h"

namespace jobhost::daemon {

namespace {

HostRecord this_host(const Host& host, const std::string& role) {
  HostRecord h;
  h.instance = host.instance();
  h.name = host.name();
  h.machine = machine_name();
  h.pid = ::getpid();
  h.version = JOBHOST_VERSION;
  h.role = role;
  h.started_at = h.heartbeat_at = now_micros();
  return h;
}

// One heartbeat, on a connection opened again if the store restarted. A failed beat is only
// logged: the next one tries again, and other hosts wait host.lost_after_s before acting.
void beat(Host& host, std::unique_ptr<store::Session>& session) {
  try {
    if (host.database().reopen_if_broken(session))
      host_log()->info("heartbeat: connected to the store again");
    if (heartbeat(*session, host.instance(), now_micros()))
      host_log()->warn(
          "this host had been declared lost (no heartbeat for {} s): jobs it was "
          "running may have been rescued and retried elsewhere",
          host.config().lost_after_s);
  } catch (const std::exception& e) {
    host_log()->warn("heartbeat failed: {}", e.what());
  }
}

// Waits up to `timeout` for a signal of `set`; 0 when none came.
int wait_signal(const sigset_t& set, Micros timeout) {
  timespec ts{static_cast<time_t>(timeout / 1000000),
              static_cast<long>((timeout % 1000000) * 1000)};
  const int sig = sigtimedwait(&set, nullptr, &ts);
  return sig > 0 ? sig : 0;
}

}  // namespace

RunResult run(Host& host, const sigset_t& signals,
              const std::function<config::HostConfig()>& reload, int workers) {
  RunResult result;
  auto session = host.database().open();
  register_host(*session, this_host(host, "daemon"));
  sync_schedules(host, host.config());
  // The heartbeat runs on the signal loop, which must never wait long for the store: on SQLite
  // a run that writes holds the write lock until it ends, so a beat that finds it taken gives
  // up at once (and the next one tries again) instead of waiting out busy_timeout_ms.
  auto beat_session = host.database().open();
  if (beat_session->dialect() == store::Dialect::sqlite)
    beat_session->exec_script("PRAGMA busy_timeout = 100");

  // The listener first: a port in use stops the daemon before anything runs.
  ReloadTracker reloads;
  std::unique_ptr<HttpEndpoint> http;
  if (host.config().http.enabled) {
    try {
      http = std::make_unique<HttpEndpoint>(host, reload, reloads);
    } catch (const std::exception&) {
      mark_stopped(*session, host.instance(), now_micros());
      throw;
    }
    set_api_url(*session, host.instance(), http->url());
    host_log()->info("http: dashboard and API on {}/", http->url());
  }

  PoolOptions pool_options;
  pool_options.workers = workers > 0 ? workers : host.config().workers;
  WorkerPool pool(host, pool_options);
  std::atomic<bool> pool_done{false};
  std::thread pool_thread([&] {
    pool.run();
    pool_done.store(true);
  });
  Scheduler scheduler(host, {}, [&pool] { pool.notify(); });
  scheduler.start();
  // On a shared PostgreSQL store, `jobhost reload` run on any machine reloads every daemon: the
  // request arrives here as a SIGHUP to ourselves, handled by the loop below like one from
  // systemd.
  std::unique_ptr<WakeListener> reload_requests;
  if (host.database().dialect() == store::Dialect::postgresql)
    reload_requests = std::make_unique<WakeListener>(
        host.database().options().pg_connection, store::kReloadChannel,
        [] { ::kill(::getpid(), SIGHUP); }, /*wake_on_connect=*/false);
  // Ready means reachable by a reload request too (when the store answers at all).
  if (reload_requests) reload_requests->wait_listening(std::chrono::seconds(5));

  host_log()->info("jobhost {} running as {} on {} with {} worker{}", JOBHOST_VERSION,
                   host.instance(), host.database().describe(), pool_options.workers,
                   pool_options.workers == 1 ? "" : "s");
  sd_notify("READY=1\nSTATUS=running");
  if (http) http->set_ready(true);

  const Micros heartbeat_every = static_cast<Micros>(host.config().heartbeat_s) * 1000000;
  Micros last_beat = now_micros();
  while (true) {
    const int sig = wait_signal(signals, 1000000);
    if (sig == SIGHUP) {
      host_log()->info(
          "SIGHUP: reloading the configuration (plugin files, plugin settings, schedules)");
      sd_notify("RELOADING=1");
      std::vector<std::string> report;
      try {
        host.database().reopen_if_broken(session);
        // The YAML file, with what was changed over the HTTP API since laid over it.
        const config::HostConfig fresh = with_stored_overrides(reload(), *session);
        // Plugins first: new ones and their new settings may set schedules of their own.
        report = host.reload_plugins(fresh);
        auto reconfigured = host.reconfigure_plugins(fresh);
        report.insert(report.end(), reconfigured.begin(), reconfigured.end());
        sync_schedules(host, fresh);
        scheduler.refresh();
      } catch (const std::exception& e) {
        host_log()->error("reload failed, keeping the current configuration: {}", e.what());
        report.push_back(std::string("reload failed: ") + e.what());
      }
      reloads.finished(std::move(report));
      sd_notify("READY=1");
    } else if (sig == SIGINT || sig == SIGTERM) {
      result.signal = sig;
      break;
    }
    // A retired plugin (its file removed) is unloaded here once its last run let go of it.
    if (host.plugins().retired_count() > 0) host.reap_retired_plugins();
    if (now_micros() - last_beat >= heartbeat_every) {
      beat(host, beat_session);
      last_beat = now_micros();
    }
  }

  sd_notify("STOPPING=1");
  if (http) http->stop();
  host_log()->info("{}: no new runs; waiting up to {} s for running jobs",
                   result.signal == SIGINT ? "SIGINT" : "SIGTERM",
                   host.config().jobs.shutdown_grace_s);
  // The scheduler stops last: on SQLite its thread may be waiting for the write lock that a
  // running job holds, and the grace period and cancelling must not wait for that job. Jobs it
  // still enqueues meanwhile stay queued for the next start (nothing claims them now).
  pool.stop();
  const Micros grace_end =
      now_micros() + static_cast<Micros>(host.config().jobs.shutdown_grace_s) * 1000000;
  while (!pool_done.load() && now_micros() < grace_end)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  if (!pool_done.load()) {
    host_log()->warn("running jobs did not finish in time: cancelling them");
    result.cancelled_jobs = true;
    pool.cancel_running();
  }
  pool_thread.join();
  scheduler.stop();
  try {
    host.database().reopen_if_broken(session);
    mark_stopped(*session, host.instance(), now_micros());
  } catch (const std::exception& e) {
    host_log()->warn("{}", e.what());
  }
  return result;
}

TickResult tick(Host& host, int workers) {
  TickResult result;
  auto session = host.database().open();
  sync_schedules(host, host.config());
  schedule::ScheduleStore schedules(*session);
  const Micros now = now_micros();
  for (const auto& r : schedules.due(now)) {
    auto fired = schedule::fire_schedule(*session, host.plugins(), r, now, host.config().event_log);
    if (fired.kind == schedule::FireResult::Kind::enqueued) ++result.fired;
    if (fired.kind == schedule::FireResult::Kind::skipped) {
      ++result.skipped;
      host_log()->warn("schedule {}: {}", r.name(), fired.message);
    }
  }
  PoolOptions options;
  options.workers = workers > 0 ? workers : host.config().workers;
  options.drain = true;
  WorkerPool pool(host, options);
  auto stats = pool.run();
  result.completed = stats.completed;
  result.failed = stats.failed;
  result.errored = stats.errored;
  return result;
}

}  // namespace jobhost::daemon
