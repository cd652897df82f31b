#include "config/value_checks.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>
#include <system_error>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace jobhost::config {

namespace {

// from_chars takes a leading '-' but not '+'.
std::string_view without_plus_sign(std::string_view text) {
  if (text.size() > 1 && text.front() == '+' && text[1] != '-') text.remove_prefix(1);
  return text;
}

// "5" rather than "5.000000" for whole bounds.
std::string format_bound(double bound) {
  return fmt::format("{}", bound);
}

std::string range_error(double value, std::optional<double> min, std::optional<double> max) {
  if (min && value < *min) return "must be >= " + format_bound(*min);
  if (max && value > *max) return "must be <= " + format_bound(*max);
  return {};
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // One row of the Levenshtein table at a time.
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

Checked<std::int64_t> check_integer(std::string_view text, std::optional<double> min,
                                    std::optional<double> max) {
  const std::string_view digits = without_plus_sign(text);
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || end != digits.data() + digits.size())
    return {.error = "must be an integer"};
  if (ec == std::errc::result_out_of_range) {
    // Too many digits for any range we would accept; say which bound it breaks.
    const bool negative = digits.front() == '-';
    if (negative && min) return {.error = "must be >= " + format_bound(*min)};
    if (!negative && max) return {.error = "must be <= " + format_bound(*max)};
    return {.error = "is too large for an integer"};
  }
  if (ec != std::errc{}) return {.error = "must be an integer"};
  if (std::string error = range_error(static_cast<double>(value), min, max); !error.empty()) {
    return {.error = std::move(error)};
  }
  return {.value = value};
}

Checked<double> check_number(std::string_view text, std::optional<double> min,
                             std::optional<double> max) {
  const std::string_view digits = without_plus_sign(text);
  double value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value,
                                         std::chars_format::general);
  if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() ||
      !std::isfinite(value)) {
    return {.error = "must be a number"};
  }
  if (std::string error = range_error(value, min, max); !error.empty()) {
    return {.error = std::move(error)};
  }
  return {.value = value};
}

Checked<bool> check_boolean(std::string_view text) {
  if (text == "true" || text == "True" || text == "TRUE") return {.value = true};
  if (text == "false" || text == "False" || text == "FALSE") return {.value = false};
  return {.error = "must be true or false"};
}

std::string must_be_one_of(const std::vector<std::string>& choices) {
  return fmt::format("must be one of: {}", fmt::join(choices, ", "));
}

std::string check_choice(std::string_view text, const std::vector<std::string>& choices) {
  if (std::find(choices.begin(), choices.end(), text) != choices.end()) return {};
  return must_be_one_of(choices);
}

std::optional<std::string> closest_key(std::string_view key,
                                       const std::vector<std::string>& known_keys) {
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  for (const std::string& known : known_keys) {
    const std::size_t distance = edit_distance(key, known);
    // A typo changes a character or two, and never most of a short word.
    const bool plausible = distance <= 2 && distance * 2 <= known.size();
    if (plausible && (!best || distance < best_distance)) {
      best = known;
      best_distance = distance;
    }
  }
  return best;
}

std::string unknown_key_message(std::string_view key, const std::vector<std::string>& known_keys) {
  if (const auto suggestion = closest_key(key, known_keys)) {
    return fmt::format("unknown key '{}' (did you mean '{}'?)", key, *suggestion);
  }
  return fmt::format("unknown key '{}'", key);
}

}  // namespace jobhost::config
