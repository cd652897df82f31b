// The gauges read from the store at each scrape: what every process of the store sees (jobs by
// type and status, the due queue, hosts, schedules) and this process's running jobs.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "metrics/exposition.h"
#include "metrics/metrics.h"

namespace jobhost::metrics {

struct StoreGauges {
  std::map<std::pair<std::string, std::string>, std::int64_t> jobs;  // (type, status)
  std::map<std::string, std::int64_t> queue_depth;                   // type: waiting and due
  std::int64_t running_here = 0;
  std::int64_t hosts_live = 0, hosts_lost = 0;
  std::int64_t schedules_enabled = 0, schedules_disabled = 0;
};

// Reads them all before anything is written, so that a store failing halfway leaves out every
// store gauge rather than some. Throws store::StoreError. `now` must be set.
StoreGauges read_store_gauges(store::Session& session, const RenderContext& ctx);

// Known job types (ctx.job_types) get every series at 0 where the store has no row, so that a
// drained queue reads 0 instead of vanishing.
void write_store_gauges(Exposition& out, const StoreGauges& gauges, const RenderContext& ctx);

}  // namespace jobhost::metrics
