// The store a benchmark runs against, started with each store's DEFAULT durability: an SQLite
// file on disk (WAL, synchronous=full, the config default) or a throwaway local PostgreSQL
// server with fsync and synchronous_commit on. Stopped and removed when destroyed.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "store/database.h"
#include "support/pg_server.h"
#include "support/store_params.h"
#include "support/temp_dir.h"

namespace jobhost::bench {

class BenchStore {
 public:
  // `kind`: "sqlite" or "postgres" ("postgresql" too); UsageError otherwise. `base`: the
  // directory for the temp dirs (SQLite files, PostgreSQL data), empty for $TMPDIR or /tmp.
  // BenchFailure when PostgreSQL is missing or cannot start.
  // `statements`: PostgreSQL only, preload pg_stat_statements (see print_statements).
  static std::unique_ptr<BenchStore> start(std::string_view kind, const std::string& base = "",
                                           bool statements = false);
  ~BenchStore();

  testing::StoreKind kind() const { return kind_; }
  // "sqlite" or "postgres", as given on the command line.
  std::string name() const;
  // The directory the data lives in (for its file system type).
  std::string data_dir() const;
  // A fresh empty store: a new SQLite file name, or a new PostgreSQL database reached over
  // `transport()`.
  testing::StoreTarget fresh(std::string_view label);
  // PostgreSQL: "unix" (the server's socket, how a local host connects by default) or "tcp"
  // (127.0.0.1); UsageError for anything else.
  void set_transport(const std::string& transport);
  const std::string& transport() const { return transport_; }
  testing::PgServer* pg_server() { return pg_.get(); }

  // Prints what the figures depend on: store, file system, PostgreSQL transport and round
  // trip, the durability (see print_durability) and the CPU count.
  void print_setup(store::Session& session) const;
  // Prints the durability the store really runs with (asked of `session`, not assumed) and
  // throws BenchFailure when it is weaker than the store's default.
  static void print_durability(store::Session& session);
  // The mean time of one statement round trip (`SELECT 1`, prepared) on `session`, in us:
  // the floor under every statement a job costs on PostgreSQL.
  static double round_trip_us(store::Session& session, int samples = 2000);
  // PostgreSQL started with `statements`: prints on stderr the statements of `session`'s
  // database by total server time (calls, total and mean ms), to see where the time goes.
  static void print_statements(store::Session& session, int top = 12);

 private:
  BenchStore() = default;

  testing::StoreKind kind_ = testing::StoreKind::sqlite;
  std::unique_ptr<testing::TempDir> dir_;
  std::unique_ptr<testing::PgServer> pg_;
  int next_ = 0;
  std::string transport_ = "unix";
};

}  // namespace jobhost::bench
