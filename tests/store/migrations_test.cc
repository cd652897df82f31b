// Schema migrations on both stores: all-or-nothing per start-up, refusal of a schema newer
// than the host knows, and several hosts starting together on an empty store.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "store/framework_schema.h"
#include "store/migrations.h"
#include "support/host_fixture.h"
#include "support/sql_probe.h"

namespace jobhost {
namespace {

using ::testing::HasSubstr;

class MigrationsTest : public testing::StoreTest {
 protected:
  std::unique_ptr<store::Database> database() { return target().open_database(); }
  static store::MigrationStep step(uint32_t v, const std::string& sql) {
    return {v, "step " + std::to_string(v), sql, sql};
  }
};

TEST_P(MigrationsTest, FailingPluginMigrationStopsStartupAndLeavesTheStoreAsItWas) {
  testing::HostSetup setup;
  setup.store = target();
  setup.plugin_files = {testing::test_plugin("bad_migration")};
  try {
    testing::open_test_host(setup);
    FAIL() << "a failing migration must stop start-up";
  } catch (const store::MigrationError& e) {
    EXPECT_THAT(e.what(), HasSubstr("plugin:badmigration migration 2 (a broken statement) failed"));
    EXPECT_THAT(e.what(), HasSubstr("no_such_table"));
  }
  auto db = database();
  auto session = db->open();
  EXPECT_FALSE(testing::table_exists(*session, "badmig_ok")) << "migration 1 of the same start-up";
  EXPECT_FALSE(testing::table_exists(*session, "badmig_second"));
  EXPECT_EQ(store::applied_version(*session, "plugin:badmigration"), 0u);
  EXPECT_EQ(store::applied_version(*session, store::kFrameworkComponent),
            store::framework_migrations().back().version)
      << "the framework's own schema, migrated before, stays";

  setup.plugin_files = {testing::test_plugin("testkit")};
  EXPECT_NO_THROW(testing::open_test_host(setup)) << "without the broken plugin the host starts";
}

TEST_P(MigrationsTest, PendingStepsApplyInOrderOnce) {
  auto db = database();
  auto s = db->open();
  std::vector<store::MigrationStep> steps = {step(1, "CREATE TABLE m1 (x BIGINT)"),
                                             step(2, "INSERT INTO m1 (x) VALUES (1)")};
  auto first = store::apply_migrations(*s, "demo", steps);
  EXPECT_EQ(first.from_version, 0u);
  EXPECT_EQ(first.to_version, 2u);
  steps.push_back(step(3, "INSERT INTO m1 (x) VALUES (2)"));
  auto second = store::apply_migrations(*s, "demo", steps);
  EXPECT_EQ(second.applied, std::vector<uint32_t>{3});
  auto third = store::apply_migrations(*s, "demo", steps);
  EXPECT_TRUE(third.applied.empty());
  EXPECT_EQ(testing::scalar(*s, "SELECT SUM(x) FROM m1"), 3);
}

TEST_P(MigrationsTest, SchemaNewerThanTheHostKnowsIsRefused) {
  auto db = database();
  auto s = db->open();
  store::apply_migrations(
      *s, "demo", {step(1, "CREATE TABLE n1 (x BIGINT)"), step(2, "CREATE TABLE n2 (x BIGINT)")});
  try {
    store::apply_migrations(*s, "demo", {step(1, "CREATE TABLE n1 (x BIGINT)")});
    FAIL();
  } catch (const store::MigrationError& e) {
    EXPECT_THAT(e.what(), HasSubstr("schema of demo is at version 2, but this jobhost knows only "
                                    "up to version 1"));
  }
}

TEST_P(MigrationsTest, StepsMustBeNumberedWithoutGaps) {
  auto db = database();
  auto s = db->open();
  EXPECT_THROW(store::apply_migrations(*s, "gappy", {step(1, "SELECT 1"), step(3, "SELECT 1")}),
               store::MigrationError);
}

TEST_P(MigrationsTest, HostsStartingTogetherOnAnEmptyStoreMigrateOnce) {
  testing::HostSetup setup;
  setup.store = target();
  setup.plugin_files = {testing::test_plugin("testkit")};
  std::vector<std::thread> threads;
  std::atomic<int> opened{0};
  std::vector<std::string> errors(4);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      try {
        auto host = testing::open_test_host(setup);
        ++opened;
      } catch (const std::exception& e) {
        errors[static_cast<size_t>(i)] = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& e : errors) EXPECT_EQ(e, "");
  EXPECT_EQ(opened.load(), 4);
  auto db = database();
  auto s = db->open();
  EXPECT_EQ(testing::scalar(*s,
                            "SELECT COUNT(*) FROM jh_schema_migrations WHERE component = "
                            "'plugin:testkit'"),
            3);
  EXPECT_EQ(testing::scalar(*s,
                            "SELECT COUNT(*) FROM jh_schema_migrations WHERE component = "
                            "'jobhost'"),
            static_cast<int64_t>(store::framework_migrations().size()));
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(MigrationsTest);

}  // namespace
}  // namespace jobhost
