// Versioned schema migrations, for the framework and for each plugin ("component").
// All pending steps of a component are applied in one transaction under a lock, so a failing
// step leaves the database as it was and two hosts starting together migrate once.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/database.h"

namespace jobhost::store {

struct MigrationStep {
  uint32_t version = 0;
  std::string description;
  std::string sqlite_sql;      // empty: this step has nothing for SQLite
  std::string postgresql_sql;  // empty: nothing for PostgreSQL
};

class MigrationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct MigrationReport {
  uint32_t from_version = 0;
  uint32_t to_version = 0;
  std::vector<uint32_t> applied;
};

// Creates the bookkeeping table if needed. Safe to call from several processes at once.
void ensure_migration_table(Session& session);

// Applies what is pending. Throws MigrationError when a step fails (naming component,
// version and the database's message), when the steps are malformed, or when the store
// already has a newer version than `steps` knows (the store was migrated by a newer host).
MigrationReport apply_migrations(Session& session, const std::string& component,
                                 const std::vector<MigrationStep>& steps);

// The highest version applied for a component, 0 when none.
uint32_t applied_version(Session& session, const std::string& component);

}  // namespace jobhost::store
