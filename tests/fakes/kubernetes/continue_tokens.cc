#include "fakes/kubernetes/continue_tokens.h"

#include <algorithm>
#include <array>
#include <utility>

#include <nlohmann/json.hpp>

namespace jobhost::testing::fake_kubernetes {

namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view kTokenVersion = "meta.k8s.io/v1";

std::string base64url(std::string_view data) {
  std::string out;
  out.reserve((data.size() * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    std::uint32_t n = (std::uint32_t(std::uint8_t(data[i])) << 16) |
                      (std::uint32_t(std::uint8_t(data[i + 1])) << 8) | std::uint8_t(data[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  std::size_t rest = data.size() - i;
  if (rest > 0) {
    std::uint32_t n = std::uint32_t(std::uint8_t(data[i])) << 16;
    if (rest == 2) n |= std::uint32_t(std::uint8_t(data[i + 1])) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    if (rest == 2) out += kAlphabet[(n >> 6) & 63];
  }
  return out;
}

// Go's base64.RawURLEncoding.DecodeString, with its error text.
std::string unbase64url(std::string_view text) {
  std::array<int, 256> values;
  values.fill(-1);
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    values[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int>(i);
  }
  auto illegal = [](std::size_t at) {
    return InvalidContinue("continue key is not valid: illegal base64 data at input byte " +
                           std::to_string(at));
  };
  std::string out;
  std::uint32_t bits = 0;
  int held = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    int value = values[static_cast<unsigned char>(text[i])];
    if (value < 0) throw illegal(i);
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    held += 6;
    if (held >= 8) {
      held -= 8;
      out += static_cast<char>((bits >> held) & 255);
    }
  }
  if (text.size() % 4 == 1) throw illegal(text.size() - 1);  // 6 bits cannot end a byte
  return out;
}

}  // namespace

std::string encode_continue(std::uint64_t resource_version, std::string_view last_name) {
  // The next key after the last one served: etcd continues from "<name>\0".
  // Fields in the order Go's encoder writes the apiserver's continueToken struct.
  nlohmann::ordered_json token = {{"v", kTokenVersion},
                                  {"rv", resource_version},
                                  {"start", std::string(last_name) + std::string(1, '\0')}};
  return base64url(token.dump());
}

ContinuePosition decode_continue(std::string_view token) {
  std::string data = unbase64url(token);
  nlohmann::json parsed = nlohmann::json::parse(data, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    throw InvalidContinue(
        "continue key is not valid: invalid character looking for beginning "
        "of value");
  }
  if (parsed.value("v", "") != kTokenVersion) {
    throw InvalidContinue(
        "continue key is not valid: server does not recognize this encoded version");
  }
  ContinuePosition position;
  const auto rv = parsed.find("rv");
  if (rv == parsed.end() || !rv->is_number_integer() || rv->get<std::int64_t>() <= 0) {
    throw InvalidContinue(
        "continue key is not valid: incorrect encoded start resourceVersion (version "
        "meta.k8s.io/v1)");
  }
  position.resource_version = rv->get<std::uint64_t>();
  std::string start = parsed.value("start", "");
  if (start.empty()) {
    throw InvalidContinue(
        "continue key is not valid: encoded start key empty (version meta.k8s.io/v1)");
  }
  // Like etcd, the list goes on at the first name >= the start key: "<last name>\0".
  position.start_key = std::move(start);
  return position;
}

void ContinueTokens::issue(const std::string& scope, const std::string& token, Snapshot snapshot,
                           Clock::time_point now) {
  std::lock_guard lock(mutex_);
  issued_.insert_or_assign(scope + '\n' + token, Issued{std::move(snapshot), now});
  if (issued_.size() > prune_above_) prune(now);
}

Snapshot ContinueTokens::find(const std::string& scope, const std::string& token,
                              Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto it = issued_.find(scope + '\n' + token);
  if (it == issued_.end()) return nullptr;
  if (now - it->second.at > ttl_) {
    issued_.erase(it);
    return nullptr;
  }
  return it->second.snapshot;
}

void ContinueTokens::expire_all() {
  std::lock_guard lock(mutex_);
  issued_.clear();
}

void ContinueTokens::prune(Clock::time_point now) {
  for (auto it = issued_.begin(); it != issued_.end();) {
    it = now - it->second.at > ttl_ ? issued_.erase(it) : std::next(it);
  }
  // Tokens alive within the TTL are kept however many: prune again at twice as many.
  prune_above_ = std::max<std::size_t>(1024, issued_.size() * 2);
}

}  // namespace jobhost::testing::fake_kubernetes
