#include "support/store_params.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "support/pg_server.h"

namespace jobhost::testing {
namespace {

namespace fs = std::filesystem;

TEST(StoreParams, KindsPrintByName) {
  EXPECT_EQ(::testing::PrintToString(StoreKind::sqlite), "sqlite");
  EXPECT_EQ(::testing::PrintToString(StoreKind::postgresql), "postgresql");
  EXPECT_EQ((StoreTarget{StoreKind::postgresql, ""}.name()), "postgresql");
}

TEST(StoreParams, SqliteTargetsAreFreshFilesInALiveDirectory) {
  std::set<std::string> seen;
  for (int i = 0; i < 3; ++i) {
    StoreTarget target = make_store_target(StoreKind::sqlite, "Suite/Some Test.Name");
    EXPECT_EQ(target.kind, StoreKind::sqlite);
    fs::path file = target.location;
    EXPECT_TRUE(fs::is_directory(file.parent_path()));
    EXPECT_FALSE(fs::exists(file));
    EXPECT_EQ(file.extension(), ".db");
    EXPECT_TRUE(file.filename().string().starts_with("suite_some_test_name_"));
    EXPECT_TRUE(seen.insert(target.location).second) << "reused " << target.location;
  }
}

TEST(StoreParams, PostgresqlTargetsAreFreshDatabases) {
  JOBHOST_REQUIRE_POSTGRES();
  StoreTarget first = make_store_target(StoreKind::postgresql,
                                        "A very long test name, longer "
                                        "than a PostgreSQL identifier may be");
  StoreTarget second = make_store_target(StoreKind::postgresql, "x");
  EXPECT_EQ(first.kind, StoreKind::postgresql);
  EXPECT_NE(first.location, second.location);
  std::string prefix = "host=127.0.0.1 port=" + std::to_string(shared_pg_server().port()) + " ";
  EXPECT_TRUE(first.location.starts_with(prefix)) << first.location;
  std::string dbname = first.location.substr(first.location.find("dbname=") + 7);
  dbname = dbname.substr(0, dbname.find(' '));
  EXPECT_LE(dbname.size(), 63u);
  EXPECT_EQ(shared_pg_server().query(dbname,
                                     "select count(*) from pg_tables where schemaname = "
                                     "'public'"),
            "0");
}

class StoreTestSelftest : public StoreTest {};

TEST_P(StoreTestSelftest, TargetMatchesParameterAndTestName) {
  EXPECT_EQ(target().kind, GetParam());
  // The name is cut to keep PostgreSQL identifiers within 63 bytes.
  EXPECT_NE(target().location.find("allstores_storetestselftest_targetmatches"), std::string::npos)
      << target().location;
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(StoreTestSelftest);

TEST(StoreParams, InstantiatedNamesEndInKind) {
  const ::testing::TestSuite* suite = nullptr;
  auto* unit = ::testing::UnitTest::GetInstance();
  for (int i = 0; i < unit->total_test_suite_count(); ++i) {
    if (std::string(unit->GetTestSuite(i)->name()) == "AllStores/StoreTestSelftest") {
      suite = unit->GetTestSuite(i);
    }
  }
  ASSERT_NE(suite, nullptr);
  std::set<std::string> names;
  for (int i = 0; i < suite->total_test_count(); ++i) names.insert(suite->GetTestInfo(i)->name());
  EXPECT_EQ(names, (std::set<std::string>{"TargetMatchesParameterAndTestName/sqlite",
                                          "TargetMatchesParameterAndTestName/postgresql"}));
}

}  // namespace
}  // namespace jobhost::testing
