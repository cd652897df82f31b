#include "store/sql_script.h"

#include <libpq-fe.h>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
// SOCI includes sqlite3.h inside namespace sqlite_api: the C API is used from there, and
// <sqlite3.h> must not be included before it.
#include <soci/sqlite3/soci-sqlite3.h>

namespace jobhost::store {

void reset_statement(soci::statement& statement, Dialect dialect) {
  if (dialect != Dialect::sqlite) return;
  auto* backend = static_cast<soci::sqlite3_statement_backend*>(statement.get_backend());
  if (backend && backend->stmt_) sqlite_api::sqlite3_reset(backend->stmt_);
}

void execute_script(soci::session& sql, Dialect dialect, const std::string& script) {
  if (dialect == Dialect::sqlite) {
    auto* backend = static_cast<soci::sqlite3_session_backend*>(sql.get_backend());
    char* error = nullptr;
    int rc = sqlite_api::sqlite3_exec(backend->conn_, script.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
      std::string message = error ? error : sqlite_api::sqlite3_errstr(rc);
      sqlite_api::sqlite3_free(error);
      throw StoreError(message,
                       rc == SQLITE_BUSY ? StoreError::Kind::busy : StoreError::Kind::other);
    }
    return;
  }
  auto* backend = static_cast<soci::postgresql_session_backend*>(sql.get_backend());
  PGresult* result = PQexec(backend->conn_, script.c_str());
  const auto status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    std::string message = PQresultErrorMessage(result);
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    const bool unique = state && std::string(state) == "23505";
    PQclear(result);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
      message.pop_back();
    if (message.empty()) message = PQerrorMessage(backend->conn_);
    throw StoreError(message,
                     unique ? StoreError::Kind::unique_violation : StoreError::Kind::other);
  }
  PQclear(result);
}

}  // namespace jobhost::store
