#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>

// Who may call: the one API token (optionally expiring after some calls) and the sessions
// user.login opened. Thread-safe.
namespace jobhost::testing::fake_zabbix {

class Credentials {
 public:
  // `seed` makes the session ids reproducible; see FakeZabbixOptions for the other two.
  Credentials(std::string token, std::uint64_t seed, bool zabbix_session_errors);

  void set_token(std::string token);  // also clears expire_token_after
  void expire_token_after(std::size_t calls);

  // CLocalApiClient::authenticate (there 64 characters are an API token, anything else a
  // session id; see FakeZabbixOptions::zabbix_session_errors). Throws ApiError when `auth`
  // is neither the token nor an open session; a call with the token counts towards expiry.
  void authenticate(const std::optional<std::string>& auth);

  bool is_token(const std::string& value) const;
  bool is_open_session(const std::string& value) const;
  std::string open_session();  // user.login: a new session id
  // user.logout: the session, if open, ends and answers "Session terminated" from now on.
  void end_session(const std::optional<std::string>& auth);

 private:
  const std::uint64_t seed_;
  const bool zabbix_session_errors_;

  mutable std::mutex mutex_;
  std::string token_;
  std::optional<std::size_t> token_calls_left_;
  std::set<std::string, std::less<>> sessions_;
  std::set<std::string, std::less<>> ended_sessions_;
  std::uint64_t sessions_made_ = 0;
};

}  // namespace jobhost::testing::fake_zabbix
