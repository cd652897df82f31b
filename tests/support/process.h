#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/temp_dir.h"

namespace jobhost::testing {

struct ProcessOptions {
  // argv[0] is looked up in PATH when it has no slash.
  std::vector<std::string> argv;
  // Added to (or replacing entries of) this process's environment.
  std::map<std::string, std::string> env;
  // Removed from the inherited environment, e.g. "CI" or "PGHOST".
  std::vector<std::string> unset_env;
  // Empty: the current directory.
  std::filesystem::path cwd;
  // Fed to the child's stdin; without it the child reads /dev/null.
  std::optional<std::string> stdin_data;
  // Where stdout and stderr go; empty: files in a temp dir owned by the Process.
  std::filesystem::path stdout_path;
  std::filesystem::path stderr_path;
  // Put the child in its own process group so kill() also reaches its descendants.
  bool new_process_group = false;
};

// How a child ended: exactly one of exit_code >= 0 or signal > 0.
struct ExitStatus {
  int exit_code = -1;
  int signal = 0;

  bool exited() const { return signal == 0; }
  bool success() const { return signal == 0 && exit_code == 0; }
  std::string describe() const;  // "exit code 3" or "signal 9 (Killed)"
};

// A child process whose output goes to files, so a chatty child can never block on a full
// pipe and the test can read what it has written so far. The destructor kills (SIGKILL) and
// reaps a child still running, so a failed assertion leaves no stray processes behind.
class Process {
 public:
  static Process spawn(ProcessOptions options);

  Process(Process&& other) noexcept;
  Process& operator=(Process&& other) noexcept;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process();

  pid_t pid() const { return pid_; }
  bool running();

  // Waits for the child to end; nullopt when it is still running after the timeout.
  std::optional<ExitStatus> wait(std::chrono::milliseconds timeout);
  ExitStatus wait();

  // Sends a signal (to the whole group with new_process_group); a no-op once reaped.
  void kill(int signal);

  // What the child has written so far.
  std::string out() const;
  std::string err() const;
  const std::filesystem::path& stdout_path() const { return stdout_path_; }
  const std::filesystem::path& stderr_path() const { return stderr_path_; }

  // Polls stdout and stderr until one contains the text; false on timeout or when the child
  // ends without writing it. For "wait until the server says it is listening".
  bool wait_for_output(std::string_view text, std::chrono::milliseconds timeout);

 private:
  Process() = default;
  void reap_or_kill() noexcept;

  pid_t pid_ = -1;
  bool own_group_ = false;
  std::optional<ExitStatus> status_;
  std::unique_ptr<TempDir> capture_dir_;
  std::filesystem::path stdout_path_;
  std::filesystem::path stderr_path_;
};

struct RunResult {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;      // 0 when it exited
  bool timed_out = false;
  std::string out;
  std::string err;

  bool success() const { return exit_code == 0 && signal == 0 && !timed_out; }
  // One line for assertion messages: status plus the tail of stderr.
  std::string describe() const;
};

// Runs a command to completion; on timeout it is killed with SIGKILL and timed_out is set.
RunResult run_process(ProcessOptions options,
                      std::chrono::milliseconds timeout = std::chrono::seconds(60));
RunResult run_process(std::vector<std::string> argv, std::map<std::string, std::string> env = {},
                      std::chrono::milliseconds timeout = std::chrono::seconds(60));

// Reads a whole file; empty when it does not exist.
std::string read_file(const std::filesystem::path& path);

// The last `max_lines` lines of a text, for error messages.
std::string tail_lines(std::string_view text, std::size_t max_lines = 30);

}  // namespace jobhost::testing
