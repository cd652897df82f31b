#include "support/store_params.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <mutex>

#include "support/pg_server.h"
#include "support/temp_dir.h"

namespace jobhost::testing {

std::unique_ptr<store::Database> StoreTarget::open_database() const {
  store::DatabaseOptions o;
  if (kind == StoreKind::postgresql) {
    o.dialect = store::Dialect::postgresql;
    o.pg_connection = location;
  } else {
    o.dialect = store::Dialect::sqlite;
    o.sqlite_path = location;
  }
  return std::make_unique<store::Database>(o);
}

namespace {

// Lower-case letters, digits and '_' only, short enough that a PostgreSQL identifier (63 bytes)
// still has room for the counter.
std::string sanitize(std::string_view test_name) {
  std::string result;
  for (char c : test_name) {
    if (result.size() == 48) break;
    bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (c >= 'A' && c <= 'Z') {
      result += static_cast<char>(c - 'A' + 'a');
    } else {
      result += keep ? c : '_';
    }
  }
  return result.empty() ? "test" : result;
}

// Unique within the process, also across --gtest_repeat and parameterised runs.
std::string unique_name(std::string_view test_name) {
  static std::atomic<int> counter{0};
  return sanitize(test_name) + "_" + std::to_string(++counter);
}

TempDir* sqlite_dir = nullptr;
pid_t sqlite_dir_owner = 0;

void remove_sqlite_dir() {
  // Only the process that made it: a forked child exiting (gtest death tests) must not.
  if (::getpid() == sqlite_dir_owner) delete sqlite_dir;
}

const TempDir& sqlite_files() {
  static std::once_flag once;
  std::call_once(once, [] {
    sqlite_dir = new TempDir("jobhost-sqlite");
    sqlite_dir_owner = ::getpid();
    std::atexit(remove_sqlite_dir);
  });
  return *sqlite_dir;
}

}  // namespace

std::string_view to_string(StoreKind kind) {
  return kind == StoreKind::sqlite ? "sqlite" : "postgresql";
}

void PrintTo(StoreKind kind, std::ostream* out) {
  *out << to_string(kind);
}

StoreTarget make_store_target(StoreKind kind, std::string_view test_name) {
  StoreTarget target;
  target.kind = kind;
  std::string name = unique_name(test_name);
  if (kind == StoreKind::sqlite) {
    target.location = sqlite_files().file(name + ".db").string();
  } else {
    target.location = shared_pg_server().create_database(name);
  }
  return target;
}

void StoreTest::SetUp() {
  if (GetParam() == StoreKind::postgresql) JOBHOST_REQUIRE_POSTGRES();
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  target_ =
      make_store_target(GetParam(), std::string(info->test_suite_name()) + "." + info->name());
}

}  // namespace jobhost::testing
