// The transaction a job run writes in. Opened lazily at the run's first statement (on SQLite
// a write transaction holds the single write lock, so a run that spends its first minutes on
// HTTP calls does not block everyone else). When the runner batches fast runs into one
// transaction (group commit), each run gets a savepoint instead, so each stays atomic.
#pragma once

#include "store/database.h"

namespace jobhost::store {

class RunTransaction {
 public:
  explicit RunTransaction(Session& session) : session_(session) {}

  // Before a run: a savepoint when a batch transaction is already open.
  void begin_run();
  // The session, with a transaction open (begun now if needed).
  Session& use();
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
  Session& session_;
  bool savepoint_ = false;
};

}  // namespace jobhost::store
