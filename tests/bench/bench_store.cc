#include "bench_store.h"

#include <cstdio>
#include <thread>

#include <soci/soci.h>

#include "bench.h"

namespace jobhost::bench {

std::unique_ptr<BenchStore> BenchStore::start(std::string_view kind, const std::string& base,
                                              bool statements) {
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
    if (statements) {
      options.settings["shared_preload_libraries"] = "pg_stat_statements";
      options.settings["pg_stat_statements.track_utility"] = "on";
    }
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
  const std::string tcp = pg_->create_database(name);
  if (transport_ == "tcp") return {testing::StoreKind::postgresql, tcp};
  // libpq takes a host starting with '/' as the directory of the server's socket.
  return {testing::StoreKind::postgresql, "host=" + pg_->dir().string() +
                                              " port=" + std::to_string(pg_->port()) +
                                              " dbname=" + name + " user=" + pg_->user()};
}

void BenchStore::set_transport(const std::string& transport) {
  if (transport != "unix" && transport != "tcp")
    throw UsageError("--pg-transport: expected unix or tcp, got '" + transport + "'");
  transport_ = transport;
}

void BenchStore::print_setup(store::Session& session) const {
  print_figure("store", name());
  print_figure("store_fs", filesystem_type(data_dir()));
  if (kind_ == testing::StoreKind::postgresql) {
    print_figure("pg_transport", transport());
    print_figure("pg_round_trip_us", round_trip_us(session), 1);
  }
  print_durability(session);
  print_figure("cpus", static_cast<int64_t>(std::thread::hardware_concurrency()));
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
    throw BenchFailure("PostgreSQL runs with fsync=" + fsync + ", synchronous_commit=" +
                       synchronous_commit + ": not the default durability (on, on)");
}

void BenchStore::print_statements(store::Session& session, int top) {
  auto& sql = session.sql();
  sql << "CREATE EXTENSION IF NOT EXISTS pg_stat_statements";
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT calls, total_exec_time, left(regexp_replace(query, '\\s+', ' ', "
                      "'g'), 90) FROM pg_stat_statements WHERE dbid = (SELECT oid FROM "
                      "pg_database WHERE datname = current_database()) ORDER BY "
                      "total_exec_time DESC LIMIT :n",
       soci::use(top));
  note("server time by statement (pg_stat_statements): calls, total ms, mean us, statement");
  for (const auto& r : rows) {
    const auto calls = r.get<long long>(0);
    const double total_ms = r.get<double>(1);
    char line[256];
    std::snprintf(line, sizeof line, "%9lld %9.1f %7.1f  %s", calls, total_ms,
                  calls ? total_ms * 1000.0 / static_cast<double>(calls) : 0.0,
                  r.get<std::string>(2).c_str());
    note(line);
  }
}

double BenchStore::round_trip_us(store::Session& session, int samples) {
  int one = 0;
  soci::statement st = (session.sql().prepare << "SELECT 1", soci::into(one));
  st.execute(true);  // warm up
  const double start = monotonic_seconds();
  for (int i = 0; i < samples; ++i) st.execute(true);
  return (monotonic_seconds() - start) * 1e6 / samples;
}

}  // namespace jobhost::bench
