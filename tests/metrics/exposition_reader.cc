#include "metrics/exposition_reader.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <regex>
#include <set>
#include <sstream>

namespace jobhost::testing {

namespace {

const std::regex kMetricName("[a-zA-Z_:][a-zA-Z0-9_:]*");
const std::regex kLabelName("[a-zA-Z_][a-zA-Z0-9_]*");

std::string unescape_help(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '\\' || s[i + 1] == 'n')) {
      out += s[i + 1] == 'n' ? '\n' : '\\';
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The family a sample name belongs to: itself, or a histogram's name for _bucket/_sum/_count.
std::string family_of(const std::string& name, const std::map<std::string, ExpositionFamily>& f) {
  if (f.count(name)) return name;
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string s(suffix);
    if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
      const std::string base = name.substr(0, name.size() - s.size());
      auto it = f.find(base);
      if (it != f.end() && it->second.type == "histogram") return base;
    }
  }
  return "";
}

// Parses `{a="x",b="y"}` from `pos` (at the '{'); false on a malformed set.
bool read_labels(const std::string& line, std::size_t& pos,
                 std::vector<std::pair<std::string, std::string>>& labels) {
  ++pos;  // '{'
  while (pos < line.size() && line[pos] != '}') {
    const std::size_t eq = line.find('=', pos);
    if (eq == std::string::npos) return false;
    std::string name = line.substr(pos, eq - pos);
    if (!std::regex_match(name, kLabelName)) return false;
    pos = eq + 1;
    if (pos >= line.size() || line[pos] != '"') return false;
    ++pos;
    std::string value;
    for (;; ++pos) {
      if (pos >= line.size()) return false;
      const char c = line[pos];
      if (c == '"') break;
      if (c == '\\') {
        if (pos + 1 >= line.size()) return false;
        const char e = line[++pos];
        if (e == '\\')
          value += '\\';
        else if (e == '"')
          value += '"';
        else if (e == 'n')
          value += '\n';
        else
          return false;
      } else {
        value += c;
      }
    }
    ++pos;  // closing quote
    labels.emplace_back(std::move(name), std::move(value));
    if (pos < line.size() && line[pos] == ',') ++pos;
  }
  if (pos >= line.size()) return false;
  ++pos;  // '}'
  return true;
}

double read_value(const std::string& text, bool& ok) {
  if (text == "+Inf") return HUGE_VAL;
  if (text == "-Inf") return -HUGE_VAL;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  ok = !text.empty() && end && *end == '\0';
  return v;
}

void check_histograms(ParsedExposition& e) {
  using Key = std::vector<std::pair<std::string, std::string>>;
  for (const auto& [name, family] : e.families) {
    if (family.type != "histogram") continue;
    std::map<Key, std::vector<std::pair<double, double>>> buckets;  // labels but le -> (le, n)
    for (const auto& s : e.samples) {
      if (s.name != name + "_bucket") continue;
      Key key;
      double le = 0;
      bool has_le = false;
      for (const auto& l : s.labels) {
        if (l.first == "le") {
          bool ok = true;
          le = read_value(l.second, ok);
          has_le = ok;
        } else {
          key.push_back(l);
        }
      }
      if (!has_le) e.problems.push_back(name + "_bucket without a valid le");
      buckets[key].emplace_back(le, s.value);
    }
    for (const auto& [key, list] : buckets) {
      for (std::size_t i = 1; i < list.size(); ++i) {
        if (!(list[i].first > list[i - 1].first))
          e.problems.push_back(name + ": le bounds not increasing");
        if (list[i].second < list[i - 1].second)
          e.problems.push_back(name + ": buckets not cumulative");
      }
      if (list.empty() || list.back().first != HUGE_VAL) {
        e.problems.push_back(name + ": no le=\"+Inf\" bucket");
        continue;
      }
      if (!e.has(name + "_count", key) || !e.has(name + "_sum", key))
        e.problems.push_back(name + ": a series without _sum or _count");
      else if (e.value(name + "_count", key) != list.back().second)
        e.problems.push_back(name + ": +Inf bucket differs from _count");
    }
  }
}

}  // namespace

double ParsedExposition::value(
    const std::string& name, const std::vector<std::pair<std::string, std::string>>& labels) const {
  auto wanted = labels;
  std::sort(wanted.begin(), wanted.end());
  for (const auto& s : samples) {
    if (s.name != name) continue;
    auto got = s.labels;
    std::sort(got.begin(), got.end());
    if (got == wanted) return s.value;
  }
  return 0;
}

bool ParsedExposition::has(const std::string& name,
                           const std::vector<std::pair<std::string, std::string>>& labels) const {
  auto wanted = labels;
  std::sort(wanted.begin(), wanted.end());
  return std::any_of(samples.begin(), samples.end(), [&](const ExpositionSample& s) {
    auto got = s.labels;
    std::sort(got.begin(), got.end());
    return s.name == name && got == wanted;
  });
}

ParsedExposition read_exposition(const std::string& text) {
  ParsedExposition e;
  if (!text.empty() && text.back() != '\n') e.problems.push_back("the last line has no newline");
  std::istringstream in(text);
  std::string line;
  std::set<std::string> with_samples, seen_series;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::string where = "line " + std::to_string(number) + ": ";
    if (line.empty()) continue;
    if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) {
      const bool help = line[2] == 'H';
      const std::size_t sp = line.find(' ', 7);
      const std::string name = line.substr(7, sp == std::string::npos ? sp : sp - 7);
      const std::string rest = sp == std::string::npos ? "" : line.substr(sp + 1);
      if (!std::regex_match(name, kMetricName)) e.problems.push_back(where + "bad name " + name);
      if (with_samples.count(name))
        e.problems.push_back(where + "HELP/TYPE after the samples of " + name);
      auto& f = e.families[name];
      if (help) {
        if (!f.help.empty()) e.problems.push_back(where + "second HELP for " + name);
        f.help = unescape_help(rest);
      } else {
        if (!f.type.empty()) e.problems.push_back(where + "second TYPE for " + name);
        static const std::set<std::string> kTypes = {"counter", "gauge", "histogram", "summary",
                                                     "untyped"};
        if (!kTypes.count(rest)) e.problems.push_back(where + "unknown type " + rest);
        f.type = rest;
      }
      continue;
    }
    if (line[0] == '#') continue;  // a comment
    ExpositionSample s;
    std::size_t pos = line.find_first_of("{ ");
    if (pos == std::string::npos) {
      e.problems.push_back(where + "no value: " + line);
      continue;
    }
    s.name = line.substr(0, pos);
    if (!std::regex_match(s.name, kMetricName)) e.problems.push_back(where + "bad name " + s.name);
    if (line[pos] == '{' && !read_labels(line, pos, s.labels)) {
      e.problems.push_back(where + "malformed labels: " + line);
      continue;
    }
    if (pos >= line.size() || line[pos] != ' ') {
      e.problems.push_back(where + "no space before the value: " + line);
      continue;
    }
    bool ok = true;
    s.value = read_value(line.substr(pos + 1), ok);
    if (!ok) e.problems.push_back(where + "bad value: " + line);
    const std::string family = family_of(s.name, e.families);
    if (family.empty()) {
      e.problems.push_back(where + "sample of an undeclared family: " + s.name);
    } else {
      const auto& f = e.families[family];
      if (f.help.empty() || f.type.empty())
        e.problems.push_back(where + family + " lacks its HELP or TYPE");
      with_samples.insert(family);
    }
    std::string series = s.name;
    auto sorted = s.labels;
    std::sort(sorted.begin(), sorted.end());
    for (const auto& [k, v] : sorted) series += "|" + k + "=" + v;
    if (!seen_series.insert(series).second) e.problems.push_back(where + "repeated series");
    e.samples.push_back(std::move(s));
  }
  check_histograms(e);
  return e;
}

}  // namespace jobhost::testing
