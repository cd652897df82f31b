#include "cli/output.h"

#include <algorithm>
#include <atomic>
#include <iostream>

#include <nlohmann/json.hpp>

#include "core/time.h"

namespace jobhost::cli {

std::string Table::render() const {
  std::vector<size_t> width(headers_.size());
  for (size_t i = 0; i < headers_.size(); ++i) width[i] = headers_[i].size();
  for (const auto& r : rows_)
    for (size_t i = 0; i < r.size() && i < width.size(); ++i)
      width[i] = std::max(width[i], r[i].size());
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    std::string l;
    for (size_t i = 0; i < width.size(); ++i) {
      const std::string cell = i < cells.size() ? cells[i] : "";
      l += cell;
      if (i + 1 < width.size()) l += std::string(width[i] - cell.size() + 2, ' ');
    }
    while (!l.empty() && l.back() == ' ') l.pop_back();
    out += l + "\n";
  };
  line(headers_);
  for (const auto& r : rows_) line(r);
  return out;
}

void print_json(const nlohmann::json& j) {
  std::cout << j.dump(2) << std::endl;
}

namespace {
std::atomic<bool> json_errors{false};
}  // namespace

void set_json_errors(bool on) {
  json_errors.store(on);
}

void print_error(const std::string& message) {
  if (!json_errors.load()) {
    std::cerr << "error: " << message << std::endl;
    return;
  }
  const nlohmann::json line = {{"time", format_time(now_micros())},
                               {"level", "error"},
                               {"logger", "jobhost"},
                               {"message", message}};
  std::cerr << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
}

std::string opt_time(const std::optional<int64_t>& micros) {
  return micros ? format_time(*micros) : "-";
}

std::string ellipsize(const std::string& s, size_t max) {
  std::string one_line = s;
  std::replace(one_line.begin(), one_line.end(), '\n', ' ');
  if (one_line.size() <= max) return one_line;
  return one_line.substr(0, max > 3 ? max - 3 : 0) + "...";
}

}  // namespace jobhost::cli
