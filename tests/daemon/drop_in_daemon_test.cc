// The drop-in plugin directory with a running daemon, as an operator uses it: copy a .so in,
// `jobhost reload`, and the daemon runs its jobs; delete one while its job runs, reload, and the
// job still finishes on the old code before the plugin is unloaded.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "daemon/daemon_harness.h"
#include "support/temp_dir.h"

namespace jobhost {
namespace {

namespace fs = std::filesystem;
using testing::Cli;
using testing::Daemon;
using testing::eventually;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

TEST(DropInDaemon, ReloadLoadsANewPluginAndUnloadsARemovedOneAfterItsRunningJob) {
  testing::TempDir plugins("drop-in-plugins");
  fs::permissions(plugins.path(),
                  fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read |
                      fs::perms::others_exec,
                  fs::perm_options::add);
  const fs::path testkit = plugins.file("testkit.so");
  fs::copy_file(testing::test_plugin("testkit"), testkit);

  auto setup = testing::sqlite_setup("drop-in-daemon");
  setup.plugin_files.clear();
  setup.plugin_dirs = {plugins.path().string()};
  Cli cli(testing::daemon_yaml(setup, "schedules:\n" + std::string(testing::kEveryOff)));
  Daemon daemon(cli);
  ASSERT_TRUE(daemon.wait_ready()) << daemon.log();

  // A job of testkit that is still running when its file goes.
  auto slow =
      cli.json({"enqueue", "testkit.single", "--param", "key=a", "--param", "ms=2500", "--json"});
  const int64_t slow_id = slow.value("id", int64_t{-1});
  ASSERT_GT(slow_id, 0) << slow;
  ASSERT_TRUE(cli.wait_for_status(slow_id, "running")) << daemon.log();

  fs::copy_file(testing::built_plugin("hello"), plugins.file("hello.so"));
  fs::remove(testkit);
  auto reload = cli.run({"reload"});
  ASSERT_EQ(reload.exit_code, 0) << testing::describe({"reload"}, reload);
  ASSERT_TRUE(eventually(
      [&] {
        const auto log = daemon.log();
        return log.find("plugin hello 1.0.0 loaded from") != std::string::npos &&
               log.find("plugin testkit retired") != std::string::npos;
      },
      10s))
      << daemon.log();

  // The running job ends normally on the code it started with; only then is testkit unloaded.
  ASSERT_TRUE(cli.wait_for_status(slow_id, "completed")) << daemon.log();
  ASSERT_TRUE(eventually(
      [&] { return daemon.log().find("plugin testkit unloaded") != std::string::npos; }, 10s))
      << daemon.log();
  const auto log = daemon.log();
  const auto finished = log.find("job " + std::to_string(slow_id) + " testkit.single completed");
  ASSERT_NE(finished, std::string::npos) << log;
  EXPECT_LT(finished, log.find("plugin testkit unloaded")) << log;

  // The new plugin's jobs run in the daemon, without a restart.
  auto greet = cli.json({"enqueue", "hello.greet", "--param", "who=drop-in", "--json"});
  const int64_t greet_id = greet.value("id", int64_t{-1});
  ASSERT_GT(greet_id, 0) << greet;
  ASSERT_TRUE(cli.wait_for_status(greet_id, "completed")) << daemon.log();
  auto job = cli.json({"job", std::to_string(greet_id), "--json"});
  EXPECT_THAT(job.value("host", std::string()), HasSubstr(testing::instance_prefix(daemon.pid())))
      << job;

  auto stopped = daemon.stop(SIGTERM, 20s);
  ASSERT_TRUE(stopped.has_value());
  EXPECT_TRUE(stopped->success()) << daemon.log();
}

}  // namespace
}  // namespace jobhost
