// run-now, enqueue, jobs, job, events.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/job_exit.h"
#include "cli/open_host.h"
#include "cli/output.h"
#include "jobs/params.h"

namespace jobhost::cli {

namespace {

std::string duration_of(const jobs::JobRecord& j) {
  if (!j.started_at || !j.finished_at) return "-";
  return format_duration(*j.finished_at - *j.started_at);
}

}  // namespace

int run_now(const GlobalOptions& g, const RunOptions& o) {
  auto host = open_host(g);
  return exit_on_job_errors([&] {
    auto outcome = host->run_now(o.type, parse_params(o.params));
    if (o.json) {
      nlohmann::json j = {{"id", outcome.id},
                          {"type", outcome.type},
                          {"status", jobs::status_name(outcome.status)},
                          {"duration_s", static_cast<double>(outcome.duration) / 1e6},
                          {"error", outcome.error.empty() ? nlohmann::json(nullptr)
                                                          : nlohmann::json(outcome.error)}};
      auto parsed = outcome.result ? nlohmann::json::parse(*outcome.result, nullptr, false)
                                   : nlohmann::json(nullptr);
      j["result"] = parsed.is_discarded() ? nlohmann::json(*outcome.result) : parsed;
      print_json(j);
    } else {
      std::cout << "job " << outcome.id << " " << outcome.type << ": "
                << jobs::status_name(outcome.status) << " in " << format_duration(outcome.duration)
                << "\n";
      if (outcome.result) std::cout << "result: " << *outcome.result << "\n";
      if (!outcome.error.empty()) print_error(outcome.error);
    }
    return exit_code_for(outcome.status);
  });
}

int enqueue(const GlobalOptions& g, const RunOptions& o) {
  auto host = open_host(g);
  return exit_on_job_errors([&] {
    Micros at = 0;
    if (!o.at.empty()) {
      auto parsed = parse_time(o.at, now_micros());
      if (!parsed)
        throw CliExit(kUsage, "--at '" + o.at + "' is not a time (use e.g. 2026-11-24T08:00:00Z)");
      at = *parsed;
    }
    const int64_t id = host->enqueue(o.type, parse_params(o.params), "enqueue", at);
    if (o.json)
      print_json(
          {{"id", id}, {"type", o.type}, {"status", at > now_micros() ? "scheduled" : "pending"}});
    else
      std::cout << "enqueued job " << id << " (" << o.type << ")\n";
    return static_cast<int>(kOk);
  });
}

int list_jobs(const GlobalOptions& g, const JobsOptions& o) {
  auto host = open_host(g, false);
  return exit_on_job_errors([&] {
    jobs::JobFilter f;
    if (!o.status.empty()) {
      f.status = jobs::parse_status(o.status);
      if (!f.status)
        throw CliExit(kUsage, "--status '" + o.status +
                                  "' is not one of: scheduled, pending, running, completed, "
                                  "errored, failed");
    }
    if (!o.type.empty()) f.type = o.type;
    if (!o.key.empty()) f.key = o.key;
    if (o.before > 0) f.before_id = o.before;
    if (o.limit < 1) throw CliExit(kUsage, "--limit must be at least 1");
    f.limit = o.limit;
    auto list = host->jobs().list(f);
    if (o.json) {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& j : list) arr.push_back(j.to_json());
      print_json(arr);
      return static_cast<int>(kOk);
    }
    Table t({"ID", "TYPE", "KEY", "STATUS", "ATTEMPT", "CREATED", "DURATION", "ERROR"});
    for (const auto& j : list)
      t.add({std::to_string(j.id), j.type, j.key.empty() ? "-" : j.key, jobs::status_name(j.status),
             std::to_string(j.attempt) + "/" + std::to_string(j.max_attempts),
             format_time(j.created_at), duration_of(j), ellipsize(j.error.value_or(""), 60)});
    if (t.empty())
      std::cout << "no jobs match\n";
    else
      std::cout << t.render();
    return static_cast<int>(kOk);
  });
}

int show_job(const GlobalOptions& g, const JobOptions& o) {
  auto host = open_host(g, false);
  return exit_on_job_errors([&] {
    auto job = host->jobs().get(o.id);
    if (!job) throw CliExit(kNotFound, "no job " + std::to_string(o.id) + " (see `jobhost jobs`)");
    jobs::EventFilter ef;
    ef.job_id = o.id;
    ef.limit = 1000;
    auto events = host->jobs().events(ef);
    if (o.json) {
      auto j = job->to_json();
      j["events"] = nlohmann::json::array();
      for (const auto& e : events) j["events"].push_back(e.to_json());
      print_json(j);
      return static_cast<int>(kOk);
    }
    auto& out = std::cout;
    out << "job " << job->id << "  " << job->type << (job->key.empty() ? "" : "  key " + job->key)
        << "\n"
        << "  status     " << jobs::status_name(job->status) << "\n"
        << "  origin     " << job->origin << "\n"
        << "  params     " << job->params << "\n"
        << "  attempt    " << job->attempt << " of " << job->max_attempts << "\n"
        << "  created    " << format_time(job->created_at) << "\n"
        << "  scheduled  " << format_time(job->scheduled_at) << "\n"
        << "  started    " << opt_time(job->started_at) << "\n"
        << "  finished   " << opt_time(job->finished_at) << "  (" << duration_of(*job) << ")\n"
        << "  host       " << (job->host.empty() ? "-" : job->host) << "\n";
    if (job->progress_total || job->progress_done)
      out << "  progress   " << job->progress_done.value_or(0) << "/"
          << job->progress_total.value_or(0) << " " << job->progress_message.value_or("") << "\n";
    if (job->result) out << "  result     " << *job->result << "\n";
    if (job->data) out << "  data       " << *job->data << "\n";
    if (job->pre_data) out << "  pre_data   " << *job->pre_data << "\n";
    if (job->post_data) out << "  post_data  " << *job->post_data << "\n";
    if (job->signal_id) out << "  signal_id  " << *job->signal_id << "\n";
    if (job->error) out << "  error      " << *job->error << "\n";
    if (!events.empty()) {
      out << "events:\n";
      for (const auto& e : events)
        out << "  " << format_time(e.created_at) << "  " << e.level << "  " << e.message << "\n";
    }
    return static_cast<int>(kOk);
  });
}

int list_events(const GlobalOptions& g, const EventsOptions& o) {
  auto host = open_host(g, false);
  return exit_on_job_errors([&] {
    jobs::EventFilter f;
    if (o.job > 0) f.job_id = o.job;
    if (!o.since.empty()) {
      auto t = parse_time(o.since, now_micros());
      if (!t)
        throw CliExit(kUsage, "--since '" + o.since +
                                  "' is not a time (use 2026-11-24T08:00:00Z, 2026-11-24, or an "
                                  "age like 15m, 2h, 7d)");
      f.since = t;
    }
    if (!o.level.empty()) f.level = o.level;
    if (o.limit < 1) throw CliExit(kUsage, "--limit must be at least 1");
    f.limit = o.limit;
    auto events = host->jobs().events(f);
    if (o.json) {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& e : events) arr.push_back(e.to_json());
      print_json(arr);
      return static_cast<int>(kOk);
    }
    Table t({"ID", "TIME", "LEVEL", "NAME", "JOB", "MESSAGE"});
    for (const auto& e : events)
      t.add({std::to_string(e.id), format_time(e.created_at), e.level, e.name,
             e.job_id ? std::to_string(*e.job_id) : "-", ellipsize(e.message, 80)});
    if (t.empty())
      std::cout << "no events match\n";
    else
      std::cout << t.render();
    return static_cast<int>(kOk);
  });
}

}  // namespace jobhost::cli
