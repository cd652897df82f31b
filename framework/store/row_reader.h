// Reading soci::row columns whatever type the backend reports for them (SQLite reports by
// declared type: INTEGER as int, BIGINT as long long; PostgreSQL by OID).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace soci {
class row;
}

namespace jobhost::store {

std::optional<int64_t> row_int(const soci::row& r, std::size_t i);
std::optional<double> row_real(const soci::row& r, std::size_t i);
std::optional<std::string> row_text(const soci::row& r, std::size_t i);
int64_t row_int_or(const soci::row& r, std::size_t i, int64_t fallback);
std::string row_text_or(const soci::row& r, std::size_t i, const std::string& fallback = "");

}  // namespace jobhost::store
