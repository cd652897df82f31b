// The log as configured (core/logging): per-plugin levels, reconfiguring loggers already made,
// and the journal's format when stderr is the journal stream. The lines are read back from the
// file that fd 2 points at, so what is checked is what the production sink writes.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "config/temp_dir.h"
#include "core/logging.h"
#include "support/process.h"

namespace jobhost {
namespace {

using config::testing::TempDir;

// "<device>:<inode>" of a file, as systemd writes JOURNAL_STREAM.
std::string journal_stream_of(const std::filesystem::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) throw std::runtime_error("cannot stat " + file.string());
  return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

// Points fd 2 at a file while it lives, then puts the previous stderr back.
class StderrToFile {
 public:
  explicit StderrToFile(std::filesystem::path file) : file_(std::move(file)) {
    std::fflush(stderr);
    saved_ = ::dup(STDERR_FILENO);
    const int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (saved_ < 0 || fd < 0) throw std::runtime_error("cannot redirect stderr");
    ::dup2(fd, STDERR_FILENO);
    ::close(fd);
  }
  ~StderrToFile() {
    std::fflush(stderr);
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
  }
  StderrToFile(const StderrToFile&) = delete;
  StderrToFile& operator=(const StderrToFile&) = delete;

  const std::filesystem::path& file() const { return file_; }

  std::vector<std::string> lines() const {
    std::fflush(stderr);
    std::istringstream in(testing::read_file(file_));
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }

 private:
  std::filesystem::path file_;
  int saved_ = -1;
};

// Sets (or unsets, with nullopt) an environment variable while it lives.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::optional<std::string>& value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) old_ = old;
    if (value) {
      ::setenv(name_.c_str(), value->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_.c_str(), old_->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

bool has_line_ending_with(const std::vector<std::string>& lines, const std::string& end) {
  for (const auto& line : lines) {
    if (line.size() >= end.size() && line.compare(line.size() - end.size(), end.size(), end) == 0)
      return true;
  }
  return false;
}

// Loggers live for the whole process (spdlog's registry): each test names its own plugins and
// leaves the defaults behind.
class Logging : public ::testing::Test {
 protected:
  void TearDown() override { ASSERT_TRUE(configure_logging(LogOptions{.target = "stderr"})); }

  TempDir dir_;
};

TEST_F(Logging, APluginsOwnLevelLetsItsDebugLinesThroughWhileTheHostStaysAtInfo) {
  StderrToFile capture(dir_.path() / "stderr");
  ASSERT_TRUE(configure_logging({.level = "info",
                                 .format = "text",
                                 .target = "stderr",
                                 .plugin_levels = {{"chatty-plugin", "debug"}}}));
  plugin_log("chatty-plugin")->debug("plugin detail");
  host_log()->debug("host detail");
  plugin_log("quiet-plugin")->debug("other plugin detail");
  host_log()->info("host news");
  const auto lines = capture.lines();
  EXPECT_TRUE(has_line_ending_with(lines, "debug [plugin:chatty-plugin] plugin detail"))
      << joined(lines);
  EXPECT_TRUE(has_line_ending_with(lines, "info  [jobhost] host news")) << joined(lines);
  EXPECT_EQ(lines.size(), 2u) << joined(lines);
}

TEST_F(Logging, AQuieterPluginLevelHoldsBackItsLinesOnly) {
  StderrToFile capture(dir_.path() / "stderr");
  ASSERT_TRUE(configure_logging(
      {.level = "debug", .target = "stderr", .plugin_levels = {{"hushed-plugin", "error"}}}));
  plugin_log("hushed-plugin")->warn("held back");
  plugin_log("hushed-plugin")->error("let through");
  host_log()->debug("host detail");
  const auto lines = capture.lines();
  EXPECT_TRUE(has_line_ending_with(lines, "error [plugin:hushed-plugin] let through"))
      << joined(lines);
  EXPECT_TRUE(has_line_ending_with(lines, "debug [jobhost] host detail")) << joined(lines);
  EXPECT_EQ(lines.size(), 2u) << joined(lines);
}

TEST_F(Logging, ReconfiguringChangesThePluginLoggersAlreadyMade) {
  ASSERT_TRUE(configure_logging({.level = "info", .target = "stderr"}));
  const auto logger = plugin_log("reloaded-plugin");  // made before its level is set, as a
                                                      // loaded plugin's is before a reload
  EXPECT_FALSE(logger->should_log(spdlog::level::debug));

  ASSERT_TRUE(configure_logging(
      {.level = "info", .target = "stderr", .plugin_levels = {{"reloaded-plugin", "debug"}}}));
  EXPECT_TRUE(logger->should_log(spdlog::level::debug));
  EXPECT_FALSE(host_log()->should_log(spdlog::level::debug));
  {
    StderrToFile capture(dir_.path() / "stderr");
    logger->debug("after the reload");
    EXPECT_TRUE(
        has_line_ending_with(capture.lines(), "debug [plugin:reloaded-plugin] after the reload"))
        << joined(capture.lines());
  }

  // The level removed again: the plugin follows the host's level, whatever it now is.
  ASSERT_TRUE(configure_logging({.level = "warn", .target = "stderr"}));
  EXPECT_FALSE(logger->should_log(spdlog::level::info));
  EXPECT_TRUE(logger->should_log(spdlog::level::warn));
  EXPECT_EQ(plugin_log("reloaded-plugin"), logger);  // the same logger, not a new one
}

TEST_F(Logging, ALevelForAPluginWithoutALoggerIsHarmlessAndCanBeAskedAbout) {
  ASSERT_TRUE(
      configure_logging({.target = "stderr", .plugin_levels = {{"never-loaded", "trace"}}}));
  EXPECT_FALSE(has_plugin_log("never-loaded"));
  EXPECT_FALSE(host_log()->should_log(spdlog::level::debug));
  plugin_log("loaded-later");
  EXPECT_TRUE(has_plugin_log("loaded-later"));
  // A plugin loaded after its level was set starts at that level.
  ASSERT_TRUE(configure_logging({.target = "stderr", .plugin_levels = {{"late-plugin", "trace"}}}));
  EXPECT_TRUE(plugin_log("late-plugin")->should_log(spdlog::level::trace));
}

TEST_F(Logging, UnknownWordsAreRefusedAndChangeNothing) {
  ASSERT_TRUE(configure_logging(
      {.level = "info", .target = "stderr", .plugin_levels = {{"steady-plugin", "debug"}}}));
  const auto logger = plugin_log("steady-plugin");
  EXPECT_FALSE(configure_logging({.level = "loud"}));
  EXPECT_FALSE(configure_logging({.plugin_levels = {{"steady-plugin", "loud"}}}));
  EXPECT_FALSE(configure_logging({.format = "xml"}));
  EXPECT_FALSE(configure_logging({.target = "syslog"}));
  EXPECT_TRUE(logger->should_log(spdlog::level::debug));
  EXPECT_FALSE(host_log()->should_log(spdlog::level::debug));
}

const std::regex kTimestampedWarning(
    R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} warning \[jobhost\] disk almost full)");

TEST_F(Logging, OnTheJournalStreamLinesCarryTheirPriorityAndNoTime) {
  StderrToFile capture(dir_.path() / "stderr");
  ScopedEnv journal("JOURNAL_STREAM", journal_stream_of(capture.file()));
  EXPECT_TRUE(stderr_is_journal());
  ASSERT_TRUE(configure_logging(
      {.level = "info", .plugin_levels = {{"journal-plugin", "debug"}}}));  // target auto
  host_log()->warn("disk almost full");
  host_log()->error("sync failed:\nfirst cause\nsecond cause");
  host_log()->info("started");
  host_log()->critical("store lost");
  plugin_log("journal-plugin")->debug("request sent");
  EXPECT_EQ(joined(capture.lines()),
            "<4>warning [jobhost] disk almost full\n"
            "<3>error [jobhost] sync failed:\n"
            "<3>first cause\n"
            "<3>second cause\n"
            "<6>info  [jobhost] started\n"
            "<2>critical [jobhost] store lost\n"
            "<7>debug [plugin:journal-plugin] request sent\n");
}

TEST_F(Logging, AJournalStreamThatIsNotStderrGivesTheNormalFormat) {
  StderrToFile capture(dir_.path() / "stderr");
  const std::filesystem::path other = dir_.path() / "other";
  { StderrToFile touch(other); }
  const std::string own = journal_stream_of(capture.file());
  const auto colon = own.find(':');
  const std::string next_inode =
      own.substr(0, colon + 1) + std::to_string(std::stoull(own.substr(colon + 1)) + 1);
  for (const std::string& stream :
       {journal_stream_of(other), next_inode, own + "x", std::string("x") + own,
        std::string("garbage"), std::string(":"), std::string("")}) {
    SCOPED_TRACE(stream);
    ScopedEnv journal("JOURNAL_STREAM", stream);
    EXPECT_FALSE(stderr_is_journal());
  }
  ScopedEnv journal("JOURNAL_STREAM", journal_stream_of(other));
  ASSERT_TRUE(configure_logging({}));
  host_log()->warn("disk almost full");
  const auto lines = capture.lines();
  ASSERT_EQ(lines.size(), 1u) << joined(lines);
  EXPECT_TRUE(std::regex_match(lines[0], kTimestampedWarning)) << lines[0];
}

TEST_F(Logging, TheTargetOverridesWhatIsDetected) {
  StderrToFile capture(dir_.path() / "stderr");
  {
    ScopedEnv journal("JOURNAL_STREAM", journal_stream_of(capture.file()));
    ASSERT_TRUE(configure_logging({.target = "stderr"}));
    host_log()->warn("disk almost full");
  }
  {
    ScopedEnv journal("JOURNAL_STREAM", std::nullopt);
    ASSERT_TRUE(configure_logging({.target = "journald"}));
    host_log()->warn("disk almost full");
  }
  const auto lines = capture.lines();
  ASSERT_EQ(lines.size(), 2u) << joined(lines);
  EXPECT_TRUE(std::regex_match(lines[0], kTimestampedWarning)) << lines[0];
  EXPECT_EQ(lines[1], "<4>warning [jobhost] disk almost full");
}

TEST_F(Logging, JsonOnTheJournalIsTheSameObjectAfterThePriority) {
  StderrToFile capture(dir_.path() / "stderr");
  ScopedEnv journal("JOURNAL_STREAM", journal_stream_of(capture.file()));
  ASSERT_TRUE(configure_logging({.format = "json"}));
  host_log()->warn("two\nlines \"quoted\"");
  const auto lines = capture.lines();
  ASSERT_EQ(lines.size(), 1u) << joined(lines);
  ASSERT_EQ(lines[0].substr(0, 3), "<4>");
  const auto object = nlohmann::json::parse(lines[0].substr(3));
  EXPECT_EQ(object["level"], "warning");
  EXPECT_EQ(object["logger"], "jobhost");
  EXPECT_EQ(object["message"], "two\nlines \"quoted\"");
  EXPECT_TRUE(object.contains("time"));
}

TEST_F(Logging, JsonOffTheJournalHasNoPrefix) {
  StderrToFile capture(dir_.path() / "stderr");
  ScopedEnv journal("JOURNAL_STREAM", std::nullopt);
  ASSERT_TRUE(configure_logging({.format = "json", .plugin_levels = {{"json-plugin", "debug"}}}));
  plugin_log("json-plugin")->debug("detail");
  const auto lines = capture.lines();
  ASSERT_EQ(lines.size(), 1u) << joined(lines);
  const auto object = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(object["level"], "debug");
  EXPECT_EQ(object["logger"], "plugin:json-plugin");
}

}  // namespace
}  // namespace jobhost
