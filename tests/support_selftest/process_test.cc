#include "support/process.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <sstream>
#include <thread>

#include "support/temp_dir.h"

namespace jobhost::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(RunProcess, ReportsExitCodeAndOutput) {
  RunResult r = run_process({"sh", "-c", "echo out; echo err >&2; exit 3"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.signal, 0);
  EXPECT_FALSE(r.timed_out);
  EXPECT_FALSE(r.success());
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
  EXPECT_NE(r.describe().find("exit code 3"), std::string::npos) << r.describe();
}

TEST(RunProcess, CapturesLargeOutputOnBothStreamsWithoutBlocking) {
  // 1 MiB on each stream, interleaved: a pipe-based capture reading one stream at a time
  // would deadlock here.
  RunResult r = run_process({"sh", "-c",
                             "for i in 1 2 3 4 5 6 7 8; do head -c 131072 /dev/zero | tr '\\0' o; "
                             "head -c 131072 /dev/zero | tr '\\0' e >&2; done"},
                            {}, 30s);
  ASSERT_TRUE(r.success()) << r.describe();
  EXPECT_EQ(r.out.size(), 1u << 20);
  EXPECT_EQ(r.err.size(), 1u << 20);
  EXPECT_EQ(r.out.find_first_not_of('o'), std::string::npos);
  EXPECT_EQ(r.err.find_first_not_of('e'), std::string::npos);
}

TEST(RunProcess, PassesAndRemovesEnvironmentVariables) {
  ::setenv("JOBHOST_SELFTEST_GONE", "still here", 1);
  ProcessOptions options;
  options.argv = {"sh", "-c", "echo \"$JOBHOST_SELFTEST_A|${JOBHOST_SELFTEST_GONE-unset}|$HOME\""};
  options.env = {{"JOBHOST_SELFTEST_A", "a value"}, {"HOME", "/elsewhere"}};
  options.unset_env = {"JOBHOST_SELFTEST_GONE"};
  RunResult r = run_process(options);
  ::unsetenv("JOBHOST_SELFTEST_GONE");
  EXPECT_EQ(r.out, "a value|unset|/elsewhere\n");
}

TEST(RunProcess, RunsInWorkingDirectoryWithStdin) {
  TempDir dir;
  ProcessOptions options;
  options.argv = {"sh", "-c", "pwd; cat"};
  options.cwd = dir.path();
  options.stdin_data = "from stdin";
  RunResult r = run_process(options);
  EXPECT_EQ(r.out, dir.path().string() + "\nfrom stdin");
}

TEST(RunProcess, StdinIsEmptyByDefault) {
  RunResult r = run_process({"cat"}, {}, 10s);  // would hang if stdin were the terminal
  EXPECT_TRUE(r.success()) << r.describe();
  EXPECT_EQ(r.out, "");
}

TEST(RunProcess, KillsOnTimeout) {
  auto started = Clock::now();
  RunResult r = run_process({"sleep", "30"}, {}, 200ms);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.signal, SIGKILL);
  EXPECT_LT(Clock::now() - started, 5s);
}

TEST(RunProcess, ChildStartsWithDefaultSignalHandling) {
  // Test runners may ignore SIGPIPE or block signals; exec would pass that on to the child.
  struct sigaction ignore {};
  struct sigaction previous {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &previous);
  RunResult r = run_process({"grep", "-E", "^Sig(Ign|Blk)", "/proc/self/status"});
  ::sigaction(SIGPIPE, &previous, nullptr);
  // Only signals 1-31 count: glibc reserves 32 and 33 for itself and manages them.
  std::istringstream lines(r.out);
  std::string label;
  std::string blocked;
  std::string ignored;
  lines >> label >> blocked >> label >> ignored;
  const unsigned long long classic = (1ULL << 31) - 1;
  EXPECT_EQ(std::stoull(blocked, nullptr, 16) & classic, 0u) << r.out;
  EXPECT_EQ(std::stoull(ignored, nullptr, 16) & classic, 0u) << r.out;
}

TEST(Process, SpawnOfMissingProgramThrows) {
  EXPECT_THROW(Process::spawn({.argv = {"/nonexistent/jobhost-selftest"}}), std::system_error);
}

TEST(Process, KillNineIsReportedAsSignalNine) {
  Process p = Process::spawn({.argv = {"sleep", "30"}});
  EXPECT_GT(p.pid(), 0);
  EXPECT_TRUE(p.running());
  EXPECT_EQ(p.wait(50ms), std::nullopt);  // still running: wait times out
  p.kill(SIGKILL);
  std::optional<ExitStatus> status = p.wait(5s);
  ASSERT_TRUE(status);
  EXPECT_FALSE(status->exited());
  EXPECT_EQ(status->signal, 9);
  EXPECT_EQ(status->exit_code, -1);
  EXPECT_NE(status->describe().find("signal 9"), std::string::npos);
  EXPECT_FALSE(p.running());
  p.kill(SIGKILL);  // harmless once reaped
  EXPECT_EQ(p.wait().signal, 9);
}

TEST(Process, WaitReturnsPromptlyWhenChildExits) {
  Process p = Process::spawn({.argv = {"sh", "-c", "sleep 0.2; exit 7"}});
  auto started = Clock::now();
  std::optional<ExitStatus> status = p.wait(10s);
  ASSERT_TRUE(status);
  EXPECT_EQ(status->exit_code, 7);
  EXPECT_LT(Clock::now() - started, 2s);
}

TEST(Process, WaitForOutputSeesTextWhileRunning) {
  Process p = Process::spawn({.argv = {"sh", "-c", "sleep 0.1; echo ready >&2; exec sleep 30"}});
  EXPECT_TRUE(p.wait_for_output("ready", 10s));
  EXPECT_TRUE(p.running());
  EXPECT_EQ(p.err(), "ready\n");
  EXPECT_FALSE(p.wait_for_output("never", 100ms));
}

TEST(Process, WaitForOutputGivesUpWhenChildExits) {
  Process p = Process::spawn({.argv = {"true"}});
  auto started = Clock::now();
  EXPECT_FALSE(p.wait_for_output("never", 10s));
  EXPECT_LT(Clock::now() - started, 5s);
}

TEST(Process, WritesToGivenFilesAndMayShareOne) {
  TempDir dir;
  ProcessOptions options;
  options.argv = {"sh", "-c", "echo one; echo two >&2; echo three"};
  options.stdout_path = dir.file("both.log");
  options.stderr_path = dir.file("both.log");
  Process p = Process::spawn(options);
  EXPECT_TRUE(p.wait().success());
  EXPECT_EQ(read_file(dir.file("both.log")), "one\ntwo\nthree\n");
}

TEST(Process, DestructorKillsRunningChild) {
  pid_t pid;
  {
    Process p = Process::spawn({.argv = {"sleep", "30"}});
    pid = p.pid();
  }
  EXPECT_EQ(::kill(pid, 0), -1);  // reaped, so the pid is gone
}

TEST(Process, GroupKillReachesGrandchildren) {
  TempDir dir;
  ProcessOptions options;
  options.argv = {"sh", "-c", "sleep 30 & echo $! > " + dir.file("grandchild").string() + "; wait"};
  options.new_process_group = true;
  Process p = Process::spawn(options);
  pid_t grandchild = 0;
  for (int i = 0; i < 200 && grandchild == 0; ++i) {
    grandchild = std::atoi(read_file(dir.file("grandchild")).c_str());
    if (grandchild == 0) std::this_thread::sleep_for(10ms);
  }
  ASSERT_GT(grandchild, 0);
  p.kill(SIGKILL);
  EXPECT_EQ(p.wait().signal, SIGKILL);
  // The grandchild was re-parented when the shell died; it must be dead (or a zombie on its
  // way out) rather than still sleeping.
  bool gone = false;
  for (int i = 0; i < 200 && !gone; ++i) {
    std::string state = read_file("/proc/" + std::to_string(grandchild) + "/stat");
    gone = state.empty() || state.find(") Z") != std::string::npos;
    if (!gone) std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(gone);
}

TEST(TailLines, KeepsLastLines) {
  EXPECT_EQ(tail_lines("a\nb\nc\n", 2), "b\nc\n");
  EXPECT_EQ(tail_lines("a\nb\nc", 2), "b\nc");
  EXPECT_EQ(tail_lines("a\nb\n", 5), "a\nb\n");
  EXPECT_EQ(tail_lines("", 3), "");
}

}  // namespace
}  // namespace jobhost::testing
