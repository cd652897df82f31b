// Running a script of several SQL statements through the driver itself (sqlite3_exec,
// PQexec): SOCI executes one statement at a time.
#pragma once

#include <string>

#include "store/database.h"

namespace soci {
class session;
}

namespace jobhost::store {

void execute_script(soci::session& sql, Dialect dialect, const std::string& script);

}  // namespace jobhost::store
