#include "schedule/cron.h"

#include <array>
#include <bit>
#include <cctype>
#include <vector>

#include "schedule/civil.h"

namespace jobhost::schedule {
namespace {

constexpr std::array<const char*, 12> kMonthNames = {"jan", "feb", "mar", "apr", "may", "jun",
                                                     "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<const char*, 7> kDayNames = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

struct Field {
  int number;        // 1-based position, for messages
  const char* name;  // "hour"
  int low;
  int high;                // highest value accepted (7 for day-of-week)
  int star_high;           // highest value `*` and `a/n` cover (6 for day-of-week)
  const char* names_hint;  // nullptr, or " or month name (jan-dec)"
};

constexpr Field kMinute{1, "minute", 0, 59, 59, nullptr};
constexpr Field kHour{2, "hour", 0, 23, 23, nullptr};
constexpr Field kDay{3, "day-of-month", 1, 31, 31, nullptr};
constexpr Field kMonth{4, "month", 1, 12, 12, " or month name (jan-dec)"};
constexpr Field kWeekday{5, "day-of-week", 0, 7, 6, " or day name (sun-sat)"};

constexpr const char* kExpected =
    "expected 5 fields: minute hour day-of-month month day-of-week, or one of @hourly, @daily, "
    "@weekly, @monthly, @yearly";

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

[[noreturn]] void fail(const Field& f, const std::string& what) {
  throw ScheduleError("cron field " + std::to_string(f.number) + " (" + f.name + "): " + what);
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string range_text(const Field& f) {
  return std::to_string(f.low) + "-" + std::to_string(f.high);
}

// A value: a number in the field's range or, for months and weekdays, a name. `range_end`: `sun`
// ending a range is 7.
int parse_value(const Field& f, std::string_view token, bool range_end) {
  if (all_digits(token)) {
    int v = 0;
    for (char c : token) {
      v = v * 10 + (c - '0');
      if (v > 9999) break;
    }
    if (v < f.low || v > f.high) {
      fail(f, std::string(token) + " is out of range " + range_text(f));
    }
    return v;
  }
  const std::string name = lower(token);
  if (&f == &kMonth) {
    for (size_t i = 0; i < kMonthNames.size(); ++i) {
      if (name == kMonthNames[i]) return static_cast<int>(i) + 1;
    }
  } else if (&f == &kWeekday) {
    for (size_t i = 0; i < kDayNames.size(); ++i) {
      if (name == kDayNames[i]) return i == 0 && range_end ? 7 : static_cast<int>(i);
    }
  }
  fail(f, "'" + std::string(token) + "' is not a number" + (f.names_hint ? f.names_hint : ""));
}

struct Parsed {
  uint64_t bits = 0;
  bool star = false;
};

Parsed parse_field(const Field& f, std::string_view text) {
  Parsed out;
  std::vector<std::string_view> items;
  for (size_t start = 0;;) {
    const size_t comma = text.find(',', start);
    items.push_back(text.substr(start, comma == std::string_view::npos ? comma : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  for (std::string_view item : items) {
    if (item.empty()) fail(f, "empty list element in '" + std::string(text) + "'");
    std::string_view base = item;
    std::string_view step_text;
    const bool has_step = item.find('/') != std::string_view::npos;
    if (const size_t slash = item.find('/'); slash != std::string_view::npos) {
      base = item.substr(0, slash);
      step_text = item.substr(slash + 1);
      if (step_text.find('/') != std::string_view::npos) {
        fail(f, "'" + std::string(item) + "' has more than one '/'");
      }
      if (base.empty()) fail(f, "'" + std::string(item) + "' needs a start before '/' (e.g. */5)");
    }
    int lo = 0, hi = 0;
    if (base == "*") {
      if (items.size() > 1) {
        fail(f, "'*' must stand alone or as '*/step', not in a list ('" + std::string(text) + "')");
      }
      out.star = true;
      lo = f.low;
      hi = f.star_high;
    } else if (const size_t dash = base.find('-'); dash != std::string_view::npos) {
      if (dash == 0 || dash + 1 == base.size()) {
        fail(f, "range '" + std::string(base) + "' needs a start and an end (e.g. 1-5)");
      }
      lo = parse_value(f, base.substr(0, dash), false);
      hi = parse_value(f, base.substr(dash + 1), true);
      if (lo > hi) {
        fail(f,
             "range '" + std::string(base) + "' is reversed (the start must not exceed the end)");
      }
    } else {
      lo = parse_value(f, base, false);
      hi = has_step ? f.star_high : lo;
      if (lo > hi) hi = lo;  // `7/2` in day-of-week: just Sunday
    }
    int step = 1;
    if (has_step) {
      const int max_step = f.star_high - f.low + 1;
      if (!all_digits(step_text)) fail(f, "step '" + std::string(step_text) + "' is not a number");
      step = 0;
      for (char c : step_text) {
        step = step * 10 + (c - '0');
        if (step > 9999) break;
      }
      if (step < 1 || step > max_step) {
        fail(f,
             "step " + std::string(step_text) + " is out of range 1-" + std::to_string(max_step));
      }
    }
    for (int v = lo; v <= hi; v += step)
      out.bits |= uint64_t{1} << (v == 7 && &f == &kWeekday ? 0 : v);
  }
  return out;
}

// Canonical text of one field.
std::string render_field(const Field& f, uint64_t bits, bool star) {
  const int high = f.star_high;
  uint64_t all = 0;
  for (int v = f.low; v <= high; ++v) all |= uint64_t{1} << v;
  // Only day-of-month and day-of-week give a leading '*' a meaning of its own (see cron.h).
  const bool minor = &f == &kMinute || &f == &kHour || &f == &kMonth;
  if ((star || minor) && bits == all) return "*";
  if (star || (minor && std::popcount(bits) >= 3)) {
    // `*/n`: every n-th value from the field's start.
    if (bits >> f.low & 1) {
      const uint64_t rest = bits & ~(uint64_t{1} << f.low);
      if (rest != 0) {
        const int step = std::countr_zero(rest) - f.low;
        uint64_t stepped = 0;
        for (int v = f.low; v <= high; v += step) stepped |= uint64_t{1} << v;
        if (stepped == bits) return "*/" + std::to_string(step);
      }
    }
  }
  // Values in order, runs of three or more as ranges; day-of-week runs Monday..Sunday (7).
  std::vector<int> values;
  if (&f == &kWeekday) {
    for (int v = 1; v <= 7; ++v) {
      if (bits >> (v % 7) & 1) values.push_back(v);
    }
  } else {
    for (int v = f.low; v <= high; ++v) {
      if (bits >> v & 1) values.push_back(v);
    }
  }
  auto name = [&](int v) -> std::string {
    if (&f == &kMonth) return kMonthNames[static_cast<size_t>(v - 1)];
    if (&f == &kWeekday) return kDayNames[static_cast<size_t>(v % 7)];
    return std::to_string(v);
  };
  std::string out;
  for (size_t i = 0; i < values.size();) {
    size_t j = i;
    while (j + 1 < values.size() && values[j + 1] == values[j] + 1) ++j;
    if (!out.empty()) out += ',';
    if (j - i >= 2) {
      out += name(values[i]) + "-" + name(values[j]);
    } else {
      out += name(values[i]);
      if (j > i) out += "," + name(values[j]);
    }
    i = j + 1;
  }
  return out;
}

std::string_view expand_macro(std::string_view text) {
  const std::string m = lower(text);
  if (m == "@yearly" || m == "@annually") return "0 0 1 1 *";
  if (m == "@monthly") return "0 0 1 * *";
  if (m == "@weekly") return "0 0 * * 0";
  if (m == "@daily" || m == "@midnight") return "0 0 * * *";
  if (m == "@hourly") return "0 * * * *";
  if (m == "@reboot") {
    throw ScheduleError("cron macro @reboot is not supported: jobhost schedules are times");
  }
  throw ScheduleError("unknown cron macro '" + std::string(text) +
                      "' (allowed: @hourly, @daily, @midnight, @weekly, @monthly, @yearly, "
                      "@annually)");
}

bool day_matches(const CronExpr& c, int64_t y, int m, int d) {
  const bool dom = c.days >> d & 1;
  const bool dow = c.weekdays >> civil::weekday_from_days(civil::days_from_civil(y, m, d)) & 1;
  if (c.days_star || c.weekdays_star) return dom && dow;
  return dom || dow;
}

// The lowest set bit at or above `from`, or -1.
int next_bit(uint64_t bits, int from) {
  if (from >= 64) return -1;
  const uint64_t rest = bits >> from << from;
  return rest == 0 ? -1 : std::countr_zero(rest);
}

}  // namespace

CronExpr parse_cron(std::string_view text) {
  std::vector<std::string_view> fields;
  for (size_t i = 0; i < text.size();) {
    if (text[i] == ' ' || text[i] == '\t') {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < text.size() && text[j] != ' ' && text[j] != '\t') ++j;
    fields.push_back(text.substr(i, j - i));
    i = j;
  }
  if (fields.empty()) throw ScheduleError(std::string("cron expression is empty; ") + kExpected);
  if (fields.size() == 1 && fields[0].front() == '@') return parse_cron(expand_macro(fields[0]));
  if (fields.size() != 5) {
    throw ScheduleError("cron expression '" + std::string(text) + "' has " +
                        std::to_string(fields.size()) + " field" + (fields.size() == 1 ? "" : "s") +
                        "; " + kExpected);
  }
  CronExpr c;
  c.minutes = parse_field(kMinute, fields[0]).bits;
  c.hours = static_cast<uint32_t>(parse_field(kHour, fields[1]).bits);
  const Parsed days = parse_field(kDay, fields[2]);
  c.days = static_cast<uint32_t>(days.bits);
  c.days_star = days.star;
  c.months = static_cast<uint16_t>(parse_field(kMonth, fields[3]).bits);
  const Parsed weekdays = parse_field(kWeekday, fields[4]);
  c.weekdays = static_cast<uint8_t>(weekdays.bits);
  c.weekdays_star = weekdays.star;
  c.text = render_field(kMinute, c.minutes, false) + " " + render_field(kHour, c.hours, false) +
           " " + render_field(kDay, c.days, c.days_star) + " " +
           render_field(kMonth, c.months, false) + " " +
           render_field(kWeekday, c.weekdays, c.weekdays_star);

  // Only the both-fields rule can be impossible: some chosen day must exist in some chosen month
  // (February counting the 29th); the weekday then comes round within a few years.
  if (c.days_star || c.weekdays_star) {
    bool possible = false;
    for (int m = 1; m <= 12 && !possible; ++m) {
      if (!(c.months >> m & 1)) continue;
      const int last = m == 2 ? 29 : civil::days_in_month(2001, m);
      possible = (c.days & ((uint64_t{1} << (last + 1)) - 2)) != 0;
    }
    if (!possible) {
      throw ScheduleError("cron expression '" + std::string(text) +
                          "' never fires: day-of-month '" + render_field(kDay, c.days, false) +
                          "' does not occur in '" + render_field(kMonth, c.months, false) + "'");
    }
  }
  return c;
}

Micros next_fire(const CronExpr& c, Micros after, const TimeZone& zone) {
  if (c.minutes == 0 || c.hours == 0 || c.days == 0 || c.months == 0 || c.weekdays == 0) {
    throw ScheduleError("cron expression '" + c.text + "' is empty");
  }
  // Walk the wall clock forward from the minute of `after`, skipping by field; the mapping from
  // wall clock to instants (gap: end of gap; repeat: first occurrence) never goes backwards, so
  // the first match whose instant lies after `after` is the answer.
  const LocalTime start = zone.to_local(after);
  int64_t y = start.year;
  int mo = start.month, d = start.day, h = start.hour, mi = start.minute;
  const int64_t last_year = y + 100;  // every valid expression fires within ~40 years
  while (y <= last_year) {
    if (!(c.months >> mo & 1)) {
      const int m = next_bit(c.months, mo + 1);
      if (m < 0) {
        ++y;
        mo = next_bit(c.months, 1);
      } else {
        mo = m;
      }
      d = 1, h = 0, mi = 0;
      continue;
    }
    if (d > civil::days_in_month(y, mo)) {
      if (++mo > 12) mo = 1, ++y;
      d = 1, h = 0, mi = 0;
      continue;
    }
    if (!day_matches(c, y, mo, d)) {
      ++d, h = 0, mi = 0;
      continue;
    }
    if (!(c.hours >> h & 1)) {
      h = next_bit(c.hours, h + 1);
      mi = 0;
      if (h < 0) {
        ++d, h = 0;
        continue;
      }
    }
    if (!(c.minutes >> mi & 1)) {
      mi = next_bit(c.minutes, mi + 1);
      if (mi < 0) {
        mi = 0;
        if (++h > 23) ++d, h = 0;
        continue;
      }
    }
    const Micros at = zone.to_utc({static_cast<int>(y), mo, d, h, mi, 0});
    if (at > after) return at;
    if (++mi > 59) {
      mi = 0;
      if (++h > 23) ++d, h = 0;
    }
  }
  throw ScheduleError("cron expression '" + c.text + "' has no fire time within 100 years after " +
                      format_time(after));
}

Micros last_fire_at_or_before(const CronExpr& c, Micros after, Micros at, const TimeZone& zone) {
  const Micros first = next_fire(c, after, zone);
  if (first > at) return after;
  if (next_fire(c, first, zone) > at) return first;  // the usual case: one fire in between
  // next_fire(t) never decreases as t grows: find the last t whose next fire is still <= at.
  Micros lo = first, hi = at;  // next_fire(lo) <= at < next_fire(hi)
  while (hi - lo > 1) {
    const Micros mid = lo + (hi - lo) / 2;
    if (next_fire(c, mid, zone) <= at) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return next_fire(c, lo, zone);
}

}  // namespace jobhost::schedule
