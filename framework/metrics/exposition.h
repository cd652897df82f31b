// Writing the Prometheus text exposition format 0.0.4: a family's # HELP and # TYPE lines, then
// its samples, with label values and help text escaped as the format requires.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace jobhost::metrics {

// Label names and values of one sample, in the order they are written.
using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

// Backslash, double quote and line feed escaped (\\, \", \n); the rest as given.
std::string escape_label_value(std::string_view value);
// Help text: backslash and line feed escaped.
std::string escape_help(std::string_view help);
// The shortest text that reads back as the same double ("0.25", "1e-06", "+Inf", "NaN").
std::string format_double(double value);

class Exposition {
 public:
  // Starts a family; its samples follow. `type`: counter, gauge or histogram.
  void family(std::string_view name, std::string_view type, std::string_view help);
  void sample(std::string_view name, Labels labels, std::uint64_t value);
  void sample(std::string_view name, Labels labels, std::int64_t value);
  void sample(std::string_view name, Labels labels, double value);

  const std::string& text() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void line(std::string_view name, Labels labels, std::string_view value);

  std::string out_;
};

}  // namespace jobhost::metrics
