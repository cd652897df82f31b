// The host's idle memory: the resident set of a process that has opened a Host with the
// example plugin `hello` loaded and run no job yet.
#pragma once

#include <cstdint>

#include "bench_store.h"

namespace jobhost::bench {

// Runs `jobhost-bench idle-rss` against a fresh store of `store` in a child process, so that
// nothing this process did before weighs on the figure; returns its idle_rss_kb.
// BenchFailure when the child fails.
int64_t idle_rss_in_child(BenchStore& store);

}  // namespace jobhost::bench
