// PostgreSQL restarted under a running host: a session notices that its connection broke,
// Database::reopen_if_broken replaces it, and the wake-up listener subscribes again by itself.
// Each test starts its own server (the shared one must not be restarted under other tests).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "exec/wake_listener.h"
#include "store/database.h"
#include "store/framework_schema.h"
#include "store/migrations.h"
#include "support/pg_server.h"
#include "support/sql_probe.h"

namespace jobhost {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<store::Database> database_on(const testing::PgServer& server) {
  store::DatabaseOptions o;
  o.dialect = store::Dialect::postgresql;
  o.pg_connection = server.connection_string();
  return std::make_unique<store::Database>(o);
}

bool within(std::chrono::milliseconds timeout, const std::function<bool()>& done) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return done();
}

std::unique_ptr<testing::PgServer> crash_safe_server() {
  testing::PgServer::Options o;
  o.durability = testing::PgDurability::server_crash_safe;
  return testing::PgServer::start(o);
}

TEST(Reconnect, BrokenSessionIsNoticedAndReplacedAfterARestart) {
  JOBHOST_REQUIRE_POSTGRES();
  auto server = crash_safe_server();
  auto db = database_on(*server);
  std::unique_ptr<store::Session> session = db->open();
  session->exec_script("CREATE TABLE t (v BIGINT)");
  EXPECT_FALSE(session->broken());
  EXPECT_FALSE(db->reopen_if_broken(session)) << "a healthy session is kept";

  server->restart();
  // The first statement after the restart fails, and from then on the session says so.
  EXPECT_THROW(session->exec_script("INSERT INTO t VALUES (1)"), store::StoreError);
  EXPECT_TRUE(session->broken());
  ASSERT_TRUE(db->reopen_if_broken(session));
  ASSERT_NE(session, nullptr);
  EXPECT_FALSE(session->broken());
  session->exec_script("INSERT INTO t VALUES (2)");
  EXPECT_EQ(testing::scalar(*session, "SELECT COUNT(*) FROM t"), 1);
}

TEST(Reconnect, ReopeningWhileTheServerIsDownThrowsAndLeavesNoSession) {
  JOBHOST_REQUIRE_POSTGRES();
  auto server = crash_safe_server();
  auto db = database_on(*server);
  std::unique_ptr<store::Session> session = db->open();
  server->stop();
  EXPECT_THROW(session->exec_script("SELECT 1"), store::StoreError);
  EXPECT_THROW(db->reopen_if_broken(session), store::StoreError);
  EXPECT_EQ(session, nullptr);
  server->start_again();
  EXPECT_TRUE(db->reopen_if_broken(session));
  EXPECT_EQ(testing::scalar(*session, "SELECT 1"), 1);
}

// Inserting jobs, by any connection, wakes the listener once its transaction commits; after a
// restart the listener subscribes again and wakes the workers once for what it may have missed.
TEST(WakeListener, InsertedJobsWakeItAndItListensAgainAfterARestart) {
  JOBHOST_REQUIRE_POSTGRES();
  auto server = crash_safe_server();
  auto db = database_on(*server);
  auto session = db->open();
  store::ensure_migration_table(*session);
  store::apply_migrations(*session, store::kFrameworkComponent, store::framework_migrations());

  std::atomic<int> wakes{0};
  WakeListener listener(server->connection_string(), store::kJobsChannel, [&] { ++wakes; });
  ASSERT_TRUE(within(10s, [&] { return listener.listening(); }));
  ASSERT_TRUE(within(2s, [&] { return wakes.load() == 1; })) << "one wake when it subscribes";
  std::this_thread::sleep_for(100ms);
  const int before = wakes.load();

  const std::string insert =
      "INSERT INTO jh_jobs (type, status, created_at, scheduled_at) VALUES ('t', 'pending', 1, 1)";
  session->begin_write();
  session->exec_script(insert);
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(wakes.load(), before) << "nothing before the commit";
  session->commit();
  EXPECT_TRUE(within(2s, [&] { return wakes.load() == before + 1; }));

  // A rolled-back insert wakes nobody; other tables' writes neither.
  session->begin_write();
  session->exec_script(insert);
  session->rollback();
  session->exec_script("UPDATE jh_jobs SET status = 'running'");
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(wakes.load(), before + 1);

  server->restart();
  ASSERT_TRUE(within(10s, [&] { return listener.listening() && wakes.load() >= before + 2; }))
      << "subscribed again, and woke the workers for what it may have missed";
  const int after_restart = wakes.load();
  EXPECT_THROW(session->exec_script("SELECT 1"), store::StoreError);
  ASSERT_TRUE(db->reopen_if_broken(session));
  session->exec_script(insert);
  EXPECT_TRUE(within(2s, [&] { return wakes.load() == after_restart + 1; }));
}

}  // namespace
}  // namespace jobhost
