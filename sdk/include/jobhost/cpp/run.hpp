// Run: the services of one job run (parameters, SQL in the run's transaction, events,
// progress, cancellation, the job's output).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jobhost/cpp/context.hpp"
#include "jobhost/cpp/rows.hpp"
#include "jobhost/cpp/value.hpp"

namespace jobhost {

// Optional parts of an event; message and level are given to Run::event directly.
struct EventData {
  std::string data;       // JSON
  std::string pre_data;   // JSON: state before
  std::string post_data;  // JSON: state after
  std::string signal_id;
};

class Run : public Context {
 public:
  using Context::Context;

  int64_t job_id() const { return api()->job_id(raw()); }
  int attempt() const { return api()->job_attempt(raw()); }
  std::string key() const { return api()->job_key(raw()); }
  std::string params_json() const { return api()->params_json(raw()); }

  // A parameter, validated by the host against the job type's schema; std::optional<T>
  // for one that may be absent.
  template <class T>
  T param(const std::string& name) const {
    if constexpr (is_optional<T>::value) {
      jh_value v{};
      jh_status s = api()->param_get(raw(), name.c_str(), &v);
      if (s == JH_NOT_FOUND || (s == JH_OK && v.type == JH_VALUE_NULL)) return std::nullopt;
      check(s);
      return detail::from_value<typename T::value_type>(v, "parameter '" + name + "'");
    } else {
      jh_value v{};
      check(api()->param_get(raw(), name.c_str(), &v));
      return detail::from_value<T>(v, "parameter '" + name + "'");
    }
  }

  bool cancelled() const { return api()->cancelled(raw()) != 0; }
  void throw_if_cancelled() const {
    if (cancelled()) throw Cancelled();
  }
  void progress(int64_t done, int64_t total, const std::string& message = {}) const {
    api()->progress(raw(), done, total, message.empty() ? nullptr : message.c_str());
  }

  // Adds an event to the event log, in the run's transaction.
  void event(const std::string& message, const EventData& extra = {},
             Level level = Level::info) const {
    jh_event_v1 e{};
    e.message = message.c_str();
    e.level = static_cast<int32_t>(level);
    e.data_json = opt(extra.data);
    e.pre_data_json = opt(extra.pre_data);
    e.post_data_json = opt(extra.post_data);
    e.signal_id = opt(extra.signal_id);
    check(api()->event_emit(raw(), &e, sizeof e));
  }

  // The job's data besides its result (see Result): kept when the run ends.
  void data(std::string json) { output_.data = std::move(json); }
  void pre_data(std::string json) { output_.pre_data = std::move(json); }
  void post_data(std::string json) { output_.post_data = std::move(json); }
  void signal_id(std::string id) { output_.signal_id = std::move(id); }
  const EventData& output() const { return output_; }

  // ---- SQL, inside the run's transaction ----
  std::string dialect() const { return api()->sql_dialect(raw()); }

  // Executes one statement; arguments bind to :name / :1 placeholders in order.
  template <class... A>
  int64_t exec(const std::string& sql, const A&... args) const {
    std::array<jh_value, sizeof...(A)> params{detail::to_value(args)...};
    int64_t affected = 0;
    check(api()->sql_exec(raw(), sql.c_str(), params.data(), static_cast<uint32_t>(sizeof...(A)),
                          &affected));
    return affected;
  }

  // Executes one statement once per row of `rows` (each row the same width), prepared once.
  int64_t exec_many(const std::string& sql, const std::vector<std::vector<jh_value>>& rows) const {
    if (rows.empty()) return 0;
    const size_t width = rows.front().size();
    std::vector<jh_value> flat;
    flat.reserve(width * rows.size());
    for (const auto& r : rows) {
      if (r.size() != width) throw Error("exec_many: rows differ in width", JH_INVALID_ARGUMENT);
      flat.insert(flat.end(), r.begin(), r.end());
    }
    int64_t affected = 0;
    check(api()->sql_exec_many(raw(), sql.c_str(), flat.data(), static_cast<uint32_t>(width),
                               static_cast<uint32_t>(rows.size()), &affected));
    return affected;
  }

  template <class... A>
  Rows query(const std::string& sql, const A&... args) const {
    std::array<jh_value, sizeof...(A)> params{detail::to_value(args)...};
    jh_rows* rows = nullptr;
    check(api()->sql_query(raw(), sql.c_str(), params.data(), static_cast<uint32_t>(sizeof...(A)),
                           &rows));
    return Rows(api(), rows);
  }

  // Helper to build one row for exec_many: Run::row(a, b, c).
  template <class... A>
  static std::vector<jh_value> row(const A&... args) {
    return {detail::to_value(args)...};
  }

 private:
  template <class T>
  struct is_optional : std::false_type {};
  template <class T>
  struct is_optional<std::optional<T>> : std::true_type {};

  static const char* opt(const std::string& s) { return s.empty() ? nullptr : s.c_str(); }

  EventData output_;
};

}  // namespace jobhost
