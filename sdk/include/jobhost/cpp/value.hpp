// Conversions between C++ values and the ABI's jh_value (SQL parameters and columns,
// settings, job parameters).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "jobhost/cpp/error.hpp"
#include "jobhost/plugin_api.h"

namespace jobhost {

// JSON text, to tell JSON apart from plain text where both are strings.
struct Json {
  std::string text;
};

namespace detail {

inline jh_value make_null() {
  jh_value v{};
  v.type = JH_VALUE_NULL;
  return v;
}
inline jh_value make_int(int64_t i) {
  jh_value v{};
  v.type = JH_VALUE_INT;
  v.u.i = i;
  return v;
}
inline jh_value make_real(double r) {
  jh_value v{};
  v.type = JH_VALUE_REAL;
  v.u.r = r;
  return v;
}
inline jh_value make_text(std::string_view s) {
  jh_value v{};
  v.type = JH_VALUE_TEXT;
  v.u.text.ptr = s.data();
  v.u.text.len = s.size();
  return v;
}

// A value that can be bound as an SQL parameter. The jh_value borrows the argument's
// storage, so the argument must outlive the call (it does: binding happens within it).
inline jh_value to_value(std::nullptr_t) {
  return make_null();
}
inline jh_value to_value(bool b) {
  return make_int(b ? 1 : 0);
}
inline jh_value to_value(double d) {
  return make_real(d);
}
inline jh_value to_value(float d) {
  return make_real(d);
}
inline jh_value to_value(const char* s) {
  return s ? make_text(s) : make_null();
}
inline jh_value to_value(std::string_view s) {
  return make_text(s);
}
inline jh_value to_value(const std::string& s) {
  return make_text(s);
}
inline jh_value to_value(const Json& j) {
  jh_value v = make_text(j.text);
  v.type = JH_VALUE_JSON;
  return v;
}
template <class T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
jh_value to_value(T i) {
  return make_int(static_cast<int64_t>(i));
}
template <class T>
jh_value to_value(const std::optional<T>& o) {
  return o ? to_value(*o) : make_null();
}
inline jh_value to_value(const jh_value& v) {
  return v;
}

inline const char* type_name(int32_t type) {
  switch (type) {
    case JH_VALUE_NULL:
      return "null";
    case JH_VALUE_INT:
      return "integer";
    case JH_VALUE_REAL:
      return "number";
    case JH_VALUE_TEXT:
      return "text";
    case JH_VALUE_JSON:
      return "JSON";
  }
  return "unknown";
}

// Reads a jh_value as T; `what` names the value in the error ("parameter 'cutoff'").
template <class T>
T from_value(const jh_value& v, const std::string& what) {
  auto wrong = [&](const char* wanted) {
    return Error(what + ": expected " + wanted + ", got " + type_name(v.type), JH_INVALID_ARGUMENT);
  };
  if constexpr (std::is_same_v<T, std::string>) {
    if (v.type == JH_VALUE_TEXT || v.type == JH_VALUE_JSON)
      return std::string(v.u.text.ptr, v.u.text.len);
    if (v.type == JH_VALUE_INT) return std::to_string(v.u.i);
    if (v.type == JH_VALUE_REAL) return std::to_string(v.u.r);
    throw wrong("text");
  } else if constexpr (std::is_same_v<T, Json>) {
    if (v.type == JH_VALUE_TEXT || v.type == JH_VALUE_JSON)
      return Json{std::string(v.u.text.ptr, v.u.text.len)};
    throw wrong("JSON");
  } else if constexpr (std::is_same_v<T, bool>) {
    if (v.type == JH_VALUE_INT) return v.u.i != 0;
    throw wrong("boolean");
  } else if constexpr (std::is_integral_v<T>) {
    if (v.type == JH_VALUE_INT) return static_cast<T>(v.u.i);
    throw wrong("integer");
  } else if constexpr (std::is_floating_point_v<T>) {
    if (v.type == JH_VALUE_REAL) return static_cast<T>(v.u.r);
    if (v.type == JH_VALUE_INT) return static_cast<T>(v.u.i);
    throw wrong("number");
  } else {
    static_assert(sizeof(T) == 0,
                  "unsupported type: use std::string, Json, bool, integers or doubles");
  }
}

}  // namespace detail
}  // namespace jobhost
