#include "store/migrations.h"

#include <functional>

#include <soci/soci.h>

#include "core/time.h"

namespace jobhost::store {

namespace {

// Any fixed number: the key of the advisory lock that serializes migrations on PostgreSQL.
constexpr long long kMigrationLockKey = 0x6a6f62686f7374;  // "jobhost"

std::string checksum(const std::string& sql) {
  return std::to_string(std::hash<std::string>{}(sql));
}

void validate_steps(const std::string& component, const std::vector<MigrationStep>& steps) {
  uint32_t expected = 1;
  for (const auto& s : steps) {
    if (s.version != expected)
      throw MigrationError(component +
                           ": migrations must be numbered 1, 2, 3... without gaps; "
                           "found version " +
                           std::to_string(s.version) + " where " + std::to_string(expected) +
                           " was expected");
    ++expected;
  }
}

}  // namespace

void ensure_migration_table(Session& session) {
  session.exec_script(
      "CREATE TABLE IF NOT EXISTS jh_schema_migrations ("
      " component TEXT NOT NULL,"
      " version BIGINT NOT NULL,"
      " description TEXT NOT NULL,"
      " checksum TEXT NOT NULL,"
      " applied_at BIGINT NOT NULL,"
      " PRIMARY KEY (component, version))");
}

uint32_t applied_version(Session& session, const std::string& component) {
  long long version = 0;
  soci::indicator ind = soci::i_null;
  try {
    session.sql() << "SELECT MAX(version) FROM jh_schema_migrations WHERE component = :c",
        soci::use(component), soci::into(version, ind);
  } catch (...) {
    rethrow_as_store_error("reading the schema version of " + component);
  }
  return ind == soci::i_ok ? static_cast<uint32_t>(version) : 0;
}

MigrationReport apply_migrations(Session& session, const std::string& component,
                                 const std::vector<MigrationStep>& steps) {
  validate_steps(component, steps);

  MigrationReport report;
  WriteTransaction tx(session);
  if (session.dialect() == Dialect::postgresql) {
    try {
      session.sql() << "SELECT pg_advisory_xact_lock(" << kMigrationLockKey << ")";
    } catch (...) {
      rethrow_as_store_error("taking the migration lock");
    }
  }
  // Under the lock: two hosts creating the table at once would collide on PostgreSQL.
  ensure_migration_table(session);
  // Read inside the transaction (and the lock): another host may just have migrated.
  report.from_version = applied_version(session, component);
  report.to_version = report.from_version;
  const uint32_t known = steps.empty() ? 0 : steps.back().version;
  if (report.from_version > known) {
    throw MigrationError("the store's schema of " + component + " is at version " +
                         std::to_string(report.from_version) +
                         ", but this jobhost knows only up "
                         "to version " +
                         std::to_string(known) +
                         ": it was migrated by a newer "
                         "jobhost or plugin; run that version (or newer) against this store");
  }
  for (const auto& step : steps) {
    if (step.version <= report.from_version) continue;
    const std::string& sql =
        session.dialect() == Dialect::sqlite ? step.sqlite_sql : step.postgresql_sql;
    try {
      if (!sql.empty()) session.exec_script(sql);
      const long long version = step.version;
      const long long now = now_micros();
      const std::string sum = checksum(sql);
      session.sql() << "INSERT INTO jh_schema_migrations (component, version, description, "
                       "checksum, applied_at) VALUES (:c, :v, :d, :s, :t)",
          soci::use(component), soci::use(version), soci::use(step.description), soci::use(sum),
          soci::use(now);
    } catch (const std::exception& e) {
      throw MigrationError(component + " migration " + std::to_string(step.version) + " (" +
                           step.description + ") failed: " + e.what() +
                           "; nothing of this start-up's migrations was applied");
    }
    report.applied.push_back(step.version);
    report.to_version = step.version;
  }
  tx.commit();
  return report;
}

}  // namespace jobhost::store
