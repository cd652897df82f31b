// Printing for people (aligned tables, short lines) and for machines (JSON on stdout).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace jobhost::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  bool empty() const { return rows_.empty(); }
  std::string render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

void print_json(const nlohmann::json& j);
// "error: ..." on stderr; after set_json_errors(true) a JSON object shaped like the log's lines
// instead, so that stderr stays one JSON object per line under `--log-format json`.
void print_error(const std::string& message);
void set_json_errors(bool on);
// A time for a table cell, "-" when there is none.
std::string opt_time(const std::optional<int64_t>& micros);
// Shortens text for a table cell.
std::string ellipsize(const std::string& s, size_t max);

}  // namespace jobhost::cli
