// Reading a Prometheus text exposition back in the tests, checking its format on the way:
// every sample belongs to a family declared before it with # HELP and # TYPE, names and
// labels are well formed, label values are escaped, and histograms are consistent.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace jobhost::testing {

struct ExpositionSample {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;  // unescaped, in written order
  double value = 0;
};

struct ExpositionFamily {
  std::string type;
  std::string help;  // unescaped
};

struct ParsedExposition {
  std::map<std::string, ExpositionFamily> families;
  std::vector<ExpositionSample> samples;
  std::vector<std::string> problems;  // every format violation, with its line

  // The value of the sample `name` with exactly these labels (in any order); 0 when absent, as
  // a counter that has not counted yet.
  double value(const std::string& name,
               const std::vector<std::pair<std::string, std::string>>& labels = {}) const;
  bool has(const std::string& name,
           const std::vector<std::pair<std::string, std::string>>& labels = {}) const;
};

ParsedExposition read_exposition(const std::string& text);

}  // namespace jobhost::testing
