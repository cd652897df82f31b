// The log through the real `jobhost` binary: `auto` finds the journal stream that systemd would
// have set up (JOURNAL_STREAM naming the child's stderr), and a level for a plugin that is not
// loaded is warned about with its place in the file.

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/host_fixture.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace jobhost::testing {
namespace {

std::string journal_stream_of(const std::filesystem::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) throw std::runtime_error("cannot stat " + file.string());
  return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

class LoggingCli : public ::testing::Test {
 protected:
  LoggingCli() {
    config_ = dir_.file("jobhost.yaml").string();
    std::ofstream(config_) << "store: {path: jobhost.db}\n"
                              "plugin_files: ["
                           << test_plugin("testkit")
                           << "]\n"
                              "log:\n"
                              "  plugins:\n"
                              "    testkit: debug\n"
                              "    ghost-plugin: debug\n";
    std::ofstream touch(stderr_path_);  // exists before the run, so its inode is known
  }

  // `jobhost --config FILE plugins`, stderr to stderr_path_.
  RunResult run(bool journal, const std::vector<std::string>& extra = {}) {
    ProcessOptions o;
    o.argv = {std::string(JOBHOST_BINARY_DIR) + "/bin/jobhost", "--config", config_};
    o.argv.insert(o.argv.end(), extra.begin(), extra.end());
    o.argv.push_back("plugins");
    o.cwd = dir_.path();
    o.stderr_path = stderr_path_;
    o.unset_env = {"JOBHOST_CONFIG", "JOURNAL_STREAM"};
    if (journal) o.env["JOURNAL_STREAM"] = journal_stream_of(stderr_path_);
    return run_process(o);
  }

  TempDir dir_{"jobhost-logging"};
  std::string config_;
  std::filesystem::path stderr_path_ = dir_.file("stderr");
};

TEST_F(LoggingCli, OnTheJournalAWarningCarriesItsPriorityAndNoTime) {
  const RunResult result = run(/*journal=*/true);
  ASSERT_TRUE(result.success()) << result.describe();
  const std::string warning = "<4>warning [jobhost] " + config_ +
                              ":6:5: log.plugins.ghost-plugin: no plugin named 'ghost-plugin' is "
                              "loaded; its level has no effect\n";
  EXPECT_NE(result.err.find(warning), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("log.plugins.testkit"), std::string::npos) << result.err;
  // Every line starts with a priority (the plugin's load is reported at info).
  EXPECT_TRUE(std::regex_search(
      result.err, std::regex(R"(^<6>info  \[jobhost\] plugin testkit)", std::regex::multiline)))
      << result.err;
  EXPECT_FALSE(std::regex_search(result.err, std::regex("^[^<]", std::regex::multiline)))
      << result.err;
}

TEST_F(LoggingCli, OffTheJournalTheSameWarningHasItsTime) {
  const RunResult result = run(/*journal=*/false);
  ASSERT_TRUE(result.success()) << result.describe();
  EXPECT_TRUE(std::regex_search(
      result.err, std::regex(R"(\n?\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} warning \[jobhost\] .*)"
                             R"(:6:5: log\.plugins\.ghost-plugin: no plugin named)")))
      << result.err;
  EXPECT_EQ(result.err.find("<4>"), std::string::npos) << result.err;
}

TEST_F(LoggingCli, TheCommandLineLevelReplacesThePluginLevelsToo) {
  // One level for everything: no plugin level is left to warn about.
  const RunResult result = run(/*journal=*/false, {"--log-level", "warn"});
  ASSERT_TRUE(result.success()) << result.describe();
  EXPECT_EQ(result.err, "");
}

}  // namespace
}  // namespace jobhost::testing
