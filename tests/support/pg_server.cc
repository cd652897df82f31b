#include "support/pg_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <optional>
#include <system_error>
#include <utility>
#include <vector>

#include "support/process.h"

namespace jobhost::testing {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kDirPrefix = "jobhost-pg";

// Where the server binaries are and, as root, whom to run them as. Found once per process.
struct PgTools {
  fs::path bin_dir;
  fs::path psql;
  fs::path runuser;  // set when running as root
  uid_t uid = 0;     // of the postgres user, when running as root
  gid_t gid = 0;
  std::string locale = "C";  // C.UTF-8 where the system has it
  std::string problem;       // non-empty: why PostgreSQL cannot be used
};

bool executable(const fs::path& path) {
  return ::access(path.c_str(), X_OK) == 0;
}

bool has_server_binaries(const fs::path& dir) {
  return executable(dir / "initdb") && executable(dir / "pg_ctl") && executable(dir / "postgres");
}

std::optional<fs::path> find_in_path(std::string_view name) {
  const char* path = std::getenv("PATH");
  std::string_view rest = path != nullptr ? path : "/usr/bin:/bin";
  while (!rest.empty()) {
    std::size_t colon = rest.find(':');
    fs::path candidate = fs::path(rest.substr(0, colon)) / name;
    if (executable(candidate)) return candidate;
    rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
  }
  return std::nullopt;
}

// JOBHOST_PG_BINDIR, then pg_config, then Debian's versioned dirs (newest first), then PATH.
// pg_config alone is not enough: it belongs to libpq-dev, whose version may differ from the
// server package that is installed.
std::optional<fs::path> find_bin_dir() {
  if (const char* forced = std::getenv("JOBHOST_PG_BINDIR"); forced != nullptr && *forced) {
    return has_server_binaries(forced) ? std::optional<fs::path>(forced) : std::nullopt;
  }
  if (find_in_path("pg_config")) {
    RunResult r = run_process({"pg_config", "--bindir"}, {}, std::chrono::seconds(10));
    std::string dir = r.out.substr(0, r.out.find('\n'));
    if (r.success() && has_server_binaries(dir)) return dir;
  }
  std::vector<std::pair<double, fs::path>> versions;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    double version = std::strtod(entry.path().filename().c_str(), nullptr);
    if (has_server_binaries(entry.path() / "bin")) versions.emplace_back(version, entry.path());
  }
  if (!versions.empty()) return std::max_element(versions.begin(), versions.end())->second / "bin";
  if (auto initdb = find_in_path("initdb"); initdb && has_server_binaries(initdb->parent_path())) {
    return initdb->parent_path();
  }
  return std::nullopt;
}

PgTools discover() {
  PgTools tools;
  std::optional<fs::path> bin_dir = find_bin_dir();
  if (!bin_dir) {
    tools.problem =
        "no initdb/pg_ctl/postgres found (looked at $JOBHOST_PG_BINDIR, pg_config --bindir, "
        "/usr/lib/postgresql/*/bin, PATH); install the 'postgresql' package";
    return tools;
  }
  tools.bin_dir = *bin_dir;
  if (executable(tools.bin_dir / "psql")) {
    tools.psql = tools.bin_dir / "psql";
  } else if (auto psql = find_in_path("psql")) {
    tools.psql = *psql;
  } else {
    tools.problem = "psql not found; install 'postgresql-client'";
    return tools;
  }
  if (::geteuid() == 0) {
    // PostgreSQL refuses to run as root, so as root everything server-side runs as postgres.
    const passwd* user = ::getpwnam("postgres");
    if (user == nullptr) {
      tools.problem = "running as root needs a 'postgres' OS user (the postgresql package adds it)";
      return tools;
    }
    tools.uid = user->pw_uid;
    tools.gid = user->pw_gid;
    for (const char* candidate : {"/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"}) {
      if (executable(candidate)) tools.runuser = candidate;
    }
    if (tools.runuser.empty()) {
      tools.problem = "running as root needs runuser (package util-linux)";
      return tools;
    }
  }
  if (fs::exists("/usr/lib/locale/C.utf8")) tools.locale = "C.UTF-8";
  return tools;
}

const PgTools& pg_tools() {
  // Never destroyed: the shared server is stopped from an atexit handler that may run after
  // function-local statics would have been destroyed.
  static const PgTools* tools = new PgTools(discover());
  return *tools;
}

// Options for a PostgreSQL command, isolated from the caller's PG* settings (a developer's
// PGHOST or PGOPTIONS must not leak in) and with English messages, which launch() inspects.
ProcessOptions pg_command(std::vector<std::string> argv, bool as_server_user, const fs::path& cwd) {
  const PgTools& tools = pg_tools();
  ProcessOptions options;
  if (as_server_user && !tools.runuser.empty()) {
    options.argv = {tools.runuser.string(), "-u", "postgres", "--"};
  }
  options.argv.insert(options.argv.end(), argv.begin(), argv.end());
  options.env = {{"LC_ALL", tools.locale}};
  options.unset_env = {"PGHOST",     "PGHOSTADDR", "PGPORT",    "PGDATABASE",      "PGUSER",
                       "PGPASSWORD", "PGPASSFILE", "PGSERVICE", "PGSERVICEFILE",   "PGOPTIONS",
                       "PGSSLMODE",  "PGDATA",     "PGTZ",      "PGCLIENTENCODING"};
  // The server user may not be able to enter the test's working directory (e.g. under /root).
  options.cwd = cwd;
  return options;
}

std::string bin(std::string_view tool) {
  return (pg_tools().bin_dir / tool).string();
}

int pick_free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  int rc = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  if (rc == 0) rc = ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  int error = errno;
  ::close(fd);
  if (rc != 0) throw std::system_error(error, std::generic_category(), "bind 127.0.0.1:0");
  return ntohs(address.sin_port);
}

bool others_can_enter(const fs::path& dir) {
  std::error_code ec;
  for (fs::path p = fs::canonical(dir, ec); !ec && !p.empty(); p = p.parent_path()) {
    struct stat info {};
    if (::stat(p.c_str(), &info) != 0 || (info.st_mode & S_IXOTH) == 0) return false;
    if (p == p.root_path()) break;
  }
  return !ec;
}

// The server's socket lives in its directory, and a Unix socket path has a hard limit of
// 107 bytes; as root, the postgres user must also be able to reach the directory. /tmp
// satisfies both when $TMPDIR does not.
fs::path server_base_dir() {
  fs::path base = TempDir::default_base();
  constexpr std::string_view kSocketSuffix = "/jobhost-pg-XXXXXX/.s.PGSQL.65535";
  bool too_long = base.string().size() + kSocketSuffix.size() >= sizeof(sockaddr_un{}.sun_path);
  if (too_long || (::geteuid() == 0 && !others_can_enter(base))) return "/tmp";
  return base;
}

void stop_immediately(const fs::path& dir) {
  fs::path data = dir / "data";
  if (!fs::exists(data / "postmaster.pid")) return;
  RunResult r = run_process(
      pg_command({bin("pg_ctl"), "-D", data.string(), "-m", "immediate", "-w", "-t", "60", "stop"},
                 true, dir),
      std::chrono::seconds(90));
  if (r.success()) return;
  // Last resort, so no server outlives its test: SIGQUIT is what immediate mode sends.
  std::ifstream pid_file(data / "postmaster.pid");
  pid_t pid = 0;
  if (pid_file >> pid && pid > 0) ::kill(pid, SIGQUIT);
}

// A test binary killed by a timeout leaves its server running. Each server's directory
// names its owning process; servers whose owner is gone are stopped and removed.
void reap_orphans(const fs::path& base) {
  if (keep_test_dirs()) return;  // the developer wants to look at them
  try {
    for (const auto& entry : fs::directory_iterator(base)) {
      if (!entry.path().filename().string().starts_with(kDirPrefix)) continue;
      std::ifstream owner_file(entry.path() / "owner");
      pid_t owner = 0;
      if (!(owner_file >> owner) || owner <= 0) continue;     // being created, or not ours
      if (::kill(owner, 0) == 0 || errno != ESRCH) continue;  // still alive
      stop_immediately(entry.path());
      std::error_code ignored;
      fs::remove_all(entry.path(), ignored);
    }
  } catch (const std::exception&) {
    // Best effort: someone else's unreadable directory must not stop this test's server.
  }
}

std::string quote_conninfo_value(std::string_view value) {
  bool plain = !value.empty() && value.find_first_of(" '\\") == std::string_view::npos;
  if (plain) return std::string(value);
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "'";
}

std::string quote_identifier(std::string_view name) {
  std::string quoted = "\"";
  for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string quote_setting(std::string_view value) {
  std::string quoted = "'";
  for (char c : value) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return quoted + "'";
}

const char* mode_name(PgStopMode mode) {
  switch (mode) {
    case PgStopMode::smart:
      return "smart";
    case PgStopMode::fast:
      return "fast";
    case PgStopMode::immediate:
      return "immediate";
  }
  return "fast";
}

}  // namespace

bool postgres_available() {
  return pg_tools().problem.empty();
}
std::string postgres_unavailable_reason() {
  return pg_tools().problem;
}

bool running_in_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string_view(ci) == "true";
}

PgServer::PgServer(Options options, TempDir dir)
    : options_(std::move(options)), dir_(std::move(dir)) {}

std::unique_ptr<PgServer> PgServer::start(Options options) {
  const PgTools& tools = pg_tools();
  if (!tools.problem.empty()) throw PgServerError("PostgreSQL not available: " + tools.problem);
  fs::path base = server_base_dir();
  reap_orphans(base);
  TempDir dir(kDirPrefix, base);
  std::ofstream(dir.file("owner")) << ::getpid() << '\n';
  if (!tools.runuser.empty() && ::chown(dir.path().c_str(), tools.uid, tools.gid) != 0) {
    throw std::system_error(errno, std::generic_category(), "chown " + dir.path().string());
  }
  std::unique_ptr<PgServer> server(new PgServer(std::move(options), std::move(dir)));
  server->init_cluster();
  server->launch(true);
  if (!server->options_.database.empty()) server->create_database(server->options_.database);
  return server;
}

PgServer::~PgServer() {
  try {
    stop_immediately(dir());
  } catch (...) {
    // Nothing sensible to do in a destructor; the orphan reaper gets another chance.
  }
  // A kept directory belongs to the developer now, not to the orphan reaper.
  if (keep_test_dirs()) {
    std::error_code ignored;
    fs::remove(dir_.file("owner"), ignored);
  }
}

void PgServer::init_cluster() {
  // --no-sync: the cluster is thrown away, so initdb need not wait for the disk.
  RunResult r =
      run_process(pg_command({bin("initdb"), "-D", data_dir().string(), "-U", user_, "--auth=trust",
                              "-E", "UTF8", "--locale=" + pg_tools().locale, "--no-sync"},
                             true, dir()),
                  std::chrono::seconds(120));
  if (!r.success()) fail("initdb", r.describe() + "\n" + tail_lines(r.out, 20));

  std::map<std::string, std::string> settings = {
      {"listen_addresses", host_},
      {"unix_socket_directories", dir().string()},
      {"max_connections", std::to_string(options_.max_connections)},
  };
  if (options_.durability != PgDurability::server_defaults) {
    // Surviving a machine crash is pointless for a throwaway cluster; skipping the flushes to
    // disk makes commits and checkpoints much cheaper on a slow disk.
    settings["fsync"] = "off";
    settings["full_page_writes"] = "off";
  }
  if (options_.durability == PgDurability::fast) settings["synchronous_commit"] = "off";
  for (const auto& [key, value] : options_.settings) settings[key] = value;
  // In postgresql.conf rather than on the command line so that start_again() keeps them; the
  // port alone goes on the command line because a clash makes launch() pick another.
  std::ofstream conf(data_dir() / "postgresql.conf", std::ios::app);
  conf << "\n# jobhost test settings\n";
  for (const auto& [key, value] : settings) conf << key << " = " << quote_setting(value) << '\n';
  if (!conf.flush()) fail("writing postgresql.conf", (data_dir() / "postgresql.conf").string());
}

void PgServer::launch(bool may_change_port) {
  constexpr int kAttempts = 5;
  for (int attempt = 1;; ++attempt) {
    if (may_change_port) port_ = pick_free_port();
    // Only the log written by this attempt tells whether it lost a race for the port.
    std::size_t log_size = read_file(log_path()).size();
    RunResult r =
        run_process(pg_command({bin("pg_ctl"), "-D", data_dir().string(), "-l", log_path().string(),
                                "-w", "-t", std::to_string(options_.start_timeout.count()), "-o",
                                "-p " + std::to_string(port_), "start"},
                               true, dir()),
                    options_.start_timeout + std::chrono::seconds(30));
    if (r.success()) {
      running_ = true;
      return;
    }
    std::string log = read_file(log_path());
    bool port_taken =
        log.find("Address already in use", std::min(log_size, log.size())) != std::string::npos;
    if (!port_taken || !may_change_port || attempt == kAttempts) {
      fail("pg_ctl start on port " + std::to_string(port_), r.describe() + "\n" + r.out);
    }
  }
}

void PgServer::stop(PgStopMode mode) {
  if (!running_) return;
  RunResult r = run_process(pg_command({bin("pg_ctl"), "-D", data_dir().string(), "-m",
                                        mode_name(mode), "-w", "-t", "60", "stop"},
                                       true, dir()),
                            std::chrono::seconds(90));
  if (!r.success()) fail("pg_ctl stop", r.describe());
  running_ = false;
}

void PgServer::start_again() {
  if (!running_) launch(false);
}

void PgServer::restart(PgStopMode mode) {
  stop(mode);
  start_again();
}

std::string PgServer::connection_string(std::string_view dbname) const {
  return "host=" + host_ + " port=" + std::to_string(port_) +
         " dbname=" + quote_conninfo_value(dbname) + " user=" + user_;
}

std::string PgServer::create_database(std::string_view name) {
  query("postgres", "CREATE DATABASE " + quote_identifier(name));
  return connection_string(name);
}

void PgServer::drop_database(std::string_view name) {
  query("postgres", "DROP DATABASE IF EXISTS " + quote_identifier(name) + " WITH (FORCE)");
}

std::string PgServer::query(std::string_view dbname, std::string_view sql) {
  RunResult r = run_process(
      pg_command({pg_tools().psql.string(), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d",
                  connection_string(dbname), "-c", std::string(sql)},
                 false, dir()),
      std::chrono::seconds(120));
  if (!r.success()) fail("psql -c '" + std::string(sql) + "'", r.describe());
  if (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();
  return r.out;
}

std::string PgServer::log_tail(std::size_t lines) const {
  return tail_lines(read_file(log_path()), lines);
}

void PgServer::fail(const std::string& what, const std::string& detail) const {
  throw PgServerError(what + " failed: " + detail + "\n--- tail of " + log_path().string() +
                      " ---\n" + log_tail());
}

namespace {

std::mutex shared_mutex;
PgServer* shared_server = nullptr;
pid_t shared_owner = 0;

void stop_shared_server() {
  // A forked child (e.g. a gtest death test calling exit) must not stop its parent's server.
  if (::getpid() != shared_owner) return;
  delete shared_server;
  shared_server = nullptr;
}

}  // namespace

PgServer& shared_pg_server() {
  static std::string failure;
  std::lock_guard lock(shared_mutex);
  if (shared_server != nullptr) return *shared_server;
  if (!failure.empty()) throw PgServerError(failure);
  try {
    shared_server = PgServer::start().release();
  } catch (const std::exception& e) {
    failure = std::string("shared PostgreSQL server: ") + e.what();
    throw PgServerError(failure);
  }
  shared_owner = ::getpid();
  // Registered after everything start() needed was constructed, so it runs before their
  // destructors.
  std::atexit(stop_shared_server);
  return *shared_server;
}

}  // namespace jobhost::testing
