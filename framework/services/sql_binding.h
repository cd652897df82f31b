// SQL with bound parameters for plugins: jh_value arrays bound positionally to a SOCI
// statement (never spliced into the text), and query results held for stepping.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "jobhost/plugin_api.h"

namespace soci {
class session;
}

namespace jobhost::services {

// One column value of a result row.
struct Cell {
  int32_t type = JH_VALUE_NULL;
  int64_t i = 0;
  double r = 0;
  std::string text;
};

// A materialized query result, what a jh_rows* points to.
struct ResultRows {
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;
  size_t next = 0;  // index of the row rows_next will make current
  bool has_current = false;
  const std::vector<Cell>& current() const { return rows[next - 1]; }
};

// Throw std::exception (soci_error, std::invalid_argument) with the database's message.
int64_t exec_bound(soci::session& sql, const std::string& text, const jh_value* params,
                   uint32_t count);
int64_t exec_bound_many(soci::session& sql, const std::string& text, const jh_value* params,
                        uint32_t per_row, uint32_t rows);
ResultRows query_bound(soci::session& sql, const std::string& text, const jh_value* params,
                       uint32_t count);

}  // namespace jobhost::services
