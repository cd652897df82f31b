// `jobhost run` and `jobhost tick`.
//
// run: the daemon, in the foreground. Reconciles the schedules, starts the scheduler (one
// timer for all schedules) and the worker pool, registers itself with a heartbeat, tells
// systemd it is ready, and then waits for signals: SIGHUP reloads the configuration's
// schedules and the plugins' settings (Host::reconfigure_plugins); SIGTERM/SIGINT stop claiming,
// let running jobs finish for jobs.shutdown_grace_s, cancel what still runs, and exit.
//
// tick: one round for cron or a systemd timer: fire what is due, run it, exit. Safe beside a
// daemon or another tick: fires and claims are conditional updates in the store.
#pragma once

#include <signal.h>

#include <functional>

#include "config/host_config.h"
#include "host/host.h"

namespace jobhost::daemon {

struct RunResult {
  int signal = 0;               // what stopped it
  bool cancelled_jobs = false;  // the grace period ran out and running jobs were cancelled
};

// `signals` (SIGINT, SIGTERM, SIGHUP) must be blocked in every thread before the host opened.
// `reload` reads the configuration again (it may throw a ConfigError: then the old one stays).
RunResult run(Host& host, const sigset_t& signals,
              const std::function<config::HostConfig()>& reload, int workers);

struct TickResult {
  int fired = 0, skipped = 0;
  uint64_t completed = 0, failed = 0, errored = 0;
};
TickResult tick(Host& host, int workers);

}  // namespace jobhost::daemon
