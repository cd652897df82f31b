#include "support/pg_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "support/process.h"
#include "support/temp_dir.h"

namespace jobhost::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

bool port_accepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  bool connected = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  ::close(fd);
  return connected;
}

long ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

TEST(PgServer, StartsAnswersAndCleansUp) {
  JOBHOST_REQUIRE_POSTGRES();
  auto started = Clock::now();
  std::unique_ptr<PgServer> pg = PgServer::start();
  long start_ms = ms_since(started);

  EXPECT_TRUE(pg->running());
  EXPECT_EQ(pg->query("jobhost", "select 1"), "1");
  EXPECT_EQ(pg->query("jobhost", "select current_database()"), "jobhost");
  EXPECT_EQ(pg->connection_string("x"),
            "host=127.0.0.1 port=" + std::to_string(pg->port()) + " dbname=x user=postgres");
  EXPECT_EQ(pg->connection_string(), pg->connection_string("jobhost"));
  EXPECT_EQ(pg->query("jobhost", "show listen_addresses"), "127.0.0.1");
  EXPECT_EQ(pg->query("jobhost", "show fsync"), "off");
  EXPECT_EQ(pg->query("jobhost", "show synchronous_commit"), "off");
  EXPECT_EQ(pg->query("jobhost", "show full_page_writes"), "off");
  EXPECT_EQ(pg->query("jobhost", "show server_encoding"), "UTF8");
  EXPECT_TRUE(port_accepts(pg->port()));
  if (::geteuid() == 0) {
    struct stat info {};
    ASSERT_EQ(::stat(pg->data_dir().c_str(), &info), 0);
    EXPECT_EQ(info.st_uid, ::getpwnam("postgres")->pw_uid);
  }

  fs::path dir = pg->dir();
  int port = pg->port();
  started = Clock::now();
  pg.reset();
  long stop_ms = ms_since(started);
  EXPECT_FALSE(fs::exists(dir));
  EXPECT_FALSE(port_accepts(port));
  std::cout << "[  timing  ] PgServer start " << start_ms << " ms, destroy " << stop_ms << " ms\n";
  RecordProperty("start_ms", std::to_string(start_ms));
  RecordProperty("stop_ms", std::to_string(stop_ms));
}

TEST(PgServer, DatabasesAreSeparate) {
  JOBHOST_REQUIRE_POSTGRES();
  PgServer& pg = shared_pg_server();
  EXPECT_EQ(pg.create_database("selftest_one"), pg.connection_string("selftest_one"));
  pg.create_database("selftest_two");
  pg.query("selftest_one", "create table t(x int); insert into t values (1)");
  EXPECT_EQ(pg.query("selftest_one", "select count(*) from t"), "1");
  EXPECT_EQ(pg.query("selftest_two", "select to_regclass('t') is null"), "t");
  try {
    pg.create_database("selftest_one");
    ADD_FAILURE() << "creating an existing database should throw";
  } catch (const PgServerError& e) {
    EXPECT_NE(std::string(e.what()).find("already exists"), std::string::npos) << e.what();
  }
  pg.drop_database("selftest_one");
  pg.drop_database("selftest_two");
  EXPECT_EQ(
      pg.query("postgres", "select count(*) from pg_database where datname like 'selftest_%'"),
      "0");
}

TEST(PgServer, QueryErrorsThrowWithPsqlMessage) {
  JOBHOST_REQUIRE_POSTGRES();
  try {
    shared_pg_server().query("jobhost", "select * from no_such_table");
    ADD_FAILURE() << "should throw";
  } catch (const PgServerError& e) {
    EXPECT_NE(std::string(e.what()).find("no_such_table"), std::string::npos) << e.what();
  }
}

TEST(PgServer, SharedServerIsStartedOnce) {
  JOBHOST_REQUIRE_POSTGRES();
  PgServer& first = shared_pg_server();
  EXPECT_EQ(&first, &shared_pg_server());
  EXPECT_EQ(first.query("jobhost", "select 2"), "2");
}

TEST(PgServer, RestartKeepsPortAndData) {
  JOBHOST_REQUIRE_POSTGRES();
  // Not `fast`: with synchronous_commit off the immediate stop below may lose the last insert.
  std::unique_ptr<PgServer> pg = PgServer::start({.durability = PgDurability::server_crash_safe});
  EXPECT_EQ(pg->query("jobhost", "show fsync"), "off");
  EXPECT_EQ(pg->query("jobhost", "show synchronous_commit"), "on");
  int port = pg->port();
  pg->query("jobhost", "create table kept(x int); insert into kept values (42)");

  auto started = Clock::now();
  pg->restart();
  std::cout << "[  timing  ] PgServer restart " << ms_since(started) << " ms\n";
  EXPECT_EQ(pg->port(), port);
  EXPECT_EQ(pg->query("jobhost", "select x from kept"), "42");

  // A crash-like stop: committed data survives through WAL recovery.
  pg->query("jobhost", "insert into kept values (43)");
  pg->restart(PgStopMode::immediate);
  EXPECT_EQ(pg->query("jobhost", "select count(*) from kept"), "2");

  pg->stop();
  EXPECT_FALSE(pg->running());
  EXPECT_FALSE(port_accepts(port));
  EXPECT_THROW(pg->query("jobhost", "select 1"), PgServerError);
  pg->start_again();
  EXPECT_TRUE(pg->running());
  EXPECT_EQ(pg->port(), port);
  EXPECT_EQ(pg->query("jobhost", "select count(*) from kept"), "2");
}

TEST(PgServer, OptionsAreApplied) {
  JOBHOST_REQUIRE_POSTGRES();
  PgServerOptions options;
  options.durability = PgDurability::server_defaults;
  options.max_connections = 7;
  options.settings = {{"work_mem", "5MB"}, {"application_name", "it's quoted"}};
  options.database = "";
  std::unique_ptr<PgServer> pg = PgServer::start(options);
  EXPECT_EQ(pg->query("postgres", "show fsync"), "on");
  EXPECT_EQ(pg->query("postgres", "show synchronous_commit"), "on");
  EXPECT_EQ(pg->query("postgres", "show max_connections"), "7");
  EXPECT_EQ(pg->query("postgres", "show work_mem"), "5MB");
  EXPECT_EQ(pg->query("postgres", "select count(*) from pg_database where datname = 'jobhost'"),
            "0");
}

TEST(PgServer, StartFailureReportsServerLog) {
  JOBHOST_REQUIRE_POSTGRES();
  PgServerOptions options;
  options.settings = {{"shared_buffers", "not a size"}};
  options.start_timeout = 20s;
  try {
    PgServer::start(options);
    ADD_FAILURE() << "a bad setting should make the start fail";
  } catch (const PgServerError& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("pg_ctl start"), std::string::npos) << message;
    EXPECT_NE(message.find("--- tail of"), std::string::npos) << message;
    EXPECT_NE(message.find("shared_buffers"), std::string::npos) << message;
  }
}

TEST(PgServer, MissingPostgresSkipsLocallyButFailsUnderCi) {
  // Runs one PostgreSQL test of this binary with the server binaries "missing".
  ProcessOptions options;
  options.argv = {fs::read_symlink("/proc/self/exe").string(),
                  "--gtest_filter=PgServer.SharedServerIsStartedOnce"};
  options.env = {{"JOBHOST_PG_BINDIR", "/nonexistent"}};
  options.unset_env = {"CI"};
  RunResult local = run_process(options);
  EXPECT_EQ(local.exit_code, 0) << local.out;
  EXPECT_NE(local.out.find("[  SKIPPED ]"), std::string::npos) << local.out;
  EXPECT_NE(local.out.find("JOBHOST_PG_BINDIR"), std::string::npos) << local.out;

  options.env["CI"] = "true";
  RunResult ci = run_process(options);
  EXPECT_EQ(ci.exit_code, 1) << ci.out;
  EXPECT_NE(ci.out.find("PostgreSQL is required under CI"), std::string::npos) << ci.out;
}

TEST(PgServer, LongTmpdirFallsBackToTmp) {
  JOBHOST_REQUIRE_POSTGRES();
  // The server's socket path would pass the 107-byte limit of a Unix socket address.
  TempDir parent;
  fs::path long_dir = parent.path() / std::string(100, 'd');
  fs::create_directory(long_dir);
  const char* old = std::getenv("TMPDIR");
  std::string saved = old != nullptr ? old : "";
  ::setenv("TMPDIR", long_dir.c_str(), 1);
  std::unique_ptr<PgServer> pg;
  EXPECT_NO_THROW(pg = PgServer::start({.database = ""}));
  if (old != nullptr) {
    ::setenv("TMPDIR", saved.c_str(), 1);
  } else {
    ::unsetenv("TMPDIR");
  }
  ASSERT_NE(pg, nullptr);
  EXPECT_EQ(pg->dir().parent_path(), "/tmp");
  EXPECT_EQ(pg->query("postgres", "select 1"), "1");
}

// Not a test by itself (hence disabled): OrphanedServerIsReaped runs this binary with only
// this test, then kills it with SIGKILL, as a ctest timeout would.
TEST(PgServerHelper, DISABLED_StartAndHang) {
  const char* report = std::getenv("JOBHOST_SELFTEST_HANG");
  if (report == nullptr) GTEST_SKIP() << "helper for OrphanedServerIsReaped";
  std::unique_ptr<PgServer> pg = PgServer::start({.database = ""});
  std::ofstream(report) << pg->dir().string() << ' ' << pg->port() << std::endl;
  std::this_thread::sleep_for(10min);
}

TEST(PgServer, OrphanedServerIsReaped) {
  JOBHOST_REQUIRE_POSTGRES();
  TempDir scratch;
  ProcessOptions options;
  options.argv = {fs::read_symlink("/proc/self/exe").string(), "--gtest_also_run_disabled_tests",
                  "--gtest_filter=PgServerHelper.DISABLED_StartAndHang"};
  options.env = {{"JOBHOST_SELFTEST_HANG", scratch.file("report").string()}};
  options.unset_env = {"JOBHOST_KEEP_TEST_DIRS"};
  Process helper = Process::spawn(options);
  std::string report;
  for (auto deadline = Clock::now() + 90s; report.empty() && Clock::now() < deadline;) {
    ASSERT_TRUE(helper.running()) << helper.out() << helper.err();
    std::this_thread::sleep_for(20ms);
    report = read_file(scratch.file("report"));
  }
  ASSERT_FALSE(report.empty()) << "helper did not start its server";
  helper.kill(SIGKILL);
  helper.wait();

  std::istringstream fields(report);
  std::string orphan_dir;
  int orphan_port = 0;
  fields >> orphan_dir >> orphan_port;
  ASSERT_TRUE(port_accepts(orphan_port)) << "the orphan should still be serving";

  if (keep_test_dirs()) GTEST_SKIP() << "JOBHOST_KEEP_TEST_DIRS=1 turns off reaping";
  PgServer::start({.database = ""});  // starting any server reaps orphans first
  EXPECT_FALSE(fs::exists(orphan_dir));
  EXPECT_FALSE(port_accepts(orphan_port));
}

}  // namespace
}  // namespace jobhost::testing
