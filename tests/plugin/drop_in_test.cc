// The drop-in plugin directory: a reload loads the .so files copied in since, retires the
// plugins whose file is gone (unloaded only once nothing runs their code), and a file or
// directory that someone other than its owner could write is refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "config/loader.h"
#include "support/host_fixture.h"
#include "support/temp_dir.h"

namespace jobhost {
namespace {

namespace fs = std::filesystem;
using ::testing::Contains;
using ::testing::HasSubstr;

// An unprivileged uid and gid that own nothing here (Debian's nobody/nogroup).
constexpr uid_t kOtherUid = 65534;
constexpr gid_t kOtherGid = 65534;

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

class DropInTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directory(plugins_);
    fs::permissions(plugins_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                  fs::perms::others_read | fs::perms::others_exec);
    setup_.store = {testing::StoreKind::sqlite, dir_.file("jobhost.db").string()};
    setup_.plugin_dirs = {plugins_.string()};
  }

  fs::path drop(const std::string& plugin_file) {
    const fs::path to = plugins_ / fs::path(plugin_file).filename();
    fs::copy_file(plugin_file, to, fs::copy_options::overwrite_existing);
    return to;
  }
  config::HostConfig config() const {
    return config::load_config_string(testing::host_yaml(setup_), "test.yaml");
  }
  void open() { host_ = Host::open(config()); }
  std::vector<std::string> reload() { return host_->reload_plugins(config()); }
  bool loaded(const std::string& plugin) const {
    return host_->plugins().find_plugin(plugin) != nullptr;
  }

  testing::TempDir dir_{"drop-in"};
  fs::path plugins_ = dir_.file("plugins");
  testing::HostSetup setup_;
  std::unique_ptr<Host> host_;
};

TEST_F(DropInTest, ACopiedFileIsLoadedOnReload) {
  drop(testing::test_plugin("testkit"));
  open();
  ASSERT_TRUE(loaded("testkit"));
  ASSERT_FALSE(loaded("hello"));

  drop(testing::built_plugin("hello"));
  const auto report = reload();
  EXPECT_THAT(joined(report), HasSubstr("plugin hello 1.0.0 loaded from " +
                                        (plugins_ / "hello.so").string() + " (1 job type)"));
  ASSERT_TRUE(loaded("hello"));
  EXPECT_TRUE(loaded("testkit")) << "the plugins already loaded stay as they are";
  // Loaded all the way: its migration ran and its job runs.
  auto outcome = host_->run_now("hello.greet", {{"who", "drop-in"}});
  EXPECT_EQ(outcome.status, jobs::JobStatus::completed) << outcome.error;

  EXPECT_TRUE(reload().empty()) << "a reload with nothing new changes nothing";
}

TEST_F(DropInTest, ARemovedFileIsRetiredAndUnloadedOnceItsLastRunLetsGo) {
  drop(testing::test_plugin("testkit"));
  const fs::path hello = drop(testing::built_plugin("hello"));
  open();
  ASSERT_TRUE(loaded("hello"));
  // What a worker holds for the length of a run.
  auto running = host_->plugins().resolve("hello.greet");
  ASSERT_TRUE(running);

  fs::remove(hello);
  EXPECT_THAT(joined(reload()), HasSubstr("plugin hello retired: " + hello.string() +
                                          " is no longer among the plugin files"));
  EXPECT_FALSE(loaded("hello"));
  EXPECT_EQ(host_->plugins().find_job_type("hello.greet"), nullptr) << "no new runs";
  EXPECT_THROW(host_->enqueue("hello.greet", {}), std::invalid_argument);
  EXPECT_EQ(host_->plugins().retired_count(), 1u);

  EXPECT_TRUE(host_->reap_retired_plugins().empty()) << "a run still holds its code";
  EXPECT_EQ(running.type->name, "hello.greet") << "the running job's type is still readable";

  running = {};
  EXPECT_THAT(host_->reap_retired_plugins(),
              Contains("plugin hello unloaded (its last running job finished)"));
  EXPECT_EQ(host_->plugins().retired_count(), 0u);
  EXPECT_TRUE(loaded("testkit"));

  // Copied back, it loads again (a fresh dlopen: the old code was unmapped).
  drop(testing::built_plugin("hello"));
  EXPECT_THAT(joined(reload()), HasSubstr("plugin hello 1.0.0 loaded"));
  EXPECT_TRUE(loaded("hello"));
}

TEST_F(DropInTest, ARemovedFileCannotComeBackWhileItsOldCodeStillRuns) {
  const fs::path hello = drop(testing::built_plugin("hello"));
  open();
  auto running = host_->plugins().resolve("hello.greet");
  fs::remove(hello);
  reload();
  drop(testing::built_plugin("hello"));
  EXPECT_THAT(joined(reload()),
              HasSubstr("is still finishing its jobs after its file was removed"));
  EXPECT_FALSE(loaded("hello"));
  running = {};
  host_->reap_retired_plugins();
  reload();
  EXPECT_TRUE(loaded("hello"));
}

TEST_F(DropInTest, AFileReplacedInPlaceKeepsItsLoadedCodeAndSaysSo) {
  const fs::path hello = drop(testing::built_plugin("hello"));
  open();
  // A new build copied over the loaded file: a new inode or at least a new mtime.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  fs::remove(hello);
  drop(testing::built_plugin("hello"));
  EXPECT_THAT(joined(reload()),
              HasSubstr("plugin hello: " + hello.string() +
                        " changed since it was loaded; the loaded code keeps running until "
                        "jobhost restarts"));
  EXPECT_TRUE(loaded("hello"));
}

TEST_F(DropInTest, AWorldWritableFileIsRefusedAndLoadsOnceFixed) {
  drop(testing::test_plugin("testkit"));
  const fs::path hello = drop(testing::built_plugin("hello"));
  fs::permissions(hello, fs::perms::others_write, fs::perm_options::add);
  open();
  EXPECT_FALSE(loaded("hello"));
  EXPECT_TRUE(loaded("testkit")) << "the other plugins still load";
  EXPECT_EQ(testing::refusal_for(*host_, "hello.so"),
            "the file is writable by every user (mode 0757): anyone could put code into "
            "jobhost; `chmod o-w " +
                hello.string() + "`");

  fs::permissions(hello, fs::perms::others_write, fs::perm_options::remove);
  EXPECT_THAT(joined(reload()), HasSubstr("plugin hello 1.0.0 loaded"));
  EXPECT_EQ(testing::refusal_for(*host_, "hello.so"), "") << "refusals are those of the last load";
}

TEST_F(DropInTest, AWorldWritableDirectoryRefusesEveryPluginInIt) {
  drop(testing::test_plugin("testkit"));
  fs::permissions(plugins_, fs::perms::others_write, fs::perm_options::add);
  open();
  EXPECT_FALSE(loaded("testkit"));
  EXPECT_THAT(testing::refusal_for(*host_, "plugins"),
              HasSubstr("plugin directory refused, none of its plugins loaded: the directory is "
                        "writable by every user (mode 0757)"));
}

TEST_F(DropInTest, ALoadedPluginWhoseFileBecomesWritableIsRetired) {
  const fs::path hello = drop(testing::built_plugin("hello"));
  open();
  ASSERT_TRUE(loaded("hello"));
  fs::permissions(hello, fs::perms::others_write, fs::perm_options::add);
  const auto report = joined(reload());
  EXPECT_THAT(report, HasSubstr("refused: the file is writable by every user"));
  EXPECT_THAT(report, HasSubstr("plugin hello retired"));
  EXPECT_FALSE(loaded("hello"));
}

TEST_F(DropInTest, AnExplicitPluginFileInAWritableDirectoryIsRefused) {
  const fs::path hello = drop(testing::built_plugin("hello"));
  setup_.plugin_dirs.clear();
  setup_.plugin_files = {hello.string()};
  fs::permissions(plugins_, fs::perms::others_write, fs::perm_options::add);
  open();
  EXPECT_FALSE(loaded("hello"));
  EXPECT_THAT(testing::refusal_for(*host_, "hello.so"),
              HasSubstr("its directory " + plugins_.string() +
                        " is not safe: the directory is writable by every user"));
}

// Group and owner checks need files owned by another user: only root can make them.
TEST_F(DropInTest, AFileWritableByAGroupOtherThanRootIsRefused) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to give the file another group";
  const fs::path hello = drop(testing::built_plugin("hello"));
  fs::permissions(hello, fs::perms::group_write, fs::perm_options::add);
  ASSERT_EQ(::chown(hello.c_str(), static_cast<uid_t>(-1), kOtherGid), 0);
  open();
  EXPECT_FALSE(loaded("hello"));
  EXPECT_THAT(testing::refusal_for(*host_, "hello.so"),
              HasSubstr("the file is writable by its group (gid 65534, mode 0775)"));

  // Group root may write it: its members could do anything anyway.
  ASSERT_EQ(::chown(hello.c_str(), static_cast<uid_t>(-1), 0), 0);
  reload();
  EXPECT_TRUE(loaded("hello"));
}

TEST_F(DropInTest, AFileOwnedByAnotherUserIsRefused) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to give the file another owner";
  const fs::path hello = drop(testing::built_plugin("hello"));
  ASSERT_EQ(::chown(hello.c_str(), kOtherUid, static_cast<gid_t>(-1)), 0);
  open();
  EXPECT_FALSE(loaded("hello"));
  EXPECT_THAT(testing::refusal_for(*host_, "hello.so"),
              HasSubstr("the file is owned by uid 65534, neither root nor the user jobhost runs "
                        "as (uid 0)"));
}

}  // namespace
}  // namespace jobhost
