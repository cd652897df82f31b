// run, tick, schedules, trigger, enable/disable, reload, status.
#include <signal.h>

#include <chrono>
#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/job_exit.h"
#include "cli/open_host.h"
#include "cli/output.h"
#include "core/logging.h"
#include "daemon/daemon.h"
#include "daemon/host_registry.h"
#include "exec/in_flight_jobs.h"
#include "exec/lease_keeper.h"
#include "jobs/params.h"
#include "schedule/manual_trigger.h"
#include "schedule/schedule_store.h"
#include "store/framework_schema.h"
#include "views/status_view.h"

namespace jobhost::cli {

int run_daemon(const GlobalOptions& g, const DaemonOptions& o) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  // Blocked before anything starts, so every thread inherits it and a signal that arrives
  // during start-up waits for the loop instead of killing the process.
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  auto host = open_host(g);
  auto result = daemon::run(
      *host, signals, [&g] { return load_config(g); }, o.workers);
  if (result.cancelled_jobs) return kShutdownCancelled;
  return result.signal == SIGINT ? static_cast<int>(kInterrupted) : static_cast<int>(kOk);
}

int tick(const GlobalOptions& g, const DaemonOptions& o) {
  auto host = open_host(g);
  return exit_on_job_errors([&] {
    auto r = daemon::tick(*host, o.workers);
    if (o.json)
      print_json({{"fired", r.fired},
                  {"skipped", r.skipped},
                  {"completed", r.completed},
                  {"failed", r.failed},
                  {"errored", r.errored}});
    else
      std::cout << r.fired << " schedule" << (r.fired == 1 ? "" : "s") << " fired, " << r.skipped
                << " skipped; " << r.completed << " completed, " << r.failed << " failed, "
                << r.errored << " errored\n";
    return (r.failed || r.errored) ? static_cast<int>(kJobErrored) : static_cast<int>(kOk);
  });
}

int list_schedules(const GlobalOptions& g, const ListOptions& o) {
  auto host = open_host(g);
  return exit_on_job_errors([&] {
    schedule::ScheduleStore store(host->session());
    auto rows = store.list();
    if (o.json) {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& r : rows) arr.push_back(r.to_json());
      print_json(arr);
      return static_cast<int>(kOk);
    }
    Table t({"SCHEDULE", "WHEN", "ENABLED", "NEXT RUN", "LAST RUN", "OUTCOME", "SOURCE"});
    for (const auto& r : rows)
      t.add({r.name(), r.spec, r.enabled ? "yes" : "no", r.enabled ? opt_time(r.next_run_at) : "-",
             opt_time(r.last_fired_at), r.last_outcome.value_or("-"), r.source});
    if (t.empty())
      std::cout << "no schedules (job types declare defaults; `schedules:` in the configuration "
                   "adds or overrides them)\n";
    else
      std::cout << t.render();
    return static_cast<int>(kOk);
  });
}

int trigger(const GlobalOptions& g, const TriggerOptions& o) {
  auto host = open_host(g);
  return exit_on_job_errors([&] {
    const auto type_ref = host->job_type(o.type);
    const auto& type = *type_ref;
    auto params = parse_params(o.params);
    if (!o.key.empty() && !type.key_param.empty()) params.emplace_back(type.key_param, o.key);
    schedule::ManualTrigger manual;
    manual.key = o.key;
    manual.params = jobs::params_from_text(type, params);
    manual.force = o.force;
    int64_t id = 0;
    try {
      id = schedule::trigger_job(host->session(), type, manual);
    } catch (const schedule::TriggerRefused& e) {
      throw CliExit(kUsage, e.what());
    }
    if (!o.wait) {
      if (o.json)
        print_json({{"id", id}, {"type", o.type}, {"status", "pending"}});
      else
        std::cout << "triggered job " << id << " (" << o.type << "); a running `jobhost run` or "
                  << "`jobhost work` picks it up; --wait runs it here if none does\n";
      return static_cast<int>(kOk);
    }
    // --wait: give a daemon two seconds to pick it up, else run it here (this job, not
    // whichever is due first), with its lease kept as any worker keeps it.
    std::optional<jobs::JobRecord> rec;
    for (int i = 0; i < 300; ++i) {
      rec = host->jobs().get(id);
      if (rec && jobs::is_final(rec->status)) break;
      if (i == 20 && rec && rec->status == jobs::JobStatus::pending) {
        const Micros lease = host->config().jobs.lease_s * 1000000LL;
        if (auto claimed = host->jobs().claim_job(id, host->instance(), now_micros(), lease)) {
          InFlightJobs running;
          running.add({*claimed});
          LeaseKeeper keep_lease(*host, running, /*rescue=*/false);
          jobs::Runner runner(host->plugins(), host->session(), host->runner_options(),
                              host->durations());
          runner.run({*claimed});
          continue;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    rec = host->jobs().get(id);
    if (!rec) throw CliExit(kNotFound, "job " + std::to_string(id) + " vanished");
    if (o.json)
      print_json(rec->to_json());
    else
      std::cout << "job " << id << " " << o.type << ": " << jobs::status_name(rec->status)
                << (rec->result ? "\nresult: " + *rec->result : "") << "\n";
    if (rec->error && rec->status != jobs::JobStatus::completed) print_error(*rec->error);
    return exit_code_for(rec->status);
  });
}

int toggle_schedule(const GlobalOptions& g, const ScheduleToggleOptions& o) {
  auto host = open_host(g);
  return exit_on_job_errors([&] {
    schedule::ScheduleStore store(host->session());
    if (!store.set_enabled(o.type, o.key, o.enable, now_micros()))
      throw CliExit(kNotFound, "no schedule for " + o.type +
                                   (o.key.empty() ? "" : " key " + o.key) +
                                   " (see `jobhost schedules`)");
    auto r = store.find(o.type, o.key);
    std::cout << r->name() << ": "
              << (o.enable ? "enabled, next run " + opt_time(r->next_run_at)
                           : std::string("disabled"))
              << "\n";
    return static_cast<int>(kOk);
  });
}

int reload(const GlobalOptions& g) {
  auto host = open_host(g, false);
  return exit_on_job_errors([&] {
    const Micros recent = now_micros() - host->config().lost_after_s * 1000000LL;
    std::vector<daemon::HostRecord> daemons;
    for (auto& h : daemon::live_hosts(host->session(), recent))
      if (h.role == "daemon" && !h.lost_at) daemons.push_back(std::move(h));
    if (host->database().dialect() == store::Dialect::postgresql) {
      // Every daemon of the store listens: one notification reaches all machines.
      host->session().exec_script(std::string("NOTIFY ") + store::kReloadChannel);
      for (const auto& h : daemons)
        std::cout << "reloading " << h.instance << " (pid " << h.pid << " on " << h.machine
                  << ")\n";
      if (daemons.empty())
        throw CliExit(kNotFound, "no running `jobhost run` daemon uses this store");
      return static_cast<int>(kOk);
    }
    int signalled = 0;
    for (const auto& h : daemons) {
      if (h.machine != daemon::machine_name()) continue;
      if (::kill(static_cast<pid_t>(h.pid), SIGHUP) == 0) {
        std::cout << "reloading " << h.instance << " (pid " << h.pid << ")\n";
        ++signalled;
      }
    }
    if (signalled == 0)
      throw CliExit(kNotFound, "no running `jobhost run` daemon on this machine uses this store");
    return static_cast<int>(kOk);
  });
}

int status(const GlobalOptions& g, const ListOptions& o) {
  auto host = open_host(g);
  return exit_on_job_errors([&] {
    const auto s = views::read_status(host->session(), host->config().lost_after_s * 1000000LL);
    if (o.json) {
      print_json(views::status_json(s, *host));
      return static_cast<int>(kOk);
    }
    std::cout << "store    " << host->database().describe() << "\n";
    std::cout << "plugins  " << host->plugins().plugins().size() << " loaded, "
              << host->refusals().size() << " refused (`jobhost plugins`)\n";
    std::cout << "\nhosts:\n";
    if (s.hosts.empty()) std::cout << "  none running (start one with `jobhost run`)\n";
    for (const auto& h : s.hosts) {
      int runs = 0;
      for (const auto& r : s.running) runs += r.host == h.instance ? 1 : 0;
      std::cout << "  " << h.instance << "  " << (s.lost(h) ? "LOST" : "live") << "  jobhost "
                << h.version << " on " << h.machine << ", started " << format_time(h.started_at)
                << ", heartbeat " << format_duration(s.now - h.heartbeat_at) << " ago, " << runs
                << " running" << (h.api_url.empty() ? "" : ", dashboard " + h.api_url + "/")
                << "\n";
    }
    std::cout << "\nnext runs:\n";
    int shown = 0;
    for (const auto& r : s.schedules) {
      if (!r.enabled || shown++ >= 10) continue;
      std::cout << "  " << opt_time(r.next_run_at) << "  " << r.name() << "  (" << r.spec
                << ", last: " << r.last_outcome.value_or("never ran") << ")\n";
    }
    if (shown == 0) std::cout << "  none\n";
    std::cout << "\nrunning:\n";
    for (const auto& r : s.running)
      std::cout << "  job " << r.id << " " << r.type << " on " << r.host << " since "
                << opt_time(r.started_at) << "\n";
    if (s.running.empty()) std::cout << "  none\n";
    std::cout << "\nrecent failures:\n";
    for (const auto* list : {&s.errored, &s.failed})
      for (const auto& r : *list)
        std::cout << "  job " << r.id << " " << r.type << " " << jobs::status_name(r.status) << " "
                  << opt_time(r.finished_at) << ": " << ellipsize(r.error.value_or(""), 80) << "\n";
    if (s.errored.empty() && s.failed.empty()) std::cout << "  none\n";
    return static_cast<int>(kOk);
  });
}

}  // namespace jobhost::cli
