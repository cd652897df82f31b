#include "store/row_reader.h"

#include <cstdio>

#include <soci/soci.h>

namespace jobhost::store {

std::optional<int64_t> row_int(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_integer:
      return r.get<int>(i);
    case soci::dt_long_long:
      return r.get<long long>(i);
    case soci::dt_unsigned_long_long:
      return static_cast<int64_t>(r.get<unsigned long long>(i));
    case soci::dt_double:
      return static_cast<int64_t>(r.get<double>(i));
    case soci::dt_string:
      return std::stoll(r.get<std::string>(i));
    default:
      return std::nullopt;
  }
}

std::optional<double> row_real(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  if (r.get_properties(i).get_data_type() == soci::dt_double) return r.get<double>(i);
  if (r.get_properties(i).get_data_type() == soci::dt_string)
    return std::stod(r.get<std::string>(i));
  auto v = row_int(r, i);
  return v ? std::optional<double>(static_cast<double>(*v)) : std::nullopt;
}

std::optional<std::string> row_text(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_string:
    case soci::dt_xml:
    case soci::dt_blob:
      return r.get<std::string>(i);
    case soci::dt_double: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.17g", r.get<double>(i));
      return std::string(buf);
    }
    case soci::dt_date: {
      std::tm t = r.get<std::tm>(i);
      char buf[64];
      std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &t);
      return std::string(buf);
    }
    default: {
      auto v = row_int(r, i);
      return v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt;
    }
  }
}

int64_t row_int_or(const soci::row& r, std::size_t i, int64_t fallback) {
  auto v = row_int(r, i);
  return v ? *v : fallback;
}

std::string row_text_or(const soci::row& r, std::size_t i, const std::string& fallback) {
  auto v = row_text(r, i);
  return v ? *v : fallback;
}

}  // namespace jobhost::store
