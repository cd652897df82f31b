#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

// JSON text written directly rather than through nlohmann::json: host.get answers for
// thousands of hosts must take a few milliseconds, and the fake answers with the exact bytes
// PHP's json_encode would send.
namespace jobhost::testing::fake_zabbix {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;  // requests keep their key order, as PHP arrays do

// As PHP's json_encode(..., JSON_UNESCAPED_SLASHES) writes a string: non-ASCII as \uXXXX.
void append_quoted(std::string& out, std::string_view text);
std::string json_string(std::string_view text);

// Compact JSON text of a request value; invalid UTF-8 becomes U+FFFD instead of throwing.
std::string dump(const ojson& value);

// Zabbix answers every number of a database row as a string: "10084".
void put_number(std::string& out, std::uint64_t value);
void put_int(std::string& out, int value);

// `,"key":` or `"key":` ready to append.
std::string key_text(std::string_view key, bool first);

// Comma-separated members of one object or array.
class Members {
 public:
  explicit Members(std::string& out) : out_(out) {}
  void key(std::string_view name) {
    if (!first_) out_ += ',';
    first_ = false;
    append_quoted(out_, name);
    out_ += ':';
  }
  void string(std::string_view name, std::string_view value) {
    key(name);
    append_quoted(out_, value);
  }

 private:
  std::string& out_;
  bool first_ = true;
};

}  // namespace jobhost::testing::fake_zabbix
