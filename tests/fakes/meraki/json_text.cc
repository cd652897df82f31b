#include "fakes/meraki/json_text.h"

#include <jobhost/cpp/json.hpp>

#include <charconv>
#include <cmath>

namespace jobhost::testing::fake_meraki {

void append_string(std::string& out, std::string_view text) {
  out += jobhost::json_quote(text);  // the SDK's quoting: the same escapes a plugin writes
}

void append_key(std::string& out, std::string_view key) {
  append_string(out, key);
  out += ':';
}

void append_number(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";  // what nlohmann::json writes for them too
    return;
  }
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, error == std::errc() ? end : buffer);
}

void append_strings(std::string& out, const std::vector<std::string>& values) {
  out += '[';
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    append_string(out, values[i]);
  }
  out += ']';
}

void append_extra(std::string& out, const nlohmann::json& extra) {
  if (!extra.is_object()) return;
  for (const auto& [key, value] : extra.items()) {
    out += ',';
    append_key(out, key);
    out += value.dump();
  }
}

}  // namespace jobhost::testing::fake_meraki
