#include "metrics/exposition.h"

#include <cmath>

#include <fmt/format.h>

namespace jobhost::metrics {

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string escape_help(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string format_double(double value) {
  // The spellings Prometheus (Go's ParseFloat) reads; fmt's own would be "inf" and "nan".
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

void Exposition::family(std::string_view name, std::string_view type, std::string_view help) {
  fmt::format_to(std::back_inserter(out_), "# HELP {} {}\n# TYPE {} {}\n", name, escape_help(help),
                 name, type);
}

void Exposition::sample(std::string_view name, Labels labels, std::uint64_t value) {
  line(name, labels, fmt::format("{}", value));
}

void Exposition::sample(std::string_view name, Labels labels, std::int64_t value) {
  line(name, labels, fmt::format("{}", value));
}

void Exposition::sample(std::string_view name, Labels labels, double value) {
  line(name, labels, format_double(value));
}

void Exposition::line(std::string_view name, Labels labels, std::string_view value) {
  out_ += name;
  if (labels.size() > 0) {
    out_ += '{';
    bool first = true;
    for (const auto& [label, label_value] : labels) {
      if (!first) out_ += ',';
      first = false;
      out_ += label;
      out_ += "=\"";
      out_ += escape_label_value(label_value);
      out_ += '"';
    }
    out_ += '}';
  }
  out_ += ' ';
  out_ += value;
  out_ += '\n';
}

}  // namespace jobhost::metrics
