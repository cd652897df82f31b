// The transaction a job run writes in. Opened lazily at the run's first statement (on SQLite
// a write transaction holds the single write lock, so a run that spends its first minutes on
// HTTP calls does not block everyone else). When the runner batches fast runs into one
// transaction (group commit), a run that writes gets a savepoint, opened at its first write,
// so each run stays atomic; a run that writes nothing costs no savepoint round trips.
#pragma once

#include "store/database.h"

namespace jobhost::store {

class RunTransaction {
 public:
  explicit RunTransaction(Session& session) : session_(session) {}
  // A read-only query's (jobs/query.h): opens a read transaction (Session::begin_read) instead
  // of a write transaction; its owner always rolls it back.
  struct ReadOnly {};
  RunTransaction(Session& session, ReadOnly) : session_(session), read_only_(true) {}

  // Before a run: notes whether it joins a batch (a transaction already open).
  void begin_run();
  // The session, with a transaction open (begun now if needed) and, in a batch, the run's
  // savepoint opened (at the first call).
  Session& use();
  // The session with a transaction open but no savepoint: for one statement that is atomic on
  // its own. If it fails inside a batch, the batch's transaction may be lost (PostgreSQL
  // aborts it); the caller must treat that as the batch's failure.
  Session& use_unguarded();
  // Whether use() was called since begin_run(): the run wrote, or may have.
  bool used() const { return used_; }
  // After a successful run: keeps its writes (releases its savepoint, if any). The
  // transaction stays open until commit().
  void keep_run();
  // After a failed run: discards its writes only (to the savepoint, or the whole own
  // transaction when there was no batch).
  void discard_run();
  bool open() const { return session_.in_transaction(); }
  void commit();
  void rollback();

 private:
  void begin();  // the transaction of the run's kind

  Session& session_;
  bool read_only_ = false;  // begin_read instead of begin_write
  bool batch_ = false;      // the run joined a transaction opened before it
  bool used_ = false;       // use() was called
  bool savepoint_ = false;  // the run's savepoint is open
};

}  // namespace jobhost::store
