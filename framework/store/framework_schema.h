// The framework's own tables (jobs, events, migrations bookkeeping), per dialect.
#pragma once

#include <vector>

#include "store/migrations.h"

namespace jobhost::store {

// Component name under which the framework's schema versions are recorded.
inline constexpr const char* kFrameworkComponent = "jobhost";

const std::vector<MigrationStep>& framework_migrations();

}  // namespace jobhost::store
