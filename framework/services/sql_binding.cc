#include "services/sql_binding.h"

#include <deque>
#include <stdexcept>

#include <soci/soci.h>
// SOCI includes sqlite3.h inside namespace sqlite_api.
#include <soci/sqlite3/soci-sqlite3.h>

#include "store/row_reader.h"

namespace jobhost::services {

namespace {

// Storage the statement binds to: deques keep addresses stable as values are added.
struct Bindings {
  std::deque<long long> ints;
  std::deque<double> reals;
  std::deque<std::string> texts;
  std::deque<soci::indicator> inds;
};

void check_value(const jh_value& v, uint32_t index) {
  if (v.type < JH_VALUE_NULL || v.type > JH_VALUE_JSON)
    throw std::invalid_argument("parameter " + std::to_string(index + 1) +
                                " has unknown value type " + std::to_string(v.type));
  if ((v.type == JH_VALUE_TEXT || v.type == JH_VALUE_JSON) && v.u.text.ptr == nullptr &&
      v.u.text.len != 0)
    throw std::invalid_argument("parameter " + std::to_string(index + 1) +
                                " is text with a NULL pointer");
}

std::string text_of(const jh_value& v) {
  return v.u.text.ptr ? std::string(v.u.text.ptr, v.u.text.len) : std::string();
}

// Adds one use() for `v` to the statement being built.
void bind_one(soci::details::prepare_temp_type& q, Bindings& b, const jh_value& v) {
  switch (v.type) {
    case JH_VALUE_INT:
      b.ints.push_back(v.u.i);
      b.inds.push_back(soci::i_ok);
      q, soci::use(b.ints.back(), b.inds.back());
      break;
    case JH_VALUE_REAL:
      b.reals.push_back(v.u.r);
      b.inds.push_back(soci::i_ok);
      q, soci::use(b.reals.back(), b.inds.back());
      break;
    case JH_VALUE_TEXT:
    case JH_VALUE_JSON:
      b.texts.push_back(text_of(v));
      b.inds.push_back(soci::i_ok);
      q, soci::use(b.texts.back(), b.inds.back());
      break;
    default:  // NULL: a text slot with a null indicator; both databases infer the type
      b.texts.emplace_back();
      b.inds.push_back(soci::i_null);
      q, soci::use(b.texts.back(), b.inds.back());
  }
}

Cell cell_of(const soci::row& r, std::size_t i) {
  Cell c;
  if (r.get_indicator(i) == soci::i_null) return c;
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_integer:
    case soci::dt_long_long:
    case soci::dt_unsigned_long_long:
      c.type = JH_VALUE_INT;
      c.i = store::row_int_or(r, i, 0);
      break;
    case soci::dt_double:
      c.type = JH_VALUE_REAL;
      c.r = r.get<double>(i);
      break;
    default:
      c.type = JH_VALUE_TEXT;
      c.text = store::row_text_or(r, i);
  }
  return c;
}

}  // namespace

int64_t exec_bound(soci::session& sql, const std::string& text, const jh_value* params,
                   uint32_t count) {
  Bindings b;
  soci::details::prepare_temp_type q = (sql.prepare << text);
  for (uint32_t i = 0; i < count; ++i) {
    check_value(params[i], i);
    bind_one(q, b, params[i]);
  }
  soci::statement st(q);
  st.execute(true);
  return st.get_affected_rows();
}

int64_t exec_bound_many(soci::session& sql, const std::string& text, const jh_value* params,
                        uint32_t per_row, uint32_t rows) {
  if (rows == 0) return 0;
  // Each column binds to one slot whose type is fixed by the first non-NULL value in it.
  std::vector<int32_t> column_type(per_row, JH_VALUE_NULL);
  for (uint32_t r = 0; r < rows; ++r) {
    for (uint32_t c = 0; c < per_row; ++c) {
      const jh_value& v = params[static_cast<size_t>(r) * per_row + c];
      check_value(v, c);
      int32_t t = v.type == JH_VALUE_JSON ? JH_VALUE_TEXT : v.type;
      if (t == JH_VALUE_NULL) continue;
      if (column_type[c] == JH_VALUE_NULL) {
        column_type[c] = t;
      } else if (column_type[c] != t && !(column_type[c] == JH_VALUE_REAL && t == JH_VALUE_INT)) {
        throw std::invalid_argument("row " + std::to_string(r + 1) + ", parameter " +
                                    std::to_string(c + 1) +
                                    ": every row must bind the same type in a column");
      }
    }
  }
  std::vector<long long> ints(per_row);
  std::vector<double> reals(per_row);
  std::vector<std::string> texts(per_row);
  std::vector<soci::indicator> inds(per_row, soci::i_null);
  soci::details::prepare_temp_type q = (sql.prepare << text);
  for (uint32_t c = 0; c < per_row; ++c) {
    switch (column_type[c]) {
      case JH_VALUE_INT:
        q, soci::use(ints[c], inds[c]);
        break;
      case JH_VALUE_REAL:
        q, soci::use(reals[c], inds[c]);
        break;
      default:
        q, soci::use(texts[c], inds[c]);
    }
  }
  soci::statement st(q);
  int64_t affected = 0;
  for (uint32_t r = 0; r < rows; ++r) {
    for (uint32_t c = 0; c < per_row; ++c) {
      const jh_value& v = params[static_cast<size_t>(r) * per_row + c];
      if (v.type == JH_VALUE_NULL) {
        inds[c] = soci::i_null;
        continue;
      }
      inds[c] = soci::i_ok;
      switch (column_type[c]) {
        case JH_VALUE_INT:
          ints[c] = v.u.i;
          break;
        case JH_VALUE_REAL:
          reals[c] = v.type == JH_VALUE_INT ? static_cast<double>(v.u.i) : v.u.r;
          break;
        default:
          texts[c] = text_of(v);
      }
    }
    st.execute(true);
    affected += st.get_affected_rows();
  }
  return affected;
}

namespace {

// SQLite through its own API on the session's connection (so inside the same transaction):
// SOCI types SQLite columns by their declared type, which expressions such as COUNT(*) do
// not have; sqlite3_column_type gives each value's real type.
ResultRows query_sqlite(soci::session& sql, const std::string& text, const jh_value* params,
                        uint32_t count) {
  using namespace sqlite_api;
  auto* backend = static_cast<soci::sqlite3_session_backend*>(sql.get_backend());
  sqlite3* db = backend->conn_;
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  if (sqlite3_prepare_v2(db, text.c_str(), static_cast<int>(text.size()), &stmt, &tail) !=
      SQLITE_OK)
    throw std::runtime_error(sqlite3_errmsg(db));
  struct Finalize {
    sqlite3_stmt* s;
    ~Finalize() { sqlite3_finalize(s); }
  } finalize{stmt};
  if (tail && std::string(tail).find_first_not_of(" \t\r\n;") != std::string::npos)
    throw std::invalid_argument("only one statement may be given");
  if (sqlite3_bind_parameter_count(stmt) != static_cast<int>(count))
    throw std::invalid_argument(
        "the statement has " + std::to_string(sqlite3_bind_parameter_count(stmt)) +
        " placeholders but " + std::to_string(count) + " values were given");
  for (uint32_t i = 0; i < count; ++i) {
    const jh_value& v = params[i];
    check_value(v, i);
    const int at = static_cast<int>(i) + 1;
    int rc = SQLITE_OK;
    switch (v.type) {
      case JH_VALUE_INT:
        rc = sqlite3_bind_int64(stmt, at, v.u.i);
        break;
      case JH_VALUE_REAL:
        rc = sqlite3_bind_double(stmt, at, v.u.r);
        break;
      case JH_VALUE_TEXT:
      case JH_VALUE_JSON:
        rc = sqlite3_bind_text(stmt, at, v.u.text.ptr ? v.u.text.ptr : "",
                               static_cast<int>(v.u.text.len), SQLITE_TRANSIENT);
        break;
      default:
        rc = sqlite3_bind_null(stmt, at);
    }
    if (rc != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(db));
  }
  ResultRows out;
  const int columns = sqlite3_column_count(stmt);
  for (int c = 0; c < columns; ++c) out.columns.push_back(sqlite3_column_name(stmt, c));
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    std::vector<Cell> cells(static_cast<size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      Cell& cell = cells[static_cast<size_t>(c)];
      switch (sqlite3_column_type(stmt, c)) {
        case SQLITE_INTEGER:
          cell.type = JH_VALUE_INT;
          cell.i = sqlite3_column_int64(stmt, c);
          break;
        case SQLITE_FLOAT:
          cell.type = JH_VALUE_REAL;
          cell.r = sqlite3_column_double(stmt, c);
          break;
        case SQLITE_NULL:
          break;
        default: {
          cell.type = JH_VALUE_TEXT;
          const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
          cell.text.assign(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(stmt, c)));
        }
      }
    }
    out.rows.push_back(std::move(cells));
  }
  if (rc != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db));
  return out;
}

}  // namespace

ResultRows query_bound(soci::session& sql, const std::string& text, const jh_value* params,
                       uint32_t count) {
  if (sql.get_backend_name() == "sqlite3") return query_sqlite(sql, text, params, count);
  Bindings b;
  soci::details::prepare_temp_type q = (sql.prepare << text);
  for (uint32_t i = 0; i < count; ++i) {
    check_value(params[i], i);
    bind_one(q, b, params[i]);
  }
  ResultRows out;
  soci::rowset<soci::row> rows(q);
  bool first = true;
  for (const auto& r : rows) {
    if (first) {
      for (std::size_t i = 0; i < r.size(); ++i)
        out.columns.push_back(r.get_properties(i).get_name());
      first = false;
    }
    std::vector<Cell> cells;
    cells.reserve(r.size());
    for (std::size_t i = 0; i < r.size(); ++i) cells.push_back(cell_of(r, i));
    out.rows.push_back(std::move(cells));
  }
  return out;
}

}  // namespace jobhost::services
