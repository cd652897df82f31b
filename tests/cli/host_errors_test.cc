// A store that cannot be opened is exit code 5 with a message naming the store (and never its
// password), for every command that needs the store.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "cli/cli_harness.h"

namespace jobhost {
namespace {

using testing::Cli;
using testing::describe;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(StoreUnavailableTest, SqliteFileInADirectoryThatDoesNotExist) {
  testing::TempDir dir("jobhost-cli-store");
  const auto missing_dir = dir.file("no-such-dir");
  testing::HostSetup setup;
  setup.store = {testing::StoreKind::sqlite, (missing_dir / "deeper" / "jobhost.db").string()};
  setup.plugin_files = {testing::test_plugin("testkit")};
  Cli cli(setup);

  for (const auto& args : std::vector<std::vector<std::string>>{{"run-now", "testkit.noop"},
                                                                {"enqueue", "testkit.noop"},
                                                                {"work", "--drain"},
                                                                {"jobs", "--json"},
                                                                {"job", "1"},
                                                                {"events"},
                                                                {"plugins"}}) {
    auto r = cli.run(args);
    EXPECT_EQ(r.exit_code, 5) << describe(args, r);
    EXPECT_THAT(r.err,
                HasSubstr("error: cannot open the store sqlite:" + setup.store.location + ": "))
        << describe(args, r);
    EXPECT_THAT(r.err, HasSubstr("(check `store:` in the configuration"));
    EXPECT_EQ(r.out, "") << describe(args, r);
  }
  EXPECT_FALSE(std::filesystem::exists(missing_dir)) << "nothing is created on the way";
}

TEST(StoreUnavailableTest, PostgresqlOnAClosedPort) {
  const int port = testing::closed_port();
  testing::HostSetup setup;
  setup.store = {testing::StoreKind::postgresql,
                 "host=127.0.0.1 port=" + std::to_string(port) +
                     " dbname=jobhost user=postgres password=hunter2 connect_timeout=10"};
  setup.plugin_files = {testing::test_plugin("testkit")};
  Cli cli(setup);

  for (const auto& args :
       std::vector<std::vector<std::string>>{{"run-now", "testkit.noop"}, {"jobs"}}) {
    const auto started = std::chrono::steady_clock::now();
    auto r = cli.run(args);
    EXPECT_EQ(r.exit_code, 5) << describe(args, r);
    EXPECT_THAT(r.err, HasSubstr("error: cannot open the store postgresql:host=127.0.0.1 port=" +
                                 std::to_string(port) + " dbname=jobhost user=postgres "));
    EXPECT_THAT(r.err, HasSubstr("password=***"));
    EXPECT_THAT(r.err, HasSubstr("Connection refused"));
    EXPECT_THAT(r.err, Not(HasSubstr("hunter2"))) << "the password must never be shown";
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(8))
        << "a refused connection fails at once";
  }
}

}  // namespace
}  // namespace jobhost
