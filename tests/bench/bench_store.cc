#include "bench_store.h"

#include <soci/soci.h>

#include "bench.h"

namespace jobhost::bench {

std::unique_ptr<BenchStore> BenchStore::start(std::string_view kind, const std::string& base) {
  std::unique_ptr<BenchStore> s(new BenchStore());
  if (kind == "sqlite") {
    s->kind_ = testing::StoreKind::sqlite;
    s->dir_ = std::make_unique<testing::TempDir>("jobhost-bench", base);
    return s;
  }
  if (kind != "postgres" && kind != "postgresql")
    throw UsageError("--store: expected sqlite or postgres, got '" + std::string(kind) + "'");
  s->kind_ = testing::StoreKind::postgresql;
  if (!testing::postgres_available())
    throw BenchFailure("PostgreSQL is not available: " + testing::postgres_unavailable_reason());
  if (!base.empty()) {
    // PgServer keeps its data in a TempDir under $TMPDIR.
    ::setenv("TMPDIR", base.c_str(), 1);
  }
  try {
    testing::PgServerOptions options;
    options.durability = testing::PgDurability::server_defaults;
    s->pg_ = testing::PgServer::start(options);
  } catch (const std::exception& e) {
    throw BenchFailure(std::string("cannot start PostgreSQL: ") + e.what());
  }
  return s;
}

BenchStore::~BenchStore() = default;

std::string BenchStore::name() const {
  return kind_ == testing::StoreKind::sqlite ? "sqlite" : "postgres";
}

std::string BenchStore::data_dir() const {
  return kind_ == testing::StoreKind::sqlite ? dir_->path().string() : pg_->data_dir().string();
}

testing::StoreTarget BenchStore::fresh(std::string_view label) {
  const std::string name = std::string(label) + "_" + std::to_string(++next_);
  if (kind_ == testing::StoreKind::sqlite)
    return {testing::StoreKind::sqlite, dir_->file(name + ".db").string()};
  return {testing::StoreKind::postgresql, pg_->create_database(name)};
}

void BenchStore::print_durability(store::Session& session) {
  auto& sql = session.sql();
  if (session.dialect() == store::Dialect::sqlite) {
    std::string journal;
    int synchronous = -1;
    sql << "PRAGMA journal_mode", soci::into(journal);
    sql << "PRAGMA synchronous", soci::into(synchronous);
    const char* names[] = {"off", "normal", "full", "extra"};
    const std::string sync =
        synchronous >= 0 && synchronous <= 3 ? names[synchronous] : std::to_string(synchronous);
    print_figure("sqlite_journal_mode", journal);
    print_figure("sqlite_synchronous", sync);
    if (journal != "wal" || synchronous < 2)
      throw BenchFailure("SQLite runs with journal_mode=" + journal + ", synchronous=" + sync +
                         ": not the default durability (wal, full)");
    return;
  }
  std::string fsync, synchronous_commit;
  sql << "SHOW fsync", soci::into(fsync);
  sql << "SHOW synchronous_commit", soci::into(synchronous_commit);
  print_figure("pg_fsync", fsync);
  print_figure("pg_synchronous_commit", synchronous_commit);
  if (fsync != "on" || synchronous_commit != "on")
    throw BenchFailure("PostgreSQL runs with fsync=" + fsync +
                       ", synchronous_commit=" + synchronous_commit +
                       ": not the default durability (on, on)");
}

}  // namespace jobhost::bench
