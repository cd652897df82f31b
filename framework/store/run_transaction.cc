#include "store/run_transaction.h"

#include <soci/soci.h>

namespace jobhost::store {

void RunTransaction::begin() {
  if (read_only_)
    session_.begin_read();
  else
    session_.begin_write();
}

void RunTransaction::begin_run() {
  batch_ = session_.in_transaction();
  used_ = false;
  savepoint_ = false;
}

Session& RunTransaction::use() {
  used_ = true;
  if (!session_.in_transaction()) {
    begin();
  } else if (batch_ && !savepoint_) {
    try {
      session_.sql() << "SAVEPOINT jh_run";
    } catch (...) {
      rethrow_as_store_error("opening the run's savepoint");
    }
    savepoint_ = true;
  }
  return session_;
}

Session& RunTransaction::use_unguarded() {
  if (!session_.in_transaction()) begin();
  return session_;
}

void RunTransaction::keep_run() {
  if (!savepoint_) return;
  savepoint_ = false;
  try {
    session_.sql() << "RELEASE SAVEPOINT jh_run";
  } catch (...) {
    rethrow_as_store_error("releasing the run's savepoint");
  }
}

void RunTransaction::discard_run() {
  if (savepoint_) {
    savepoint_ = false;
    try {
      session_.sql() << "ROLLBACK TO SAVEPOINT jh_run";
      session_.sql() << "RELEASE SAVEPOINT jh_run";
    } catch (...) {
      rethrow_as_store_error("rolling back the run's savepoint");
    }
    return;
  }
  // In a batch without a savepoint the run wrote nothing of its own to discard.
  if (!batch_) session_.rollback();
}

void RunTransaction::commit() {
  savepoint_ = false;
  if (session_.in_transaction()) session_.commit();
}

void RunTransaction::rollback() {
  savepoint_ = false;
  session_.rollback();
}

}  // namespace jobhost::store
