#include "exec/wake_listener.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <chrono>
#include <memory>

#include <libpq-fe.h>

#include "core/logging.h"

namespace jobhost {

namespace {

using Connection = std::unique_ptr<PGconn, decltype(&PQfinish)>;

// libpq's messages end with a newline, and some span several lines: one line for the log.
std::string one_line(std::string message) {
  for (char& c : message)
    if (c == '\n' || c == '\t') c = ' ';
  while (!message.empty() && message.back() == ' ') message.pop_back();
  return message;
}

// Connects and subscribes; null (after logging why, once per outage) when it cannot.
Connection subscribe(const std::string& connection, const std::string& channel, bool& reported) {
  Connection conn(PQconnectdb(connection.c_str()), &PQfinish);
  std::string error;
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    error = PQerrorMessage(conn.get());
  } else {
    char* quoted = PQescapeIdentifier(conn.get(), channel.c_str(), channel.size());
    PGresult* r = PQexec(conn.get(), ("LISTEN " + std::string(quoted ? quoted : "")).c_str());
    PQfreemem(quoted);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) error = PQresultErrorMessage(r);
    PQclear(r);
  }
  if (error.empty()) return conn;
  if (!reported)
    host_log()->warn("wake-ups: cannot listen on {} ({}); idle workers poll meanwhile", channel,
                     one_line(error));
  reported = true;
  return Connection(nullptr, &PQfinish);
}

}  // namespace

WakeListener::WakeListener(std::string connection, std::string channel,
                           std::function<void()> on_wake, bool wake_on_connect)
    : connection_(std::move(connection)),
      channel_(std::move(channel)),
      on_wake_(std::move(on_wake)),
      wake_on_connect_(wake_on_connect),
      stop_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  thread_ = std::thread([this] { loop(); });
}

WakeListener::~WakeListener() {
  const uint64_t one = 1;
  if (::write(stop_fd_, &one, sizeof one) < 0) {
    // Cannot happen for an eventfd below its maximum; the poll's timeout ends the loop anyway.
  }
  thread_.join();
  ::close(stop_fd_);
}

bool WakeListener::wait_listening(std::chrono::milliseconds timeout) const {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!listening() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return listening();
}

void WakeListener::loop() {
  bool reported = false;
  Connection conn(nullptr, &PQfinish);
  while (true) {
    if (!conn) {
      conn = subscribe(connection_, channel_, reported);
      listening_.store(conn != nullptr);
      if (conn) {
        if (reported) host_log()->info("wake-ups: listening on {} again", channel_);
        reported = false;
        if (wake_on_connect_) on_wake_();  // what was sent while nobody listened
      }
    }
    pollfd fds[2] = {{stop_fd_, POLLIN, 0}, {conn ? PQsocket(conn.get()) : -1, POLLIN, 0}};
    // Unconnected: try again in a second. Connected: a server that restarts or ends the
    // session closes the socket, which polls readable and fails the consume below.
    const int ready = ::poll(fds, 2, conn ? 5000 : 1000);
    if (ready > 0 && (fds[0].revents & POLLIN)) return;
    if (!conn || ready < 0) continue;
    if (!PQconsumeInput(conn.get()) || PQstatus(conn.get()) == CONNECTION_BAD) {
      host_log()->warn("wake-ups: the listening connection broke: {}",
                       one_line(PQerrorMessage(conn.get())));
      conn.reset();
      listening_.store(false);
      reported = true;
      continue;
    }
    bool woken = false;
    while (PGnotify* n = PQnotifies(conn.get())) {
      woken = true;
      PQfreemem(n);
    }
    if (woken) on_wake_();
  }
}

}  // namespace jobhost
