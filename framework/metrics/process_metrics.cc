#include "metrics/process_metrics.h"

#include <atomic>
#include <cstdint>
#include <string>

#include "metrics/histogram.h"
#include "metrics/metrics.h"
#include "metrics/series_table.h"

namespace jobhost::metrics {

namespace {

using Counter = std::atomic<std::uint64_t>;

struct ProcessMetrics {
  SeriesTable<Counter> runs;                    // type, status
  SeriesTable<SecondsHistogram> run_durations;  // type
  SeriesTable<Counter> retries;                 // type
  SeriesTable<Counter> rescued;                 // reason
  SeriesTable<SecondsHistogram> lateness;       // type
  SeriesTable<Counter> remote_calls;            // plugin, code
  SeriesTable<Counter> rate_limited;            // plugin
};

// Never destroyed: threads that outlive main (a run abandoned past its deadline, parked for
// good) may still count, and must not find the tables gone during static destruction.
ProcessMetrics& process() {
  static auto* metrics = new ProcessMetrics;
  return *metrics;
}

void add(Counter& c, std::uint64_t n = 1) {
  c.fetch_add(n, std::memory_order_relaxed);
}

void write_counters(Exposition& out, const SeriesTable<Counter>& table, std::string_view name,
                    std::string_view label) {
  table.for_each([&](const std::vector<std::string>& labels, const Counter& c) {
    out.sample(name, {{label, labels[0]}}, c.load(std::memory_order_relaxed));
  });
}

}  // namespace

void job_finished(std::string_view type, std::string_view status, Micros run_duration) {
  add(process().runs.at({type, status}));
  process().run_durations.at({type}).observe(run_duration);
}

void job_retried(std::string_view type) {
  add(process().retries.at({type}));
}

void jobs_rescued(std::string_view how, int count) {
  if (count > 0) add(process().rescued.at({how}), static_cast<std::uint64_t>(count));
}

void schedule_fired(std::string_view type, Micros lateness) {
  process().lateness.at({type}).observe(lateness);
}

void remote_call(std::string_view plugin, int http_status) {
  // Exact codes rather than classes (5xx): there are few of them per plugin, and a 401 or a
  // 404 says something a class would hide.
  const std::string code = http_status == 0 ? "error" : std::to_string(http_status);
  add(process().remote_calls.at({plugin, code}));
  if (http_status == 429) add(process().rate_limited.at({plugin}));
}

void write_process_metrics(Exposition& out) {
  ProcessMetrics& m = process();

  out.family("jobhost_job_runs_total", "counter",
             "Runs this process finished (committed), by job type and outcome.");
  m.runs.for_each([&](const std::vector<std::string>& labels, const Counter& c) {
    out.sample("jobhost_job_runs_total", {{"type", labels[0]}, {"status", labels[1]}},
               c.load(std::memory_order_relaxed));
  });

  out.family("jobhost_job_run_duration_seconds", "histogram",
             "How long the runs this process finished took, by job type.");
  m.run_durations.for_each([&](const std::vector<std::string>& labels, const SecondsHistogram& h) {
    h.write(out, "jobhost_job_run_duration_seconds", "type", labels[0]);
  });

  out.family("jobhost_job_retries_total", "counter",
             "Errored runs given another attempt by this process, by job type.");
  write_counters(out, m.retries, "jobhost_job_retries_total", "type");

  out.family("jobhost_jobs_rescued_total", "counter",
             "Running jobs of other processes that this process ended as errored: reason lease "
             "(the lease expired) or host_lost (the daemon stopped its heartbeat).");
  write_counters(out, m.rescued, "jobhost_jobs_rescued_total", "reason");

  out.family("jobhost_schedule_lateness_seconds", "histogram",
             "How late after its slot each schedule fired by this process fired, by job type.");
  m.lateness.for_each([&](const std::vector<std::string>& labels, const SecondsHistogram& h) {
    h.write(out, "jobhost_schedule_lateness_seconds", "type", labels[0]);
  });

  out.family("jobhost_remote_calls_total", "counter",
             "HTTP request attempts of plugins, by plugin and status code (error: no answer, "
             "a transport failure). Retried 429s count once per attempt.");
  m.remote_calls.for_each([&](const std::vector<std::string>& labels, const Counter& c) {
    out.sample("jobhost_remote_calls_total", {{"plugin", labels[0]}, {"code", labels[1]}},
               c.load(std::memory_order_relaxed));
  });

  out.family("jobhost_remote_rate_limited_total", "counter",
             "HTTP 429 answers plugins got, waited out or not, by plugin.");
  write_counters(out, m.rate_limited, "jobhost_remote_rate_limited_total", "plugin");
}

}  // namespace jobhost::metrics
