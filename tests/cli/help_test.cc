// Help that teaches: `jobhost --help` and the help of every subcommand, found by walking the
// "Subcommands:" sections of the help output itself (so a new subcommand is checked without
// being added here), has a one-line purpose and an example.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli_harness.h"

namespace jobhost {
namespace {

using testing::describe;
using ::testing::HasSubstr;

std::vector<std::string> all_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// The names listed under "Subcommands:" in a help text (CLI11: "  name   description").
std::vector<std::string> subcommands_in(const std::string& help) {
  std::vector<std::string> names;
  bool in_section = false;
  for (const auto& line : all_lines(help)) {
    if (line == "Subcommands:") {
      in_section = true;
      continue;
    }
    if (!in_section) continue;
    if (line.empty() || line[0] != ' ') break;
    const auto start = line.find_first_not_of(' ');
    const auto end = line.find(' ', start);
    names.push_back(line.substr(start, end - start));
  }
  return names;
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

// Every command path, e.g. {"config", "check"}, with its help text.
void walk(const std::vector<std::string>& path, std::vector<std::vector<std::string>>& found) {
  std::vector<std::string> args = path;
  args.push_back("--help");
  const auto r = testing::run_jobhost(args);
  ASSERT_EQ(r.exit_code, 0) << describe(args, r);
  const auto lines = all_lines(r.out);
  ASSERT_FALSE(lines.empty()) << describe(args, r);
  // CLI11 prints the description first, then "Usage:": the purpose is that first line.
  const std::string& purpose = lines[0];
  EXPECT_FALSE(purpose.empty()) << "no purpose line: " << describe(args, r);
  EXPECT_FALSE(purpose.starts_with("Usage:")) << "no purpose line: " << describe(args, r);
  EXPECT_GE(purpose.size(), 15u) << "purpose too short: " << describe(args, r);
  EXPECT_THAT(r.out, ::testing::ContainsRegex("\nExamples?:\n  ")) << describe(args, r);
  if (!path.empty()) {
    // The examples use the command they document.
    EXPECT_THAT(r.out, HasSubstr(" " + joined(path))) << describe(args, r);
  }
  for (const auto& name : subcommands_in(r.out)) {
    auto child = path;
    child.push_back(name);
    found.push_back(child);
    walk(child, found);
  }
}

TEST(HelpTest, EverySubcommandHasAPurposeAndAnExample) {
  std::vector<std::vector<std::string>> found;
  walk({}, found);
  std::set<std::string> names;
  for (const auto& p : found) names.insert(joined(p));
  // The walk finds at least the commands known today (a broken parse would find none and check
  // nothing); new ones are checked by the walk without being listed here.
  for (const char* known : {"run-now", "enqueue", "work", "jobs", "job", "events", "plugins", "run",
                            "tick", "schedules", "trigger", "enable", "disable", "reload", "status",
                            "config", "config check", "config reference"})
    EXPECT_TRUE(names.contains(known))
        << known << " not found by walking --help; found: " << ::testing::PrintToString(names);
}

TEST(HelpTest, TopLevelHelpNamesConfigurationAndExitCodes) {
  auto top = testing::run_jobhost({"--help"});
  EXPECT_EQ(top.exit_code, 0) << describe({"--help"}, top);
  EXPECT_THAT(top.out, HasSubstr("Exit codes: 0 ok; 1 the job errored; 2 usage error"));
  EXPECT_THAT(top.out, HasSubstr("Example"));
  EXPECT_THAT(top.out, HasSubstr("jobhost --config /etc/jobhost/jobhost.yaml run-now"));
}

}  // namespace
}  // namespace jobhost
