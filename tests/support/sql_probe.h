// Reading the store directly in tests, to check what a run really left behind.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/database.h"

namespace jobhost::testing {

// The first column of the first row of `sql` as an integer (0 when there is no row).
int64_t scalar(store::Session& session, const std::string& sql);
// The first column of the first row of `sql` as text; nullopt when there is no row or NULL.
std::optional<std::string> text(store::Session& session, const std::string& sql);
// True when `table` exists in the store.
bool table_exists(store::Session& session, const std::string& table);

}  // namespace jobhost::testing
