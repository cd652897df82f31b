// The `jobhost` command line. The only file that includes CLI11 (slow to compile).
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/open_host.h"
#include "cli/output.h"

using namespace jobhost::cli;

namespace {

// One-line purpose first, then examples: what `--help` shows for each subcommand (a test walks
// every subcommand's help and fails on one without a purpose or an example).
std::string examples_footer(const std::vector<std::string>& examples) {
  std::string out = examples.size() == 1 ? "Example:" : "Examples:";
  for (const auto& e : examples) out += "\n  " + e;
  return out;
}

CLI::App* command(CLI::App& app, const std::string& name, const std::string& purpose,
                  const std::vector<std::string>& examples) {
  auto* sub = app.add_subcommand(name, purpose);
  sub->footer(examples_footer(examples));
  return sub;
}

CLI::App* command(CLI::App& app, const std::string& name, const std::string& purpose,
                  const char* example) {
  return command(app, name, purpose, std::vector<std::string>{example});
}

// The help of `app` and of every subcommand below it, as one Markdown page: the command-line
// reference (docs/cli-reference.md is this output; a test fails when the two differ). `parent`:
// the command path above `app` ("jobhost config"), empty for the top.
void print_help_pages(CLI::App& app, const std::string& parent, std::ostream& out) {
  if (app.get_name() == "cli-reference") return;  // a tool for this page, not part of it
  const std::string path = parent.empty() ? app.get_name() : parent + " " + app.get_name();
  out << "\n## " << path << "\n\n```text\n" << app.help(parent) << "```\n";
  for (CLI::App* sub : app.get_subcommands({})) print_help_pages(*sub, path, out);
}

int cli_reference(CLI::App& app) {
  app.clear();          // the top's help, not that of the subcommand that was parsed
  app.name("jobhost");  // not argv[0]: the page is the same wherever the binary is
  std::cout << "# Command-line reference\n\n"
               "Every `jobhost` command's `--help`, as the binary prints it. Generated:\n"
               "`build/bin/jobhost cli-reference > docs/cli-reference.md` (`cli_test` fails when\n"
               "this page and the binary differ). Configuration keys:\n"
               "[config-reference.md](config-reference.md); error messages and what to do:\n"
               "[troubleshooting.md](troubleshooting.md).\n";
  print_help_pages(app, "", std::cout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "jobhost: runs infrastructure job plugins (.so) with transactions, singletons, retries, "
      "schedules and an event log.\n"};
  app.set_version_flag("--version", std::string("jobhost ") + JOBHOST_VERSION);
  app.footer(std::string("Configuration: --config FILE, else $JOBHOST_CONFIG, else ./jobhost.yaml, "
                         "else built-in defaults (SQLite file ./jobhost.db, no plugins).\n") +
             kExitCodeHelp +
             "\nRun `jobhost COMMAND --help` for a command's options and an example.\n" +
             examples_footer({"jobhost --config /etc/jobhost/jobhost.yaml run-now hello.greet -p "
                              "who=ops",
                              "jobhost --config /etc/jobhost/jobhost.yaml config check "
                              "/etc/jobhost/jobhost.yaml"}));
  app.require_subcommand(1);
  app.fallthrough();  // global options may also follow the subcommand

  GlobalOptions g;
  app.add_option("-c,--config", g.config_file, "Configuration file (YAML)");
  app.add_option("--log-level", g.log_level, "trace, debug, info, warn, error or off");
  app.add_option("--log-format", g.log_format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));

  RunOptions run;
  auto* run_now = command(app, "run-now", "Run a job now in this process and print its result",
                          "jobhost run-now hello.greet --param who=ops --json");
  run_now->add_option("type", run.type, "Job type, e.g. hello.greet")->required();
  run_now->add_option("-p,--param", run.params, "Parameter as name=value (repeatable)");
  run_now->add_flag("--json", run.json, "Print the outcome as JSON");

  RunOptions enq;
  auto* enqueue = command(app, "enqueue", "Put a pending job in the queue for the workers",
                          "jobhost enqueue hello.greet --param who=ops && jobhost work --drain");
  enqueue->add_option("type", enq.type, "Job type")->required();
  enqueue->add_option("-p,--param", enq.params, "Parameter as name=value (repeatable)");
  enqueue->add_option("--at", enq.at, "Run not before this time (RFC 3339, UTC)");
  enqueue->add_flag("--json", enq.json, "Print the new job as JSON");

  WorkOptions wo;
  auto* work = command(app, "work", "Run the worker pool: claim pending jobs and run them",
                       "jobhost work --drain --workers 4");
  work->add_flag("--drain", wo.drain, "Stop when no due job is left");
  work->add_option("-w,--workers", wo.workers, "Number of workers (default: the config's)")
      ->check(CLI::Range(1, 256));
  work->add_flag("--json", wo.json, "Print the totals as JSON");

  JobsOptions jo;
  auto* jobs = command(app, "jobs", "List jobs, newest first",
                       "jobhost jobs --status errored --type hello.greet --limit 20");
  jobs->add_option("--status", jo.status,
                   "scheduled, pending, running, completed, errored, failed");
  jobs->add_option("--type", jo.type, "Only this job type");
  jobs->add_option("--key", jo.key, "Only jobs with this key");
  jobs->add_option("--limit", jo.limit, "At most this many (default 50)");
  jobs->add_option("--before", jo.before, "Only jobs with a lower id (paging)");
  jobs->add_flag("--json", jo.json, "Print JSON");

  JobOptions one;
  auto* job = command(app, "job", "Show one job: status, result, job data, error and events",
                      "jobhost job 42 --json");
  job->add_option("id", one.id, "Job id")->required();
  job->add_flag("--json", one.json, "Print JSON");

  EventsOptions eo;
  auto* events = command(app, "events", "Show the event log (oldest of the newest N first)",
                         "jobhost events --since 1h --level error");
  events->add_option("--job", eo.job, "Only events of this job");
  events->add_option("--since", eo.since, "Since a time (RFC 3339) or an age (15m, 2h, 7d)");
  events->add_option("--level", eo.level, "Only this level (info, warn, error)");
  events->add_option("--limit", eo.limit, "At most this many (default 100)");
  events->add_flag("--json", eo.json, "Print JSON");

  PluginsOptions po;
  auto* plugins =
      command(app, "plugins", "List loaded plugins and their job types, and refused plugins",
              "jobhost plugins --json");
  plugins->add_flag("--json", po.json, "Print JSON");

  DaemonOptions daemon_o;
  auto* run_cmd =
      command(app, "run",
              "Run the daemon in the foreground: schedules fire, workers run jobs "
              "(SIGHUP reloads schedules and plugin settings, SIGTERM stops gracefully)",
              "jobhost --config /etc/jobhost/jobhost.yaml run");
  run_cmd->add_option("-w,--workers", daemon_o.workers, "Number of workers (default: the config's)")
      ->check(CLI::Range(1, 256));

  DaemonOptions tick_o;
  auto* tick_cmd = command(app, "tick",
                           "Fire the schedules that are due, run their jobs, exit (for cron or "
                           "a systemd timer; safe beside a daemon)",
                           {"jobhost --config /etc/jobhost/jobhost.yaml tick --json",
                            "*/5 * * * * jobhost --config /etc/jobhost/jobhost.yaml tick   "
                            "(a crontab line)"});
  tick_cmd->add_option("-w,--workers", tick_o.workers, "Number of workers");
  tick_cmd->add_flag("--json", tick_o.json, "Print the totals as JSON");

  ListOptions sched_o;
  auto* schedules_cmd =
      command(app, "schedules", "List schedules: when, enabled, next run, last run and outcome",
              "jobhost schedules --json");
  schedules_cmd->add_flag("--json", sched_o.json, "Print JSON");

  TriggerOptions trig;
  auto* trigger_cmd = command(app, "trigger",
                              "Run a job type now, outside its rhythm (the schedule is left as it "
                              "was)",
                              "jobhost trigger hedgehog.fabric_sync --key fab-1 --wait");
  trigger_cmd->add_option("type", trig.type, "Job type")->required();
  trigger_cmd->add_option("--key", trig.key, "The object (e.g. a fabric) for a keyed job type");
  trigger_cmd->add_option("-p,--param", trig.params, "Parameter as name=value (repeatable)");
  trigger_cmd->add_flag("--force", trig.force, "Run even if the schedule is disabled");
  trigger_cmd->add_flag("--wait", trig.wait,
                        "Wait for the outcome (runs it here if no worker does)");
  trigger_cmd->add_flag("--json", trig.json, "Print JSON");

  ScheduleToggleOptions enable_o, disable_o;
  disable_o.enable = false;
  auto* enable_cmd = command(app, "enable", "Enable a schedule (it runs again on its rhythm)",
                             "jobhost enable zabbix.host_config_sync_refresh");
  enable_cmd->add_option("type", enable_o.type, "Job type")->required();
  enable_cmd->add_option("--key", enable_o.key, "The object of a per-object schedule");
  auto* disable_cmd = command(app, "disable", "Disable a schedule (kept, with its history)",
                              "jobhost disable hedgehog.fabric_sync --key fab-1");
  disable_cmd->add_option("type", disable_o.type, "Job type")->required();
  disable_cmd->add_option("--key", disable_o.key, "The object of a per-object schedule");

  auto* reload_cmd = command(app, "reload",
                             "Ask the daemons to reload their configuration files: on "
                             "PostgreSQL every daemon of the store, on any machine; on SQLite "
                             "the daemons of this machine (SIGHUP)",
                             "jobhost reload");

  ListOptions status_o;
  auto* status_cmd =
      command(app, "status", "Show hosts, store, plugins, next runs, running jobs, recent failures",
              "jobhost status --json");
  status_cmd->add_flag("--json", status_o.json, "Print JSON");

  ConfigCheckOptions co;
  auto* config =
      command(app, "config", "Configuration tools: check a file, print the reference of every key",
              {"jobhost config check /etc/jobhost/jobhost.yaml",
               "jobhost config reference > docs/config-reference.md"});
  config->require_subcommand(1);
  auto* check = command(*config, "check", "Report every problem of a configuration file at once",
                        "jobhost config check jobhost.yaml");
  check->add_option("file", co.file, "Configuration file")->required();
  check->add_flag("--json", co.json, "Print JSON");
  ConfigReferenceOptions ref_o;
  auto* reference = command(
      *config, "reference",
      "Print every configuration key: type, default, allowed values, "
      "description, example (Markdown; the validator's own table)",
      {"jobhost config reference > docs/config-reference.md", "jobhost config reference --json",
       "jobhost --config /etc/jobhost/jobhost.yaml config reference "
       "--plugins"});
  reference->add_flag("--json", ref_o.json, "Print JSON");
  reference->add_flag("--plugins", ref_o.plugins,
                      "Append the settings each plugin of the configuration declares");

  auto* cli_reference_cmd =
      command(app, "cli-reference",
              "Print every command's help as one Markdown page (the command-line reference)",
              "jobhost cli-reference > docs/cli-reference.md");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kUsage;
  }

  if (*cli_reference_cmd) return cli_reference(app);
  try {
    if (*run_now) return jobhost::cli::run_now(g, run);
    if (*enqueue) return jobhost::cli::enqueue(g, enq);
    if (*work) return jobhost::cli::work(g, wo);
    if (*jobs) return list_jobs(g, jo);
    if (*job) return show_job(g, one);
    if (*events) return list_events(g, eo);
    if (*plugins) return list_plugins(g, po);
    if (*check) return config_check(g, co);
    if (*reference) return config_reference(g, ref_o);
    if (*run_cmd) return run_daemon(g, daemon_o);
    if (*tick_cmd) return jobhost::cli::tick(g, tick_o);
    if (*schedules_cmd) return list_schedules(g, sched_o);
    if (*trigger_cmd) return jobhost::cli::trigger(g, trig);
    if (*enable_cmd) return toggle_schedule(g, enable_o);
    if (*disable_cmd) return toggle_schedule(g, disable_o);
    if (*reload_cmd) return jobhost::cli::reload(g);
    if (*status_cmd) return jobhost::cli::status(g, status_o);
  } catch (const CliExit& e) {
    if (*e.what()) print_error(e.what());
    return e.code();
  } catch (const std::exception& e) {
    print_error(e.what());
    return kJobErrored;
  }
  return kUsage;
}
