#include "schedule/time_zone.h"

#include <date/tz.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "schedule/civil.h"
#include "schedule/error.h"

namespace jobhost::schedule {
namespace detail {

constexpr int64_t kForever = std::numeric_limits<int64_t>::max();
constexpr int64_t kSinceEver = std::numeric_limits<int64_t>::min();
// Instants are clamped to years 1..9999 before they reach the date library.
constexpr int64_t kMinSeconds = civil::days_from_civil(1, 1, 1) * 86400;
constexpr int64_t kMaxSeconds = civil::days_from_civil(9999, 12, 31) * 86400;
// Where Debian's libdate-tz (built with USE_OS_TZDB) reads its zones from.
constexpr const char* kZoneDir = "/usr/share/zoneinfo";

// One stretch of constant UTC offset: [begin, end) in UTC seconds.
struct Segment {
  int64_t begin;
  int64_t end;
  int32_t offset;  // seconds east of UTC
};

// A POSIX TZ rule ("CET-1CEST,M3.5.0,M10.5.0/3"): how a zone continues after its last stored
// transition. The date library (3.0.1, OS database) ignores it, so it is evaluated here.
struct RuleDate {
  char kind = 'M';  // 'J': Jn (1-365, no Feb 29), 'D': n (0-365), 'M': Mm.w.d
  int month = 0, week = 0, weekday = 0, day = 0;
  int32_t time = 7200;  // local seconds after midnight; -167 h .. 167 h
};

struct PosixRule {
  int32_t std_offset = 0;  // seconds east of UTC
  int32_t dst_offset = 0;
  bool has_dst = false;
  RuleDate start, end;
};

class PosixParser {
 public:
  explicit PosixParser(std::string_view s) : s_(s) {}

  std::optional<PosixRule> parse() {
    PosixRule r;
    if (!name() || !hms(r.std_offset, 24)) return std::nullopt;
    r.std_offset = -r.std_offset;  // POSIX counts west of Greenwich
    if (done()) return r;
    if (!name()) return std::nullopt;
    r.has_dst = true;
    r.dst_offset = r.std_offset + 3600;
    if (!done() && peek() != ',') {
      if (!hms(r.dst_offset, 24)) return std::nullopt;
      r.dst_offset = -r.dst_offset;
    }
    if (done()) {  // POSIX's default rule
      r.start = {'M', 3, 2, 0, 0, 7200};
      r.end = {'M', 11, 1, 0, 0, 7200};
      return r;
    }
    if (!eat(',') || !date(r.start) || !eat(',') || !date(r.end) || !done()) return std::nullopt;
    return r;
  }

 private:
  bool done() const { return i_ >= s_.size(); }
  char peek() const { return done() ? '\0' : s_[i_]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++i_;
    return true;
  }
  bool name() {
    if (eat('<')) {
      size_t close = s_.find('>', i_);
      if (close == std::string_view::npos || close == i_) return false;
      i_ = close + 1;
      return true;
    }
    size_t start = i_;
    while (!done() && std::isalpha(static_cast<unsigned char>(peek()))) ++i_;
    return i_ - start >= 3;
  }
  bool number(int& out, int max_digits) {
    int digits = 0;
    out = 0;
    while (!done() && std::isdigit(static_cast<unsigned char>(peek())) && digits < max_digits) {
      out = out * 10 + (peek() - '0');
      ++i_;
      ++digits;
    }
    return digits > 0;
  }
  // [+-]hh[:mm[:ss]]
  bool hms(int32_t& out, int max_hours) {
    int sign = 1;
    if (eat('-')) {
      sign = -1;
    } else {
      eat('+');
    }
    int h = 0, m = 0, sec = 0;
    if (!number(h, 3) || h > max_hours) return false;
    if (eat(':')) {
      if (!number(m, 2) || m > 59) return false;
      if (eat(':') && (!number(sec, 2) || sec > 59)) return false;
    }
    out = sign * (h * 3600 + m * 60 + sec);
    return true;
  }
  bool date(RuleDate& d) {
    if (eat('J')) {
      d.kind = 'J';
      if (!number(d.day, 3) || d.day < 1 || d.day > 365) return false;
    } else if (eat('M')) {
      d.kind = 'M';
      if (!number(d.month, 2) || d.month < 1 || d.month > 12 || !eat('.')) return false;
      if (!number(d.week, 1) || d.week < 1 || d.week > 5 || !eat('.')) return false;
      if (!number(d.weekday, 1) || d.weekday > 6) return false;
    } else {
      d.kind = 'D';
      if (!number(d.day, 3) || d.day > 365) return false;
    }
    d.time = 7200;
    if (eat('/')) return hms(d.time, 167);
    return true;
  }

  std::string_view s_;
  size_t i_ = 0;
};

// The UTC second at which `d` happens in year `y`, while `offset_before` is in force.
int64_t transition(const RuleDate& d, int64_t y, int32_t offset_before) {
  int64_t day = 0;
  if (d.kind == 'J') {
    day = civil::days_from_civil(y, 1, 1) + d.day - 1 + (civil::is_leap(y) && d.day >= 60 ? 1 : 0);
  } else if (d.kind == 'D') {
    day = civil::days_from_civil(y, 1, 1) + d.day;
  } else {
    const int64_t first = civil::days_from_civil(y, d.month, 1);
    day = first + (d.weekday - civil::weekday_from_days(first) + 7) % 7 + 7 * (d.week - 1);
    while (day >= first + civil::days_in_month(y, d.month)) day -= 7;  // week 5 = the last one
  }
  return day * 86400 + d.time - offset_before;
}

Segment rule_segment(const PosixRule& r, int64_t t, int64_t from) {
  if (!r.has_dst) return {from, kForever, r.std_offset};
  struct Change {
    int64_t at;
    int32_t offset;
    int order;  // on a tie the change to daylight time wins (year-round DST rules)
  };
  std::array<Change, 6> changes{};
  const int64_t y = civil::civil_from_days(civil::floor_div(t, 86400)).year;
  size_t n = 0;
  for (int64_t yy = y - 1; yy <= y + 1; ++yy) {
    changes[n++] = {transition(r.start, yy, r.std_offset), r.dst_offset, 1};
    changes[n++] = {transition(r.end, yy, r.dst_offset), r.std_offset, 0};
  }
  std::sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) {
    return a.at != b.at ? a.at < b.at : a.order < b.order;
  });
  size_t i = 0;
  while (i + 1 < changes.size() && changes[i + 1].at <= t) ++i;
  const int64_t end = i + 1 < changes.size() ? changes[i + 1].at : kForever;
  return {std::max(changes[i].at, from), end, changes[i].offset};
}

std::optional<std::string> read_tzif_footer(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto u32 = [&](size_t at) -> uint64_t {
    uint64_t v = 0;
    for (size_t k = 0; k < 4; ++k) v = v << 8 | static_cast<unsigned char>(data[at + k]);
    return v;
  };
  // Header: "TZif", version, 15 unused bytes, then isutcnt isstdcnt leapcnt timecnt typecnt
  // charcnt.
  auto block_end = [&](size_t at, uint64_t time_size) -> std::optional<size_t> {
    if (data.size() < at + 44 || data.compare(at, 4, "TZif") != 0) return std::nullopt;
    const uint64_t isut = u32(at + 20), isstd = u32(at + 24), leap = u32(at + 28),
                   times = u32(at + 32), types = u32(at + 36), chars = u32(at + 40);
    const uint64_t end = at + 44 + times * (time_size + 1) + types * 6 + chars +
                         leap * (time_size + 4) + isstd + isut;
    if (end > data.size()) return std::nullopt;
    return static_cast<size_t>(end);
  };
  if (data.size() < 5 || data[4] < '2') return std::nullopt;  // version 1 has no footer
  auto v1_end = block_end(0, 4);
  if (!v1_end) return std::nullopt;
  auto v2_end = block_end(*v1_end, 8);
  if (!v2_end || *v2_end >= data.size() || data[*v2_end] != '\n') return std::nullopt;
  const size_t close = data.find('\n', *v2_end + 1);
  if (close == std::string::npos) return std::nullopt;
  return data.substr(*v2_end + 1, close - *v2_end - 1);
}

struct ZoneData {
  std::string name;
  const date::time_zone* zone = nullptr;  // nullptr: UTC
  std::optional<PosixRule> tail;
  int64_t tail_from = kForever;

  Segment segment_at(int64_t t) const {
    if (zone == nullptr) return {kSinceEver, kForever, 0};
    if (tail && t >= tail_from) return rule_segment(*tail, t, tail_from);
    t = std::clamp(t, kMinSeconds, kMaxSeconds);
    const auto info = zone->get_info(date::sys_seconds{std::chrono::seconds{t}});
    int64_t begin = info.begin.time_since_epoch().count();
    int64_t end = info.end.time_since_epoch().count();
    if (begin <= kMinSeconds) begin = kSinceEver;
    if (end >= kMaxSeconds) end = kForever;
    if (tail) end = std::min(end, tail_from);
    return {begin, end, static_cast<int32_t>(info.offset.count())};
  }
};

namespace {

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

size_t distance_ci(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (lower(a[i - 1]) != lower(b[j - 1]))});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string unknown_zone_message(std::string_view name) {
  std::string best;
  size_t best_distance = std::max<size_t>(2, name.size() / 5) + 1;
  for (const auto& z : date::get_tzdb().zones) {
    const size_t d = distance_ci(name, z.name());
    if (d < best_distance) {
      best_distance = d;
      best = z.name();
    }
  }
  std::string msg = "unknown time zone '" + std::string(name) + "'";
  if (!best.empty()) return msg + " (did you mean '" + best + "'?)";
  return msg + " (use an IANA name such as Europe/Berlin, America/New_York or UTC)";
}

std::unique_ptr<ZoneData> load_zone(const std::string& name) {
  try {
    date::get_tzdb();
  } catch (const std::exception& e) {
    throw ScheduleError("time zone '" + name + "': the time zone database in " + kZoneDir +
                        " cannot be read (is the tzdata package installed?): " + e.what());
  }
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(name);
  } catch (const std::exception&) {
    throw ScheduleError(unknown_zone_message(name));
  }
  auto data = std::make_unique<ZoneData>();
  data->name = name;
  data->zone = zone;
  // Continue the stored transitions with the file's POSIX rule, when it has daylight saving and
  // agrees with the last stored offset.
  const auto last = zone->get_info(date::sys_seconds{std::chrono::seconds{kMaxSeconds}});
  if (last.end.time_since_epoch().count() >= kMaxSeconds) {
    if (auto footer = read_tzif_footer(std::string(kZoneDir) + "/" + name)) {
      if (auto rule = PosixParser(*footer).parse(); rule && rule->has_dst) {
        const int64_t from = last.begin.time_since_epoch().count();
        if (rule_segment(*rule, from, from).offset == last.offset.count()) {
          data->tail = rule;
          data->tail_from = from;
        }
      }
    }
  }
  return data;
}

const ZoneData* utc_data() {
  static const ZoneData utc{"UTC", nullptr, std::nullopt, kForever};
  return &utc;
}

}  // namespace
}  // namespace detail

TimeZone::TimeZone() : data_(detail::utc_data()) {}

TimeZone TimeZone::locate(std::string_view name) {
  if (name == "UTC") return utc();
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<detail::ZoneData>, std::less<>> zones;
  std::lock_guard lock(mutex);
  auto it = zones.find(name);
  if (it == zones.end()) {
    std::string key(name);
    it = zones.emplace(key, detail::load_zone(key)).first;
  }
  return TimeZone(it->second.get());
}

const std::string& TimeZone::name() const {
  return data_->name;
}

Micros TimeZone::utc_offset(Micros at) const {
  return int64_t{data_->segment_at(civil::floor_div(at, 1000000)).offset} * 1000000;
}

LocalTime TimeZone::to_local(Micros at) const {
  const int64_t t = civil::floor_div(at, 1000000);
  const int64_t local = t + data_->segment_at(t).offset;
  const int64_t days = civil::floor_div(local, 86400);
  const int64_t secs = local - days * 86400;
  const civil::Date d = civil::civil_from_days(days);
  return {static_cast<int>(d.year),
          d.month,
          d.day,
          static_cast<int>(secs / 3600),
          static_cast<int>(secs / 60 % 60),
          static_cast<int>(secs % 60)};
}

Micros TimeZone::to_utc(const LocalTime& l) const {
  const int64_t local = civil::days_from_civil(l.year, l.month, l.day) * 86400 +
                        int64_t{l.hour} * 3600 + l.minute * 60 + l.second;
  if (data_->zone == nullptr) return local * 1000000;
  // Offsets stay within ±26 h: look at every stretch of constant offset that a UTC instant
  // within that distance of `local` can fall into.
  constexpr int64_t kReach = 27 * 3600;
  std::optional<int64_t> first;  // earliest instant showing this wall-clock time
  std::optional<int64_t> gap_end;
  std::optional<detail::Segment> prev;
  detail::Segment seg = data_->segment_at(local - kReach);
  for (int guard = 0; guard < 32; ++guard) {
    const int64_t u = local - seg.offset;
    if (seg.begin <= u && u < seg.end && (!first || u < *first)) first = u;
    if (prev && local - prev->offset >= prev->end && local - seg.offset < seg.begin && !gap_end) {
      gap_end = seg.begin;  // `local` was skipped: the clock jumped over it at seg.begin
    }
    if (seg.end == detail::kForever || seg.end > local + kReach) break;
    prev = seg;
    seg = data_->segment_at(seg.end);
  }
  if (first) return *first * 1000000;
  if (gap_end) return *gap_end * 1000000;
  return (local - data_->segment_at(local).offset) * 1000000;  // not reached for real zones
}

}  // namespace jobhost::schedule
