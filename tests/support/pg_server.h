#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "support/temp_dir.h"

namespace jobhost::testing {

enum class PgDurability {
  // fsync, synchronous_commit and full_page_writes off: for tests. A commit may be lost when
  // the server is killed (PgStopMode::immediate) within ~200 ms of it.
  fast,
  // Like fast but with synchronous_commit on: commits survive killing the server (not the
  // machine). For fault tests that crash PostgreSQL; measured as fast as `fast` here.
  server_crash_safe,
  // What a real deployment gets: for benchmarks.
  server_defaults,
};

enum class PgStopMode { smart, fast, immediate };

struct PgServerOptions {
  PgDurability durability = PgDurability::fast;
  int max_connections = 100;
  // More postgresql.conf settings, e.g. {"log_statement", "all"}; they win over the above.
  std::map<std::string, std::string> settings;
  // Created by start(); empty for none.
  std::string database = "jobhost";
  std::chrono::seconds start_timeout{60};
};

// Thrown when a server cannot be set up or driven; the message ends with the server log's tail.
struct PgServerError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A throwaway PostgreSQL server listening on 127.0.0.1 (and a socket in its own directory),
// with trust authentication for user "postgres". As root the server runs as the "postgres"
// OS user through runuser, since PostgreSQL refuses to run as root.
class PgServer {
 public:
  using Options = PgServerOptions;

  // initdb + start on a free port + create options.database. Takes about a second.
  static std::unique_ptr<PgServer> start(Options options = {});
  // Stops the server (immediate mode, since the data is thrown away) and removes its directory.
  ~PgServer();
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  const std::string& host() const { return host_; }
  int port() const { return port_; }
  const std::string& user() const { return user_; }
  bool running() const { return running_; }

  // libpq key=value form: "host=127.0.0.1 port=N dbname=X user=postgres".
  std::string connection_string(std::string_view dbname) const;
  std::string connection_string() const { return connection_string(options_.database); }

  // CREATE DATABASE (fails if it exists); returns its connection string.
  std::string create_database(std::string_view name);
  void drop_database(std::string_view name);  // WITH (FORCE): open sessions are ended
  // Runs SQL through psql in unaligned, tuples-only mode; returns its output without the final
  // newline, e.g. query("jobhost", "select 1") == "1". Throws on any SQL error.
  std::string query(std::string_view dbname, std::string_view sql);

  // For fault tests: stop, then start_again() on the same port with the same data.
  void stop(PgStopMode mode = PgStopMode::fast);
  void start_again();
  void restart(PgStopMode mode = PgStopMode::fast);

  const std::filesystem::path& dir() const { return dir_.path(); }
  std::filesystem::path data_dir() const { return dir_.file("data"); }
  std::filesystem::path log_path() const { return dir_.file("log"); }
  std::string log_tail(std::size_t lines = 30) const;

 private:
  PgServer(Options options, TempDir dir);
  void init_cluster();
  void launch(bool may_change_port);
  [[noreturn]] void fail(const std::string& what, const std::string& detail) const;

  Options options_;
  TempDir dir_;
  std::string host_ = "127.0.0.1";
  std::string user_ = "postgres";
  int port_ = 0;
  bool running_ = false;
};

// Whether the PostgreSQL server binaries (and, as root, the postgres user and runuser) exist.
bool postgres_available();
// Why postgres_available() is false, naming what to install; empty when it is true.
std::string postgres_unavailable_reason();
// True under CI (CI=true), where a missing PostgreSQL is a failure rather than a skip.
bool running_in_ci();

// One server for the whole test binary, started on first use and stopped at exit. Each test
// should create_database() its own database rather than share one. If the start fails, every
// later call throws the same error instead of trying again.
PgServer& shared_pg_server();

}  // namespace jobhost::testing

// First statement of a test that needs PostgreSQL: fails under CI when it is missing, skips
// with the reason on a developer machine.
#define JOBHOST_REQUIRE_POSTGRES()                                         \
  do {                                                                     \
    if (!::jobhost::testing::postgres_available()) {                       \
      if (::jobhost::testing::running_in_ci()) {                           \
        GTEST_FAIL() << "PostgreSQL is required under CI: "                \
                     << ::jobhost::testing::postgres_unavailable_reason(); \
      }                                                                    \
      GTEST_SKIP() << "PostgreSQL not available: "                         \
                   << ::jobhost::testing::postgres_unavailable_reason();   \
    }                                                                      \
  } while (false)
