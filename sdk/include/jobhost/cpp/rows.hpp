// Rows: the RAII owner of a query result (released when it goes out of scope).
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "jobhost/cpp/error.hpp"
#include "jobhost/cpp/value.hpp"
#include "jobhost/plugin_api.h"

namespace jobhost {

class Rows {
 public:
  Rows(const jh_host_api_v1* api, jh_rows* rows) : api_(api), rows_(rows) {}
  Rows(Rows&& o) noexcept : api_(o.api_), rows_(std::exchange(o.rows_, nullptr)) {}
  Rows& operator=(Rows&& o) noexcept {
    if (this != &o) {
      reset();
      api_ = o.api_;
      rows_ = std::exchange(o.rows_, nullptr);
    }
    return *this;
  }
  Rows(const Rows&) = delete;
  Rows& operator=(const Rows&) = delete;
  ~Rows() { reset(); }

  // Moves to the next row; false at the end.
  bool next() { return api_->rows_next(rows_) != 0; }
  uint32_t column_count() const { return api_->rows_column_count(rows_); }
  std::string column_name(uint32_t column) const {
    const char* n = api_->rows_column_name(rows_, column);
    return n ? n : "";
  }

  jh_value raw(uint32_t column) const {
    jh_value v{};
    if (api_->rows_get(rows_, column, &v) != JH_OK)
      throw Error("column " + std::to_string(column) + " out of range", JH_NOT_FOUND);
    return v;
  }
  bool is_null(uint32_t column) const { return raw(column).type == JH_VALUE_NULL; }

  // The column of the current row as T; std::optional<T> reads NULL as nullopt.
  template <class T>
  T get(uint32_t column) const {
    return Reader<T>::read(raw(column), "column '" + column_name(column) + "'");
  }

 private:
  template <class T>
  struct Reader {
    static T read(const jh_value& v, const std::string& what) {
      if (v.type == JH_VALUE_NULL) throw Error(what + " is NULL", JH_INVALID_ARGUMENT);
      return detail::from_value<T>(v, what);
    }
  };
  template <class T>
  struct Reader<std::optional<T>> {
    static std::optional<T> read(const jh_value& v, const std::string& what) {
      if (v.type == JH_VALUE_NULL) return std::nullopt;
      return detail::from_value<T>(v, what);
    }
  };

  void reset() {
    if (rows_) api_->rows_release(rows_);
    rows_ = nullptr;
  }

  const jh_host_api_v1* api_;
  jh_rows* rows_;
};

}  // namespace jobhost
