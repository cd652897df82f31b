#include "schedule/spec.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "schedule/time_zone.h"

namespace jobhost::schedule {
namespace {

constexpr Micros kSecond = 1000000;
constexpr Micros kMaxDuration = 3650 * 86400 * kSecond;

constexpr const char* kScheduleForms =
    "'every <duration>' (e.g. every 30m) or 'cron <expression>' (e.g. cron */15 * * * *)";

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < s.size();) {
    if (is_space(s[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < s.size() && !is_space(s[j])) ++j;
    out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

void check_jitter(Micros jitter) {
  if (jitter < 0) throw ScheduleError("jitter must not be negative");
  if (jitter % kSecond != 0) throw ScheduleError("jitter must be a whole number of seconds");
  if (jitter > kMaxDuration) throw ScheduleError("jitter must be at most 3650d");
}

// The options after the interval or cron expression: "in <zone>" and "jitter <duration>".
struct Options {
  std::string_view zone;
  bool has_zone = false;
  Micros jitter = 0;
  bool has_jitter = false;
};

Options parse_options(const std::vector<std::string_view>& w, size_t i, std::string_view head,
                      bool zone_allowed) {
  Options o;
  for (; i < w.size(); i += 2) {
    const std::string key = lower(w[i]);
    if (key != "jitter" && (key != "in" || !zone_allowed)) {
      throw ScheduleError("unexpected '" + std::string(w[i]) + "' after '" + std::string(head) +
                          (zone_allowed ? "' (allowed: in <time zone>, jitter <duration>)"
                                        : "' (allowed: jitter <duration>)"));
    }
    bool& seen = key == "in" ? o.has_zone : o.has_jitter;
    if (seen) throw ScheduleError("'" + key + "' is given twice");
    seen = true;
    if (i + 1 >= w.size()) {
      throw ScheduleError(key == "in"
                              ? "'in' must be followed by a time zone (e.g. in Europe/Berlin)"
                              : "'jitter' must be followed by a duration (e.g. jitter 30s)");
    }
    if (key == "in") {
      o.zone = w[i + 1];
    } else {
      o.jitter = parse_duration(w[i + 1], "jitter");
    }
  }
  return o;
}

}  // namespace

Micros parse_duration(std::string_view text, std::string_view field_name) {
  const std::string field(field_name);
  const std::string_view t = trim(text);
  const std::string quoted = "'" + std::string(t) + "'";
  if (t.empty()) {
    throw ScheduleError(field + ": a duration is required (a number with a unit d, h, m or s, " +
                        "e.g. 30m or 1h30m)");
  }
  size_t i = 0;
  int last_rank = -1;
  Micros total = 0;
  while (i < t.size()) {
    size_t j = i;
    Micros n = 0;
    while (j < t.size() && t[j] >= '0' && t[j] <= '9') {
      n = n * 10 + (t[j] - '0');
      if (n > kMaxDuration) n = kMaxDuration + 1;  // too long either way; avoids overflow
      ++j;
    }
    if (j == i) {
      throw ScheduleError(field + ": " + quoted + " is not a duration (a number with a unit d, " +
                          "h, m or s, e.g. 30m or 1h30m)");
    }
    if (j == t.size()) {
      if (i == 0) {
        throw ScheduleError(field + ": " + quoted + " needs a unit: d, h, m or s (e.g. " +
                            std::string(t) + "s)");
      }
      throw ScheduleError(field + ": " + quoted + " ends without a unit (allowed: d, h, m, s)");
    }
    size_t k = j;
    while (k < t.size() && !(t[k] >= '0' && t[k] <= '9')) ++k;
    const std::string_view unit = t.substr(j, k - j);
    int rank = -1;
    Micros scale = 0;
    if (unit == "d") {
      rank = 0, scale = 86400 * kSecond;
    } else if (unit == "h") {
      rank = 1, scale = 3600 * kSecond;
    } else if (unit == "m") {
      rank = 2, scale = 60 * kSecond;
    } else if (unit == "s") {
      rank = 3, scale = kSecond;
    } else if (std::any_of(unit.begin(), unit.end(),
                           [](char c) { return !std::isalpha(static_cast<unsigned char>(c)); })) {
      throw ScheduleError(field + ": " + quoted + " is not a duration (a number with a unit d, " +
                          "h, m or s, e.g. 30m or 1h30m)");
    } else {
      throw ScheduleError(field + ": unknown unit '" + std::string(unit) + "' in " + quoted +
                          " (allowed: d, h, m, s)");
    }
    if (rank <= last_rank) {
      throw ScheduleError(field + ": " + quoted +
                          " must list each unit once, largest first (e.g. 1h30m)");
    }
    last_rank = rank;
    if (n > kMaxDuration / scale) n = kMaxDuration / scale + 1;
    total += n * scale;
    if (total > kMaxDuration) {
      throw ScheduleError(field + ": " + quoted + " is too long (at most 3650d)");
    }
    i = k;
  }
  return total;
}

std::string duration_text(Micros d) {
  int64_t s = d / kSecond;
  if (s <= 0) return "0s";
  std::string out;
  for (auto [unit, size] : {std::pair{'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}}) {
    if (s >= size) {
      out += std::to_string(s / size) + unit;
      s %= size;
    }
  }
  return out;
}

ScheduleSpec interval_schedule(Micros every, Micros jitter) {
  if (every < kSecond) throw ScheduleError("interval must be at least 1s");
  if (every % kSecond != 0) throw ScheduleError("interval must be a whole number of seconds");
  if (every > kMaxDuration) throw ScheduleError("interval must be at most 3650d");
  check_jitter(jitter);
  if (jitter > every) {
    throw ScheduleError("jitter (" + duration_text(jitter) + ") must not exceed the interval (" +
                        duration_text(every) + ")");
  }
  ScheduleSpec s;
  s.kind = ScheduleSpec::Kind::interval;
  s.interval = every;
  s.jitter = jitter;
  s.text = "every " + duration_text(every);
  if (jitter > 0) s.text += " jitter " + duration_text(jitter);
  return s;
}

ScheduleSpec cron_schedule(std::string_view expression, std::string_view time_zone, Micros jitter) {
  ScheduleSpec s;
  s.kind = ScheduleSpec::Kind::cron;
  s.cron = parse_cron(expression);
  const std::string_view zone = trim(time_zone);
  if (zone.empty()) {
    throw ScheduleError(
        "time zone must not be empty (use UTC or an IANA name such as "
        "Europe/Berlin)");
  }
  s.time_zone = TimeZone::locate(zone).name();
  check_jitter(jitter);
  s.jitter = jitter;
  s.text = "cron " + s.cron.text;
  if (s.time_zone != "UTC") s.text += " in " + s.time_zone;
  if (jitter > 0) s.text += " jitter " + duration_text(jitter);
  return s;
}

ScheduleSpec parse_schedule(std::string_view text) {
  const std::vector<std::string_view> w = words(text);
  if (w.empty()) throw ScheduleError(std::string("schedule is empty; expected ") + kScheduleForms);
  const std::string kind = lower(w[0]);
  if (kind == "every") {
    if (w.size() < 2) {
      throw ScheduleError("every: a duration is required (e.g. every 30m, every 1h30m)");
    }
    const std::string head = "every " + std::string(w[1]);
    for (size_t i = 2; i < w.size(); i += 2) {
      if (lower(w[i]) == "in") {
        throw ScheduleError(
            "every: a time zone does not apply to fixed intervals (they are UTC "
            "arithmetic); use a cron schedule for wall-clock times");
      }
    }
    const Micros every = parse_duration(w[1], "every");
    const Options o = parse_options(w, 2, head, false);
    return interval_schedule(every, o.jitter);
  }
  if (kind == "cron") {
    size_t end = 1;
    while (end < w.size() && lower(w[end]) != "in" && lower(w[end]) != "jitter") ++end;
    if (end == 1) throw ScheduleError("cron: an expression is required (e.g. cron */15 * * * *)");
    std::string expression;
    for (size_t i = 1; i < end; ++i) {
      if (i > 1) expression += ' ';
      expression += w[i];
    }
    const Options o = parse_options(w, end, "cron " + expression, true);
    return cron_schedule(expression, o.has_zone ? o.zone : "UTC", o.jitter);
  }
  std::string msg = "schedule '" + std::string(trim(text)) + "' must start with " + kScheduleForms;
  if (w.size() == 5 || w[0].front() == '@')
    msg += "; did you mean 'cron " + std::string(trim(text)) + "'?";
  throw ScheduleError(msg);
}

}  // namespace jobhost::schedule
