#pragma once

// The checks shared by the host's keys and the plugins' settings, so that both word a problem the
// same way. Messages never contain the value itself: it may be a secret.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jobhost::config {

// Either a value or the message saying why the text is not one.
template <typename T>
struct Checked {
  std::optional<T> value;
  std::string error;

  bool ok() const { return value.has_value(); }
};

// Decimal integer with an optional sign ("-5", "+7", "300"); nothing else (no "1.0", "0x10").
Checked<std::int64_t> check_integer(std::string_view text, std::optional<double> min,
                                    std::optional<double> max);

// Decimal number, finite ("1.5", "-2", "1e3").
Checked<double> check_number(std::string_view text, std::optional<double> min,
                             std::optional<double> max);

// YAML 1.2 booleans: true/True/TRUE, false/False/FALSE.
Checked<bool> check_boolean(std::string_view text);

// "must be one of: text, json".
std::string must_be_one_of(const std::vector<std::string>& choices);

// must_be_one_of(choices) unless `text` is one of `choices`; empty when it is.
std::string check_choice(std::string_view text, const std::vector<std::string>& choices);

// "unknown key 'wokers' (did you mean 'workers'?)", the suggestion only when a known key is close.
std::string unknown_key_message(std::string_view key, const std::vector<std::string>& known_keys);

// The known key closest to `key`, if it is close enough to be a likely typo.
std::optional<std::string> closest_key(std::string_view key,
                                       const std::vector<std::string>& known_keys);

}  // namespace jobhost::config
