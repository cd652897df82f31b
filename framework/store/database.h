// The store's connections: one Database per process (what to connect to, and for SQLite the
// in-process write gate), many Sessions (one per thread that talks to the store).
#pragma once

#include <atomic>
#include <memory>
#include <semaphore>
#include <stdexcept>
#include <string>

namespace soci {
class session;
class statement;
}  // namespace soci

namespace jobhost::store {

enum class Dialect { sqlite, postgresql };
const char* dialect_name(Dialect d);

struct DatabaseOptions {
  Dialect dialect = Dialect::sqlite;
  std::string sqlite_path;                  // sqlite
  std::string sqlite_synchronous = "full";  // full: a commit survives power loss; normal: a crash
  int busy_timeout_ms = 30000;              // sqlite: how long a writer waits for another process
  std::string pg_connection;                // postgresql: libpq key=value string
};

// A store failure, with what the store said and what to do about it where we know.
class StoreError : public std::runtime_error {
 public:
  enum class Kind { other, unique_violation, connection, busy };
  StoreError(const std::string& message, Kind kind = Kind::other)
      : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// Ends a prepared statement's current execution so it no longer counts as "in progress":
// SQLite refuses to COMMIT while a statement that returned rows (INSERT ... RETURNING, a
// SELECT read to its LIMIT) has not been reset. A no-op for PostgreSQL.
void reset_statement(soci::statement& statement, Dialect dialect);

// Translates a SOCI/database exception into a StoreError (rethrow inside a catch block).
[[noreturn]] void rethrow_as_store_error(const std::string& context);

class Database;

// One connection. Not thread-safe: one per thread.
class Session {
 public:
  Session(Database& db, std::unique_ptr<soci::session> s);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  soci::session& sql() { return *sql_; }
  Dialect dialect() const;
  Database& database() { return db_; }

  // Runs a script of several statements (migrations); uses the driver's own multi-statement
  // execution, as SOCI runs only one statement at a time.
  void exec_script(const std::string& script);

  // Transactions. For SQLite a write transaction is BEGIN IMMEDIATE under the in-process
  // write gate, so threads of one process queue on a mutex instead of SQLite's busy sleep.
  void begin_write();
  // A transaction for reading (read-only queries of plugins): SQLite BEGIN (deferred: no write
  // lock, no write gate; WAL readers never wait for writers), PostgreSQL BEGIN READ ONLY (the
  // server refuses any write in it).
  void begin_read();
  void commit();
  void rollback();
  bool in_transaction() const { return in_tx_; }

  // True when the connection is gone (PostgreSQL restarted, network cut): every statement on
  // it fails at once, and its owner should replace it (Database::reopen_if_broken). libpq
  // notices when a statement fails; SQLite connections never break.
  bool broken() const;

  // From another thread, for a run that hangs past its deadline: ends whatever the session's
  // owner is doing in the database (SQLite: interrupt and roll back, freeing the write lock
  // and gate; PostgreSQL: the server ends the backend, which rolls back), so that the rest of
  // the host goes on. The owner must not use the session again (abandoned() says so).
  void abandon(Session& helper);
  bool abandoned() const { return abandoned_.load(); }

 private:
  friend class Database;
  void release_gate();

  Database& db_;
  std::unique_ptr<soci::session> sql_;
  bool holds_gate_ = false;
  bool in_tx_ = false;
  std::atomic<bool> abandoned_{false};
  int backend_pid_ = 0;  // PostgreSQL
};

// Commits on commit(), rolls back when destroyed without it.
class WriteTransaction {
 public:
  explicit WriteTransaction(Session& s) : s_(s) { s_.begin_write(); }
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void commit() {
    s_.commit();
    done_ = true;
  }

 private:
  Session& s_;
  bool done_ = false;
};

class Database {
 public:
  explicit Database(DatabaseOptions options);
  Dialect dialect() const { return options_.dialect; }
  const DatabaseOptions& options() const { return options_; }
  // "sqlite:/var/lib/jobhost/jobhost.db" or "postgresql:host=... dbname=..." without password.
  std::string describe() const;

  std::unique_ptr<Session> open();
  // For long-lived owners (workers, the scheduler, the heartbeat): opens `session` when it is
  // null or broken, and says whether it did (statements prepared on the old one are gone).
  // Throws a StoreError when the store is still unreachable.
  bool reopen_if_broken(std::unique_ptr<Session>& session);

 private:
  friend class Session;
  DatabaseOptions options_;
  // SQLite only: one writer per process at a time. A semaphore rather than a mutex, because a
  // watchdog may have to release it for a thread that hangs.
  std::binary_semaphore write_gate_{1};
};

}  // namespace jobhost::store
