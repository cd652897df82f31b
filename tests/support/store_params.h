#pragma once

#include <gtest/gtest.h>

#include "store/database.h"

#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace jobhost::testing {

// The two databases the host can keep its state in; store tests run against both.
enum class StoreKind { sqlite, postgresql };

std::string_view to_string(StoreKind kind);  // "sqlite" or "postgresql"
// gtest prints parameters with this, so failure messages say "postgresql" rather than bytes.
void PrintTo(StoreKind kind, std::ostream* out);

// Where one test's store lives: a fresh, empty place that no other test uses.
struct StoreTarget {
  StoreKind kind = StoreKind::sqlite;
  // sqlite: path of a database file that does not exist yet (its directory does).
  // postgresql: libpq key=value connection string of a freshly created, empty database.
  std::string location;

  std::string name() const { return std::string(to_string(kind)); }
  // A Database on this store, with the host's default options otherwise.
  std::unique_ptr<store::Database> open_database() const;
};

// For sqlite, a new file name in a directory that lives as long as the test binary; for
// postgresql, a new database on shared_pg_server() (which throws PgServerError when PostgreSQL
// is unavailable). test_name only makes the file or database recognisable.
StoreTarget make_store_target(StoreKind kind, std::string_view test_name);

inline auto all_store_kinds() {
  return ::testing::Values(StoreKind::sqlite, StoreKind::postgresql);
}

// Names instantiated tests ".../sqlite" and ".../postgresql" instead of ".../0" and ".../1".
struct StoreKindParamName {
  std::string operator()(const ::testing::TestParamInfo<StoreKind>& info) const {
    return std::string(to_string(info.param));
  }
};

// A fixture for tests parameterised by StoreKind: SetUp() makes target() for the running test
// and, for postgresql, applies JOBHOST_REQUIRE_POSTGRES(). A subclass overriding SetUp() calls
// StoreTest::SetUp() first and returns if IsSkipped() or HasFatalFailure().
class StoreTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override;
  const StoreTarget& target() const { return target_; }

 private:
  StoreTarget target_;
};

}  // namespace jobhost::testing

// INSTANTIATE_TEST_SUITE_P for both stores with readable names.
#define JOBHOST_INSTANTIATE_FOR_ALL_STORES(suite)                                   \
  INSTANTIATE_TEST_SUITE_P(AllStores, suite, ::jobhost::testing::all_store_kinds(), \
                           ::jobhost::testing::StoreKindParamName())
