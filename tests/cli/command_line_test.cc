// The command line itself: the version, usage errors, and JSON log lines on stderr for log
// collectors. The help of every command: help_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/cli_harness.h"

namespace jobhost {
namespace {

using testing::Cli;
using testing::describe;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(CommandLineTest, VersionIsPrinted) {
  auto r = testing::run_jobhost({"--version"});
  EXPECT_EQ(r.exit_code, 0) << describe({"--version"}, r);
  EXPECT_EQ(r.out, std::string("jobhost ") + JOBHOST_VERSION + "\n");
}

TEST(CommandLineTest, UsageErrorsExitTwo) {
  for (const auto& args : std::vector<std::vector<std::string>>{{},
                                                                {"frobnicate"},
                                                                {"run-now"},
                                                                {"run-now", "x", "--bogus"},
                                                                {"work", "--workers", "0"},
                                                                {"config"},
                                                                {"--log-format", "yaml", "jobs"},
                                                                {"--log-level", "loud", "jobs"}}) {
    auto r = testing::run_jobhost(args);
    EXPECT_EQ(r.exit_code, 2) << describe(args, r);
    EXPECT_NE(r.err, "") << describe(args, r);
  }
}

class JsonLogTest : public ::testing::Test {
 protected:
  JsonLogTest() : cli_(testing::sqlite_setup("json_log")) {}

  // Every stderr line is a JSON object with the log's fields; returns them.
  std::vector<nlohmann::json> json_lines(const std::vector<std::string>& args,
                                         const testing::RunResult& r) {
    std::vector<nlohmann::json> out;
    for (const auto& line : testing::lines_of(r.err)) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      EXPECT_TRUE(!j.is_discarded() && j.is_object()) << "not a JSON object: " << line << "\n"
                                                      << describe(args, r);
      if (j.is_discarded() || !j.is_object()) continue;
      for (const char* field : {"time", "level", "logger", "message"})
        EXPECT_TRUE(j.contains(field) && j[field].is_string()) << field << " in " << line;
      out.push_back(j);
    }
    return out;
  }

  static bool has_line(const std::vector<nlohmann::json>& lines, const std::string& level,
                       const std::string& message) {
    for (const auto& l : lines)
      if (l.value("level", "") == level && l.value("message", "") == message) return true;
    return false;
  }

  Cli cli_;
};

TEST_F(JsonLogTest, WorkerLogLinesAreJsonObjects) {
  ASSERT_EQ(cli_.run({"enqueue", "testkit.noop"}).exit_code, 0);
  auto thrower = cli_.json({"enqueue", "testkit.throw", "--json"});
  const std::vector<std::string> args = {"--log-format", "json", "--log-level",
                                         "debug",        "work", "--drain"};
  auto r = cli_.run(args);
  EXPECT_EQ(r.exit_code, 1) << describe(args, r);
  auto lines = json_lines(args, r);
  EXPECT_GE(lines.size(), 4u) << r.err;
  EXPECT_TRUE(has_line(
      lines, "warning",
      "job " + std::to_string(thrower.value("id", 0)) + " testkit.throw errored: plain failure"))
      << r.err;
  for (const auto& l : lines) EXPECT_THAT(l["time"].get<std::string>(), StartsWith("20"));
}

TEST_F(JsonLogTest, ErrorsOfACommandAreJsonLinesToo) {
  // The message carries double quotes, which must be escaped.
  const std::vector<std::string> args = {"--log-format", "json",
                                         "run-now",      "testkit.http",
                                         "--param",      "url=http://127.0.0.1:1/\"quoted\""};
  auto r = cli_.run(args);
  EXPECT_EQ(r.exit_code, 1) << describe(args, r);
  auto lines = json_lines(args, r);
  bool found = false;
  for (const auto& l : lines)
    if (l.value("level", "") == "error" &&
        l.value("message", "").find("GET http://127.0.0.1:1/\"quoted\": ") == 0)
      found = true;
  EXPECT_TRUE(found) << r.err;

  const std::vector<std::string> unknown = {"--log-format", "json", "run-now", "testkit.nope"};
  auto u = cli_.run(unknown);
  EXPECT_EQ(u.exit_code, 2) << describe(unknown, u);
  auto unknown_lines = json_lines(unknown, u);
  ASSERT_EQ(unknown_lines.size(), 1u) << u.err;
  EXPECT_THAT(unknown_lines[0]["message"].get<std::string>(),
              StartsWith("no loaded plugin provides job type 'testkit.nope'"));
}

}  // namespace
}  // namespace jobhost
