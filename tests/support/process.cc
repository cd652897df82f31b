#include "support/process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <utility>

extern char** environ;

namespace jobhost::testing {
namespace {

using Clock = std::chrono::steady_clock;

ExitStatus decode(int wait_status) {
  ExitStatus status;
  if (WIFSIGNALED(wait_status)) {
    status.signal = WTERMSIG(wait_status);
  } else {
    status.exit_code = WEXITSTATUS(wait_status);
  }
  return status;
}

// The inherited environment with the options' changes applied, as "KEY=VALUE" strings.
std::vector<std::string> child_environment(const ProcessOptions& options) {
  std::vector<std::string> result;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view item(*entry);
    std::string key(item.substr(0, item.find('=')));
    bool replaced = options.env.contains(key);
    bool unset = std::find(options.unset_env.begin(), options.unset_env.end(), key) !=
                 options.unset_env.end();
    if (!replaced && !unset) result.emplace_back(item);
  }
  for (const auto& [key, value] : options.env) result.push_back(key + "=" + value);
  return result;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> result;
  for (auto& s : strings) result.push_back(s.data());
  result.push_back(nullptr);
  return result;
}

void check(int error, const char* what) {
  if (error != 0) throw std::system_error(error, std::generic_category(), what);
}

// posix_spawn's C structs need destroying on every path, including exceptions.
struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  SpawnSetup() {
    check(posix_spawn_file_actions_init(&actions), "posix_spawn_file_actions_init");
    check(posix_spawnattr_init(&attributes), "posix_spawnattr_init");
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

}  // namespace

std::string ExitStatus::describe() const {
  if (signal == 0) return "exit code " + std::to_string(exit_code);
  return "signal " + std::to_string(signal) + " (" + ::strsignal(signal) + ")";
}

Process Process::spawn(ProcessOptions options) {
  if (options.argv.empty()) throw std::invalid_argument("Process::spawn: empty argv");
  Process process;
  bool need_dir = options.stdout_path.empty() || options.stderr_path.empty() || options.stdin_data;
  if (need_dir) process.capture_dir_ = std::make_unique<TempDir>("jobhost-proc");
  // Absolute paths, because the child opens them after it may have changed directory.
  auto resolve = [&](const std::filesystem::path& given, const char* fallback) {
    return given.empty() ? process.capture_dir_->file(fallback) : std::filesystem::absolute(given);
  };
  process.stdout_path_ = resolve(options.stdout_path, "stdout");
  process.stderr_path_ = resolve(options.stderr_path, "stderr");
  std::string stdin_path = "/dev/null";
  if (options.stdin_data) {
    stdin_path = process.capture_dir_->file("stdin").string();
    std::ofstream(stdin_path, std::ios::binary) << *options.stdin_data;
  }

  SpawnSetup setup;
  // O_APPEND lets stdout_path and stderr_path name the same file without overwriting each other.
  const int out_flags = O_WRONLY | O_CREAT | O_TRUNC | O_APPEND;
  check(posix_spawn_file_actions_addopen(&setup.actions, 0, stdin_path.c_str(), O_RDONLY, 0),
        "addopen stdin");
  check(posix_spawn_file_actions_addopen(&setup.actions, 1, process.stdout_path_.c_str(), out_flags,
                                         0644),
        "addopen stdout");
  check(posix_spawn_file_actions_addopen(&setup.actions, 2, process.stderr_path_.c_str(), out_flags,
                                         0644),
        "addopen stderr");
  // Descriptors the test holds (listening sockets, database handles) must not leak into a
  // child: it would keep a port busy or a file locked after the test closed it.
  check(posix_spawn_file_actions_addclosefrom_np(&setup.actions, 3), "addclosefrom");
  if (!options.cwd.empty()) {
    check(posix_spawn_file_actions_addchdir_np(&setup.actions, options.cwd.c_str()), "addchdir");
  }

  // Start from default signal handling and an empty mask: gtest or a test may have changed
  // them, and exec keeps ignored signals ignored (a child with SIGPIPE ignored misbehaves).
  sigset_t all_signals;
  sigset_t no_signals;
  sigfillset(&all_signals);
  sigemptyset(&no_signals);
  short flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
  if (options.new_process_group) flags |= POSIX_SPAWN_SETPGROUP;
  check(posix_spawnattr_setsigdefault(&setup.attributes, &all_signals), "setsigdefault");
  check(posix_spawnattr_setsigmask(&setup.attributes, &no_signals), "setsigmask");
  check(posix_spawnattr_setpgroup(&setup.attributes, 0), "setpgroup");
  check(posix_spawnattr_setflags(&setup.attributes, flags), "setflags");

  std::vector<std::string> env = child_environment(options);
  std::vector<char*> envp = pointers(env);
  std::vector<char*> argv = pointers(options.argv);
  // Note: posix_spawnp searches the test's PATH, not a PATH given in options.env.
  int error = posix_spawnp(&process.pid_, argv[0], &setup.actions, &setup.attributes, argv.data(),
                           envp.data());
  if (error != 0) {
    process.pid_ = -1;
    throw std::system_error(error, std::generic_category(), "spawn " + options.argv[0]);
  }
  process.own_group_ = options.new_process_group;
  return process;
}

Process::Process(Process&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      own_group_(other.own_group_),
      status_(std::exchange(other.status_, std::nullopt)),
      capture_dir_(std::move(other.capture_dir_)),
      stdout_path_(std::move(other.stdout_path_)),
      stderr_path_(std::move(other.stderr_path_)) {}

Process& Process::operator=(Process&& other) noexcept {
  if (this != &other) {
    reap_or_kill();
    pid_ = std::exchange(other.pid_, -1);
    own_group_ = other.own_group_;
    status_ = std::exchange(other.status_, std::nullopt);
    capture_dir_ = std::move(other.capture_dir_);
    stdout_path_ = std::move(other.stdout_path_);
    stderr_path_ = std::move(other.stderr_path_);
  }
  return *this;
}

Process::~Process() {
  reap_or_kill();
}

void Process::reap_or_kill() noexcept {
  if (pid_ <= 0 || status_) return;
  kill(SIGKILL);
  int wait_status = 0;
  while (::waitpid(pid_, &wait_status, 0) < 0 && errno == EINTR) {
  }
  status_ = decode(wait_status);
}

bool Process::running() {
  if (status_) return false;
  // waitpid(-1) would reap some other child of the test, so a moved-from object must stop here.
  if (pid_ <= 0) throw std::logic_error("Process: no child (moved from)");
  int wait_status = 0;
  pid_t reaped = ::waitpid(pid_, &wait_status, WNOHANG);
  if (reaped == pid_) status_ = decode(wait_status);
  return !status_;
}

std::optional<ExitStatus> Process::wait(std::chrono::milliseconds timeout) {
  // Polling with a growing sleep: exact enough for tests and free of SIGCHLD handlers,
  // which would clash with whatever else in the test binary waits for children.
  auto deadline = Clock::now() + timeout;
  auto pause = std::chrono::microseconds(100);
  while (running()) {
    auto now = Clock::now();
    if (now >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::min<Clock::duration>(pause, deadline - now));
    pause = std::min(pause * 2, std::chrono::microseconds(10'000));
  }
  return status_;
}

ExitStatus Process::wait() {
  if (!status_) {
    if (pid_ <= 0) throw std::logic_error("Process: no child (moved from)");
    int wait_status = 0;
    pid_t reaped;
    while ((reaped = ::waitpid(pid_, &wait_status, 0)) < 0 && errno == EINTR) {
    }
    if (reaped != pid_) throw std::system_error(errno, std::generic_category(), "waitpid");
    status_ = decode(wait_status);
  }
  return *status_;
}

void Process::kill(int signal) {
  if (pid_ <= 0 || status_) return;
  // An unreaped child is a zombie at worst, so its pid cannot have been reused yet.
  ::kill(own_group_ ? -pid_ : pid_, signal);
}

std::string Process::out() const {
  return read_file(stdout_path_);
}
std::string Process::err() const {
  return read_file(stderr_path_);
}

bool Process::wait_for_output(std::string_view text, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (true) {
    // Check liveness first: output written just before exiting must still count.
    bool alive = running();
    if (out().find(text) != std::string::npos || err().find(text) != std::string::npos) {
      return true;
    }
    if (!alive || Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::string RunResult::describe() const {
  std::ostringstream text;
  if (timed_out) {
    text << "timed out";
  } else {
    text << ExitStatus{exit_code, signal}.describe();
  }
  if (!err.empty()) text << "; stderr:\n" << tail_lines(err, 20);
  return text.str();
}

RunResult run_process(ProcessOptions options, std::chrono::milliseconds timeout) {
  Process process = Process::spawn(std::move(options));
  RunResult result;
  std::optional<ExitStatus> status = process.wait(timeout);
  if (!status) {
    result.timed_out = true;
    process.kill(SIGKILL);
    status = process.wait();
  }
  result.exit_code = status->exit_code;
  result.signal = status->signal;
  result.out = process.out();
  result.err = process.err();
  return result;
}

RunResult run_process(std::vector<std::string> argv, std::map<std::string, std::string> env,
                      std::chrono::milliseconds timeout) {
  ProcessOptions options;
  options.argv = std::move(argv);
  options.env = std::move(env);
  return run_process(std::move(options), timeout);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string tail_lines(std::string_view text, std::size_t max_lines) {
  std::size_t start = text.size();
  // A trailing newline ends the last line rather than starting an empty one.
  if (start > 0 && text[start - 1] == '\n') --start;
  for (std::size_t lines = 0; start > 0; --start) {
    if (text[start - 1] == '\n' && ++lines == max_lines) break;
  }
  return std::string(text.substr(start));
}

}  // namespace jobhost::testing
