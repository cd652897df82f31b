// Just enough JSON writing for results and events without a JSON library: quoting and a
// flat object builder. Plugins with richer needs bring their own JSON library.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <type_traits>

namespace jobhost {

// `s` as a JSON string literal, quotes included.
inline std::string json_quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

// JsonObject().add("who", who).add("times", 3).str() == {"who":"...","times":3}
class JsonObject {
 public:
  template <class T>
  JsonObject& add(std::string_view key, const T& value) {
    text_ += text_.size() > 1 ? "," : "";
    text_ += json_quote(key);
    text_ += ':';
    if constexpr (std::is_same_v<T, bool>) {
      text_ += value ? "true" : "false";
    } else if constexpr (std::is_arithmetic_v<T>) {
      text_ += std::to_string(value);
    } else {
      text_ += json_quote(value);
    }
    return *this;
  }
  // Adds a value that already is JSON text (an object, an array).
  JsonObject& add_raw(std::string_view key, std::string_view json) {
    text_ += text_.size() > 1 ? "," : "";
    text_ += json_quote(key);
    text_ += ':';
    text_ += json;
    return *this;
  }
  std::string str() const { return text_ + "}"; }

 private:
  std::string text_ = "{";
};

}  // namespace jobhost
