#include "store/database.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <regex>
#include <thread>

#include <libpq-fe.h>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "store/sql_script.h"

namespace jobhost::store {

const char* dialect_name(Dialect d) {
  return d == Dialect::sqlite ? "sqlite" : "postgresql";
}

void rethrow_as_store_error(const std::string& context) {
  // The driver's text after the context; libpq ends its messages with a newline, which would
  // leave a blank line wherever the error is printed with more after it.
  const auto message = [&](std::string what) {
    while (!what.empty() && (what.back() == '\n' || what.back() == ' ')) what.pop_back();
    return context.empty() ? what : context + ": " + what;
  };
  try {
    throw;
  } catch (const StoreError&) {
    throw;
  } catch (const soci::sqlite3_soci_error& e) {
    const int code = e.result();
    auto kind = StoreError::Kind::other;
    if (code == 19 /* SQLITE_CONSTRAINT */ &&
        std::string(e.what()).find("UNIQUE constraint failed") != std::string::npos)
      kind = StoreError::Kind::unique_violation;
    else if (code == 5 /* SQLITE_BUSY */ || code == 6 /* SQLITE_LOCKED */)
      kind = StoreError::Kind::busy;
    throw StoreError(message(e.what()), kind);
  } catch (const soci::postgresql_soci_error& e) {
    const std::string state = e.sqlstate();
    auto kind = StoreError::Kind::other;
    if (state == "23505")
      kind = StoreError::Kind::unique_violation;
    else if (state.rfind("08", 0) == 0 || state == "57P01")
      kind = StoreError::Kind::connection;
    throw StoreError(message(e.what()), kind);
  } catch (const soci::soci_error& e) {
    std::string what = e.what();
    auto kind = StoreError::Kind::other;
    if (what.find("UNIQUE constraint failed") != std::string::npos ||
        what.find("duplicate key value") != std::string::npos)
      kind = StoreError::Kind::unique_violation;
    else if (what.find("connection") != std::string::npos ||
             what.find("Cannot establish") != std::string::npos)
      kind = StoreError::Kind::connection;
    throw StoreError(message(what), kind);
  } catch (const std::exception& e) {
    throw StoreError(message(e.what()));
  }
}

Database::Database(DatabaseOptions options) : options_(std::move(options)) {}

std::string Database::describe() const {
  if (options_.dialect == Dialect::sqlite) return "sqlite:" + options_.sqlite_path;
  // Never show a password: the connection string may carry one.
  static const std::regex password(R"((password\s*=\s*)('[^']*'|\S+))");
  static const std::regex uri_password(R"((://[^:/@\s]+:)[^@\s]+@)");
  return "postgresql:" +
         std::regex_replace(std::regex_replace(options_.pg_connection, password, "$1***"),
                            uri_password, "$1***@");
}

namespace {

std::string quote_sqlite_path(const std::string& path) {
  // SOCI's connect-string parser takes quoted values; double any quote inside.
  std::string q = "\"";
  for (char c : path) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

}  // namespace

std::unique_ptr<Session> Database::open() {
  try {
    if (options_.dialect == Dialect::sqlite) {
      // No bulk page-cache allocation per cache: SQLite evaluates a constant IN (...) list
      // (in plugins' SQL; the framework's own statements avoid them) with a temporary b-tree
      // per statement, whose ~90 kB bulk block, freed at once, made glibc trim and refault the
      // worker's heap on every such statement. Only possible before SQLite initializes;
      // harmless if it already has.
      static std::once_flag page_cache_configured;
      std::call_once(page_cache_configured,
                     [] { sqlite_api::sqlite3_config(SQLITE_CONFIG_PAGECACHE, nullptr, 0, 0); });
      auto s = std::make_unique<soci::session>(soci::sqlite3,
                                               "db=" + quote_sqlite_path(options_.sqlite_path));
      auto session = std::make_unique<Session>(*this, std::move(s));
      const std::string sync = options_.sqlite_synchronous == "normal" ? "NORMAL" : "FULL";
      // busy_timeout first, so later statements wait for other processes' locks. WAL: readers
      // never block the writer. Switching a new file to WAL can still fail at once with
      // SQLITE_BUSY when several connections race for it (SQLite skips the busy handler to
      // avoid a deadlock), so that step is retried within the busy timeout.
      const std::string setup = "PRAGMA busy_timeout=" + std::to_string(options_.busy_timeout_ms) +
                                "; PRAGMA journal_mode=WAL; PRAGMA synchronous=" + sync +
                                "; PRAGMA foreign_keys=ON;";
      const auto give_up = std::chrono::steady_clock::now() +
                           std::chrono::milliseconds(std::max(options_.busy_timeout_ms, 100));
      for (int attempt = 1;; ++attempt) {
        try {
          session->exec_script(setup);
          break;
        } catch (const StoreError& e) {
          if (e.kind() != StoreError::Kind::busy || std::chrono::steady_clock::now() > give_up)
            throw;
          std::this_thread::sleep_for(std::chrono::milliseconds(std::min(5 * attempt, 100)));
        }
      }
      return session;
    }
    auto s = std::make_unique<soci::session>(soci::postgresql, options_.pg_connection);
    auto session = std::make_unique<Session>(*this, std::move(s));
    session->backend_pid_ = PQbackendPID(
        static_cast<soci::postgresql_session_backend*>(session->sql_->get_backend())->conn_);
    // Times are stored as integers; keep the session's messages in English for matching.
    session->exec_script("SET client_min_messages = warning; SET lc_messages = 'C';");
    return session;
  } catch (...) {
    rethrow_as_store_error("cannot open the store " + describe());
  }
}

bool Database::reopen_if_broken(std::unique_ptr<Session>& session) {
  if (session && !session->broken()) return false;
  session.reset();  // first: its statements must go before its connection does
  session = open();
  return true;
}

Session::Session(Database& db, std::unique_ptr<soci::session> s) : db_(db), sql_(std::move(s)) {}

bool Session::broken() const {
  if (dialect() != Dialect::postgresql) return false;
  auto* conn = static_cast<soci::postgresql_session_backend*>(sql_->get_backend())->conn_;
  return PQstatus(conn) == CONNECTION_BAD;
}

Session::~Session() {
  if (in_tx_) {
    try {
      rollback();
    } catch (...) {
      // The connection is going away; the database discards the transaction anyway.
    }
  }
}

Dialect Session::dialect() const {
  return db_.dialect();
}

void Session::exec_script(const std::string& script) {
  try {
    execute_script(*sql_, dialect(), script);
  } catch (...) {
    rethrow_as_store_error("");
  }
}

void Session::release_gate() {
  if (!holds_gate_) return;
  holds_gate_ = false;
  db_.write_gate_.release();
}

void Session::begin_write() {
  if (abandoned_) throw StoreError("this session was abandoned (its run timed out)");
  if (in_tx_) throw StoreError("internal: transaction already open on this session");
  if (dialect() == Dialect::sqlite) {
    db_.write_gate_.acquire();
    holds_gate_ = true;
  }
  try {
    *sql_ << (dialect() == Dialect::sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
    in_tx_ = true;
  } catch (...) {
    release_gate();
    rethrow_as_store_error("cannot begin a transaction");
  }
}

void Session::begin_read() {
  if (abandoned_) throw StoreError("this session was abandoned (its run timed out)");
  if (in_tx_) throw StoreError("internal: transaction already open on this session");
  try {
    *sql_ << (dialect() == Dialect::sqlite ? "BEGIN" : "BEGIN READ ONLY");
    in_tx_ = true;
  } catch (...) {
    rethrow_as_store_error("cannot begin a read transaction");
  }
}

void Session::abandon(Session& helper) {
  if (abandoned_.exchange(true)) return;
  if (dialect() == Dialect::sqlite) {
    // SQLite connections are serialized: another thread may use this one between the owner's
    // calls (the owner hangs in plugin code, not in SQLite).
    auto* conn = static_cast<soci::sqlite3_session_backend*>(sql_->get_backend())->conn_;
    sqlite_api::sqlite3_interrupt(conn);
    if (in_tx_) sqlite_api::sqlite3_exec(conn, "ROLLBACK", nullptr, nullptr, nullptr);
    in_tx_ = false;
    release_gate();
    return;
  }
  try {
    long long pid = backend_pid_;
    helper.sql() << "SELECT pg_terminate_backend(:p)", soci::use(pid);
  } catch (const std::exception&) {
    // The backend may be gone already; either way its transaction is over.
  }
}

namespace {

// PostgreSQL answers COMMIT of a transaction that an earlier error aborted with the tag
// ROLLBACK and no error: without this check that loss would look like success.
void commit_postgresql(soci::session& sql) {
  auto* conn = static_cast<soci::postgresql_session_backend*>(sql.get_backend())->conn_;
  PGresult* result = PQexec(conn, "COMMIT");
  const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  const std::string tag = ok ? PQcmdStatus(result) : "";
  const std::string error = ok ? "" : PQresultErrorMessage(result);
  PQclear(result);
  if (!ok) throw StoreError(error.empty() ? PQerrorMessage(conn) : error);
  if (tag != "COMMIT")
    throw StoreError("the server rolled the transaction back (answered " + tag +
                     "): an earlier statement of it failed");
}

}  // namespace

void Session::commit() {
  try {
    if (dialect() == Dialect::postgresql)
      commit_postgresql(*sql_);
    else
      *sql_ << "COMMIT";
  } catch (...) {
    // A failed COMMIT leaves no transaction open in either dialect we support, except
    // SQLite's SQLITE_BUSY, where we must roll back ourselves.
    if (dialect() == Dialect::sqlite) {
      try {
        *sql_ << "ROLLBACK";
      } catch (...) {
      }
    }
    in_tx_ = false;
    release_gate();
    rethrow_as_store_error("commit failed");
  }
  in_tx_ = false;
  release_gate();
}

void Session::rollback() {
  if (!in_tx_) return;
  in_tx_ = false;
  try {
    *sql_ << "ROLLBACK";
  } catch (...) {
    release_gate();
    rethrow_as_store_error("rollback failed");
  }
  release_gate();
}

WriteTransaction::~WriteTransaction() {
  if (!done_) {
    try {
      s_.rollback();
    } catch (...) {
      // Destructors must not throw; the connection discards the transaction when it closes.
    }
  }
}

}  // namespace jobhost::store
