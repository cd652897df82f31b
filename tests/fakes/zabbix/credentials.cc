#include "fakes/zabbix/credentials.h"

#include <utility>

#include "fakes/zabbix/deterministic_ids.h"
#include "fakes/zabbix/rpc_errors.h"

namespace jobhost::testing::fake_zabbix {

Credentials::Credentials(std::string token, std::uint64_t seed, bool zabbix_session_errors)
    : seed_(seed), zabbix_session_errors_(zabbix_session_errors), token_(std::move(token)) {}

void Credentials::set_token(std::string token) {
  std::lock_guard lock(mutex_);
  token_ = std::move(token);
  token_calls_left_.reset();
}

void Credentials::expire_token_after(std::size_t calls) {
  std::lock_guard lock(mutex_);
  token_calls_left_ = calls;
}

void Credentials::authenticate(const std::optional<std::string>& auth) {
  if (!auth || auth->empty()) throw_params("Not authorized.");
  std::lock_guard lock(mutex_);
  if (*auth == token_) {
    if (token_calls_left_) {
      if (*token_calls_left_ == 0) throw_permissions("API token expired.");
      --*token_calls_left_;
    }
    return;
  }
  if (sessions_.contains(*auth)) return;
  if (ended_sessions_.contains(*auth)) throw_params("Session terminated, re-login, please.");
  if (zabbix_session_errors_ && auth->size() != 64) {
    throw_params("Session terminated, re-login, please.");
  }
  throw_params("Not authorized.");
}

bool Credentials::is_token(const std::string& value) const {
  std::lock_guard lock(mutex_);
  return value == token_;
}

bool Credentials::is_open_session(const std::string& value) const {
  std::lock_guard lock(mutex_);
  return sessions_.contains(value);
}

std::string Credentials::open_session() {
  std::lock_guard lock(mutex_);
  ++sessions_made_;
  std::string session =
      hex128(mix64(seed_ ^ (sessions_made_ * 0x9E37)), mix64(sessions_made_ + 77)).substr(0, 32);
  sessions_.insert(session);
  return session;
}

void Credentials::end_session(const std::optional<std::string>& auth) {
  std::lock_guard lock(mutex_);
  if (auth && sessions_.erase(*auth) > 0) ended_sessions_.insert(*auth);
}

}  // namespace jobhost::testing::fake_zabbix
