// Prometheus metrics of the host. The recording functions count what this process did (runs,
// retries, rescues, fires, remote calls) in process-wide counters and histograms; render()
// adds what the store holds now (jobs, queue, hosts, schedules) and writes the exposition
// that the daemon's GET /metrics answers with (text format 0.0.4).
//
// Recording is cheap enough for the dispatch path: a label set already seen is found without
// a lock and counted with relaxed atomics; only a new label set takes a mutex.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace jobhost {
class Host;
}
namespace jobhost::store {
class Session;
}

namespace jobhost::metrics {

// A run's outcome, once committed: `status` is completed, failed or errored.
void job_finished(std::string_view type, std::string_view status, Micros run_duration);
// An errored run with attempts left was given its next attempt.
void job_retried(std::string_view type);
// Jobs of another process ended by this one: `how` is "lease" (its lease expired) or
// "host_lost" (its daemon was declared lost).
void jobs_rescued(std::string_view how, int count);
// A schedule fired by this process, `lateness` after the slot it stands for.
void schedule_fired(std::string_view type, Micros lateness);
// One attempt of a plugin's HTTP request: its status, or 0 when no answer came (transport
// error). Every attempt counts, the 429s the rate limit waited out and sent again included.
void remote_call(std::string_view plugin, int http_status);

// What render needs to know about the host that serves the metrics.
struct RenderContext {
  std::string instance;  // jh_hosts.instance of this process: its running jobs
  std::string version = JOBHOST_VERSION;
  Micros lost_after = 30'000'000;      // host.lost_after_s: a daemon silent longer is lost
  std::vector<std::string> job_types;  // loaded job types: their gauges read 0, never vanish
  Micros now = 0;                      // 0: the time of the call

  static RenderContext of(Host& host);
};

// The whole exposition: the process's counters and histograms, then gauges read from the store
// now. A store that fails is not an error: its gauges are left out and jobhost_store_up says 0,
// so the process's own series keep being scraped while the store is away.
std::string render(store::Session& session, const RenderContext& ctx);

}  // namespace jobhost::metrics
