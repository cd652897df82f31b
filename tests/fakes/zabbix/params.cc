#include "fakes/zabbix/params.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cmath>
#include <cstddef>

#include "fakes/zabbix/rpc_errors.h"

namespace jobhost::testing::fake_zabbix {
namespace {

// "value must be one of 0, 1, 2" / "value must be 0"
std::string one_of(std::initializer_list<int> allowed) {
  std::string text = allowed.size() == 1 ? "value must be " : "value must be one of ";
  bool first = true;
  for (int value : allowed) {
    if (!first) text += ", ";
    first = false;
    text += std::to_string(value);
  }
  return text;
}

}  // namespace

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
}

bool contains(const std::vector<std::string>& values, std::string_view value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

const ojson& empty_object() {
  static const ojson empty = ojson::object();
  return empty;
}

const ojson* member(const ojson& object, const char* name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

const ojson* given(const ojson& object, const char* name) {
  const ojson* value = member(object, name);
  return value == nullptr || value->is_null() ? nullptr : value;
}

std::optional<long long> int_value(const ojson& value) {
  if (value.is_number_unsigned()) {
    auto v = value.get<std::uint64_t>();
    if (v > static_cast<std::uint64_t>(LLONG_MAX)) return std::nullopt;
    return static_cast<long long>(v);
  }
  if (value.is_number_integer()) return value.get<long long>();
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    std::string_view digits = text;
    if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) digits.remove_prefix(1);
    if (all_digits(digits) && digits.size() < 18) return std::stoll(text);
  }
  return std::nullopt;
}

std::optional<std::uint64_t> id_value(const ojson& value) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  if (value.is_number_integer()) {
    auto v = value.get<long long>();
    if (v < 0) return std::nullopt;
    return static_cast<std::uint64_t>(v);
  }
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (all_digits(text) && text.size() <= 19) return std::stoull(text);
  }
  return std::nullopt;
}

std::optional<std::string> scalar_text(const ojson& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer() || value.is_number_unsigned()) return dump(value);
  if (value.is_number_float()) {
    double v = value.get<double>();
    if (std::floor(v) == v && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
    return dump(value);
  }
  if (value.is_boolean()) return std::string(value.get<bool>() ? "1" : "");
  return std::nullopt;
}

std::vector<std::string> scalar_list(const ojson& value) {
  std::vector<std::string> out;
  if (value.is_array() || value.is_object()) {
    for (const auto& item : value) {
      if (auto text = scalar_text(item)) out.push_back(std::move(*text));
    }
  } else if (auto text = scalar_text(value)) {
    out.push_back(std::move(*text));
  }
  return out;
}

std::vector<std::uint64_t> id_list(const ojson& value) {
  std::vector<std::uint64_t> out;
  auto add = [&out](const ojson& item) {
    if (auto id = id_value(item)) out.push_back(*id);
  };
  if (value.is_array() || value.is_object()) {
    for (const auto& item : value) add(item);
  } else {
    add(value);
  }
  return out;
}

int get_int(const ojson& value, const std::string& path) {
  auto number = int_value(value);
  if (!number) throw_params(invalid(path, "an integer is expected"));
  if (*number < INT_MIN || *number > INT_MAX) throw_params(invalid(path, "a number is too large"));
  return static_cast<int>(*number);
}

int get_int_in(const ojson& value, const std::string& path, std::initializer_list<int> allowed) {
  int number = get_int(value, path);
  if (std::find(allowed.begin(), allowed.end(), number) == allowed.end()) {
    throw_params(invalid(path, one_of(allowed)));
  }
  return number;
}

std::uint64_t get_id(const ojson& value, const std::string& path) {
  auto id = id_value(value);
  if (!id) throw_params(invalid(path, "a number is expected"));
  return *id;
}

std::string get_string(const ojson& value, const std::string& path) {
  if (!value.is_string()) throw_params(invalid(path, "a character string is expected"));
  return value.get<std::string>();
}

std::vector<const ojson*> get_objects(const ojson& value, const std::string& path) {
  std::vector<const ojson*> out;
  if (value.is_object()) {
    if (!value.empty()) out.push_back(&value);
    return out;
  }
  if (!value.is_array()) throw_params(invalid(path, "an array is expected"));
  for (std::size_t i = 0; i < value.size(); ++i) {
    const ojson& item = value[i];
    if (item.is_object()) {
      out.push_back(&item);
    } else if (item.is_array() && item.empty()) {
      out.push_back(&empty_object());  // PHP: [] and {} are the same empty array
    } else {
      throw_params(invalid(child(path, i), "an array is expected"));
    }
  }
  return out;
}

void check_fields(const ojson& object, const std::string& path,
                  std::initializer_list<std::string_view> allowed) {
  for (const auto& item : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) {
      throw_params(invalid(path, unexpected(item.key())));
    }
  }
}

}  // namespace jobhost::testing::fake_zabbix
