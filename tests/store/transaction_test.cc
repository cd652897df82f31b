// Transactions that end differently from how they were asked to end must say so.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/database.h"
#include "support/host_fixture.h"
#include "support/sql_probe.h"

namespace jobhost {
namespace {

using ::testing::HasSubstr;

class TransactionTest : public testing::StoreTest {
 protected:
  std::unique_ptr<store::Database> database() { return target().open_database(); }
};

// PostgreSQL answers COMMIT of a transaction aborted by an earlier error with "ROLLBACK" and
// no error; SQLite keeps the transaction and commits what did succeed. Either way the caller
// must not be told that everything it wrote is stored.
TEST_P(TransactionTest, CommitAfterAFailedStatementNeverReportsEverythingStored) {
  auto db = database();
  auto session = db->open();
  session->exec_script("CREATE TABLE t (v BIGINT NOT NULL UNIQUE)");
  session->begin_write();
  session->exec_script("INSERT INTO t (v) VALUES (1)");
  EXPECT_THROW(session->exec_script("INSERT INTO t (v) VALUES (1)"), store::StoreError);
  if (target().kind == testing::StoreKind::postgresql) {
    try {
      session->commit();
      ADD_FAILURE() << "commit of an aborted transaction reported success";
    } catch (const store::StoreError& e) {
      EXPECT_THAT(e.what(), HasSubstr("rolled the transaction back"));
    }
    EXPECT_EQ(testing::scalar(*session, "SELECT COUNT(*) FROM t"), 0);
  } else {
    session->commit();
    EXPECT_EQ(testing::scalar(*session, "SELECT COUNT(*) FROM t"), 1);
  }
  EXPECT_FALSE(session->in_transaction());
  // The session is usable afterwards.
  session->begin_write();
  session->exec_script("INSERT INTO t (v) VALUES (2)");
  session->commit();
  EXPECT_EQ(testing::scalar(*session, "SELECT COUNT(*) FROM t WHERE v = 2"), 1);
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(TransactionTest);

}  // namespace
}  // namespace jobhost
