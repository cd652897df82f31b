// The counters and histograms this process keeps (what metrics.h's recording functions count),
// written into an exposition. They start at zero with the process, as Prometheus expects of
// counters; a series appears at its first count.
#pragma once

#include "metrics/exposition.h"

namespace jobhost::metrics {

void write_process_metrics(Exposition& out);

}  // namespace jobhost::metrics
