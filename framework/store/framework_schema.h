// The framework's own tables (jobs, events, migrations bookkeeping), per dialect.
#pragma once

#include <vector>

#include "store/migrations.h"

namespace jobhost::store {

// Component name under which the framework's schema versions are recorded.
inline constexpr const char* kFrameworkComponent = "jobhost";

// Status predicates shared by the schema's partial indexes and the queries that must use them.
// OR chains, not IN lists: SQLite evaluates a constant IN list of three or more through a
// temporary b-tree built per statement execution, which cost about a quarter of the time of
// a no-op job. A query uses a partial index only when its WHERE contains the index's
// predicate term as written, hence one definition for both.
inline constexpr const char* kWaitingStatus = "(status = 'scheduled' OR status = 'pending')";
inline constexpr const char* kLiveStatus =
    "(status = 'scheduled' OR status = 'pending' OR status = 'running')";

// PostgreSQL: the channel a trigger notifies when jobs are inserted (migration 3).
inline constexpr const char* kJobsChannel = "jobhost_jobs";
// PostgreSQL: `jobhost reload` notifies it; every daemon on the store reloads its configuration.
inline constexpr const char* kReloadChannel = "jobhost_reload";

const std::vector<MigrationStep>& framework_migrations();

}  // namespace jobhost::store
