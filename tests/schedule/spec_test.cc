// Schedule texts ("every 30m", "cron 0 3 * * mon-fri in Europe/Berlin"), the YAML helpers, and
// every error message.
#include <gtest/gtest.h>

#include "schedule/spec.h"
#include "schedule_test_util.h"

namespace jobhost::schedule {
namespace {

using testing::error_of;
using testing::kDay;
using testing::kHour;
using testing::kMin;
using testing::kSec;
using Kind = ScheduleSpec::Kind;

TEST(ParseSchedule, Intervals) {
  struct Case {
    const char* text;
    Micros interval;
    const char* canonical;
  };
  for (const Case& c :
       {Case{"every 30m", 30 * kMin, "every 30m"}, Case{"every 300s", 300 * kSec, "every 5m"},
        Case{"every 2h", 2 * kHour, "every 2h"}, Case{"every 1d", kDay, "every 1d"},
        Case{"every 1h30m", 90 * kMin, "every 1h30m"}, Case{"every 90m", 90 * kMin, "every 1h30m"},
        Case{"every 1d2h3m4s", kDay + 2 * kHour + 3 * kMin + 4 * kSec, "every 1d2h3m4s"},
        Case{"every 86400s", kDay, "every 1d"}, Case{"every 1s", kSec, "every 1s"},
        Case{"  EVERY\t30m  ", 30 * kMin, "every 30m"}}) {
    const ScheduleSpec s = parse_schedule(c.text);
    EXPECT_EQ(s.kind, Kind::interval) << c.text;
    EXPECT_EQ(s.interval, c.interval) << c.text;
    EXPECT_EQ(s.time_zone, "UTC") << c.text;
    EXPECT_EQ(s.jitter, 0) << c.text;
    EXPECT_EQ(s.text, c.canonical) << c.text;
    EXPECT_EQ(parse_schedule(s.text), s) << c.text;
  }
  const ScheduleSpec j = parse_schedule("every 30m jitter 10s");
  EXPECT_EQ(j.jitter, 10 * kSec);
  EXPECT_EQ(j.text, "every 30m jitter 10s");
  EXPECT_EQ(parse_schedule("every 5m jitter 5m").jitter, 5 * kMin);
  EXPECT_EQ(parse_schedule("every 5m jitter 0s").text, "every 5m");
}

TEST(ParseSchedule, Cron) {
  const ScheduleSpec s = parse_schedule("cron */15 * * * *");
  EXPECT_EQ(s.kind, Kind::cron);
  EXPECT_EQ(s.cron, parse_cron("*/15 * * * *"));
  EXPECT_EQ(s.time_zone, "UTC");
  EXPECT_EQ(s.text, "cron */15 * * * *");

  const ScheduleSpec b = parse_schedule("cron 0 3 * * 1-5 in Europe/Berlin");
  EXPECT_EQ(b.time_zone, "Europe/Berlin");
  EXPECT_EQ(b.text, "cron 0 3 * * mon-fri in Europe/Berlin");

  struct Case {
    const char* text;
    const char* canonical;
  };
  for (const Case& c :
       {Case{"cron 0 3 * * mon-fri", "cron 0 3 * * mon-fri"},
        Case{"cron @daily in Asia/Kolkata jitter 5m", "cron 0 0 * * * in Asia/Kolkata jitter 5m"},
        Case{"cron 0 3 * * * jitter 5m in Europe/Berlin",
             "cron 0 3 * * * in Europe/Berlin jitter 5m"},
        Case{"CRON 0 3 * * * IN Europe/Berlin", "cron 0 3 * * * in Europe/Berlin"},
        Case{"cron 0 3 * * * in UTC", "cron 0 3 * * *"},
        Case{"cron @hourly jitter 10m", "cron 0 * * * * jitter 10m"},
        Case{"cron 0 0 29 2 * in Australia/Lord_Howe",
             "cron 0 0 29 feb * in Australia/Lord_Howe"}}) {
    const ScheduleSpec spec = parse_schedule(c.text);
    EXPECT_EQ(spec.text, c.canonical) << c.text;
    EXPECT_EQ(parse_schedule(spec.text), spec) << c.text;
  }
}

TEST(ParseSchedule, SameMeaningSameText) {
  EXPECT_EQ(parse_schedule("every 300s"), parse_schedule("every 5m"));
  EXPECT_EQ(parse_schedule("cron 0 3 * * 1-5"), parse_schedule("cron 0 3 * * MON-FRI"));
  EXPECT_EQ(parse_schedule("cron @daily"), parse_schedule("cron 0 0 * * *"));
  EXPECT_NE(parse_schedule("cron 0 3 * * *"), parse_schedule("cron 0 3 * * * in Europe/Berlin"));
}

TEST(ParseSchedule, Errors) {
  auto err = [](const char* text) { return error_of([&] { parse_schedule(text); }); };
  EXPECT_EQ(err(""),
            "schedule is empty; expected 'every <duration>' (e.g. every 30m) or 'cron "
            "<expression>' (e.g. cron */15 * * * *)");
  EXPECT_EQ(err("sometimes"),
            "schedule 'sometimes' must start with 'every <duration>' (e.g. every 30m) or 'cron "
            "<expression>' (e.g. cron */15 * * * *)");
  EXPECT_EQ(err("*/15 * * * *"),
            "schedule '*/15 * * * *' must start with 'every <duration>' (e.g. every 30m) or 'cron "
            "<expression>' (e.g. cron */15 * * * *); did you mean 'cron */15 * * * *'?");
  EXPECT_EQ(err("@daily"),
            "schedule '@daily' must start with 'every <duration>' (e.g. every 30m) or 'cron "
            "<expression>' (e.g. cron */15 * * * *); did you mean 'cron @daily'?");
  EXPECT_EQ(err("every"), "every: a duration is required (e.g. every 30m, every 1h30m)");
  EXPECT_EQ(err("every 0s"), "interval must be at least 1s");
  EXPECT_EQ(err("every 0m"), "interval must be at least 1s");
  EXPECT_EQ(err("every 30x"), "every: unknown unit 'x' in '30x' (allowed: d, h, m, s)");
  EXPECT_EQ(err("every 30min"), "every: unknown unit 'min' in '30min' (allowed: d, h, m, s)");
  EXPECT_EQ(err("every 30M"), "every: unknown unit 'M' in '30M' (allowed: d, h, m, s)");
  EXPECT_EQ(err("every 300"), "every: '300' needs a unit: d, h, m or s (e.g. 300s)");
  EXPECT_EQ(err("every 30m1h"),
            "every: '30m1h' must list each unit once, largest first (e.g. 1h30m)");
  EXPECT_EQ(err("every 1m1m"),
            "every: '1m1m' must list each unit once, largest first (e.g. 1h30m)");
  EXPECT_EQ(err("every 1h30"), "every: '1h30' ends without a unit (allowed: d, h, m, s)");
  EXPECT_EQ(err("every 1.5h"),
            "every: '1.5h' is not a duration (a number with a unit d, h, m or s, e.g. 30m or "
            "1h30m)");
  EXPECT_EQ(err("every -5m"),
            "every: '-5m' is not a duration (a number with a unit d, h, m or s, e.g. 30m or "
            "1h30m)");
  EXPECT_EQ(err("every h"),
            "every: 'h' is not a duration (a number with a unit d, h, m or s, e.g. 30m or 1h30m)");
  EXPECT_EQ(err("every 3651d"), "every: '3651d' is too long (at most 3650d)");
  EXPECT_EQ(err("every 99999999999999999999999s"),
            "every: '99999999999999999999999s' is too long (at most 3650d)");
  EXPECT_EQ(err("every 30m in Europe/Berlin"),
            "every: a time zone does not apply to fixed intervals (they are UTC arithmetic); use a "
            "cron schedule for wall-clock times");
  EXPECT_EQ(err("every 5m jitter 10m"), "jitter (10m) must not exceed the interval (5m)");
  EXPECT_EQ(err("every 5m jitter"), "'jitter' must be followed by a duration (e.g. jitter 30s)");
  EXPECT_EQ(err("every 5m jitter 1m jitter 2m"), "'jitter' is given twice");
  EXPECT_EQ(err("every 5m jitter 10x"), "jitter: unknown unit 'x' in '10x' (allowed: d, h, m, s)");
  EXPECT_EQ(err("every 5m sometimes"),
            "unexpected 'sometimes' after 'every 5m' (allowed: jitter <duration>)");
  EXPECT_EQ(err("cron"), "cron: an expression is required (e.g. cron */15 * * * *)");
  EXPECT_EQ(err("cron in Europe/Berlin"),
            "cron: an expression is required (e.g. cron */15 * * * *)");
  EXPECT_EQ(err("cron 0 25 * * *"), "cron field 2 (hour): 25 is out of range 0-23");
  EXPECT_EQ(err("cron 0 0 30 2 *"),
            "cron expression '0 0 30 2 *' never fires: day-of-month '30' does not occur in 'feb'");
  EXPECT_EQ(err("cron 0 3 * * * in Europe/Berln"),
            "unknown time zone 'Europe/Berln' (did you mean 'Europe/Berlin'?)");
  EXPECT_EQ(err("cron 0 3 * * * in"),
            "'in' must be followed by a time zone (e.g. in Europe/Berlin)");
  EXPECT_EQ(err("cron 0 3 * * * in Europe/Berlin in UTC"), "'in' is given twice");
  EXPECT_EQ(err("cron 0 3 * * * in Europe/Berlin daily"),
            "unexpected 'daily' after 'cron 0 3 * * *' (allowed: in <time zone>, jitter "
            "<duration>)");
}

TEST(ParseDuration, YamlValues) {
  EXPECT_EQ(parse_duration("30m", "every"), 30 * kMin);
  EXPECT_EQ(parse_duration(" 300s ", "every"), 300 * kSec);
  EXPECT_EQ(parse_duration("10s", "jitter"), 10 * kSec);
  EXPECT_EQ(parse_duration("0s", "jitter"), 0);
  EXPECT_EQ(parse_duration("3650d"), 3650 * kDay);
  EXPECT_EQ(error_of([] { parse_duration("", "every"); }),
            "every: a duration is required (a number with a unit d, h, m or s, e.g. 30m or 1h30m)");
  EXPECT_EQ(error_of([] { parse_duration("10", "jitter"); }),
            "jitter: '10' needs a unit: d, h, m or s (e.g. 10s)");
  EXPECT_EQ(error_of([] { parse_duration("1h 30m", "every"); }),
            "every: '1h 30m' is not a duration (a number with a unit d, h, m or s, e.g. 30m or "
            "1h30m)");
  EXPECT_EQ(error_of([] { parse_duration("5y"); }),
            "duration: unknown unit 'y' in '5y' (allowed: d, h, m, s)");
}

TEST(DurationText, Canonical) {
  EXPECT_EQ(duration_text(0), "0s");
  EXPECT_EQ(duration_text(59 * kSec), "59s");
  EXPECT_EQ(duration_text(90 * kMin), "1h30m");
  EXPECT_EQ(duration_text(kDay + kSec), "1d1s");
  EXPECT_EQ(duration_text(3650 * kDay), "3650d");
}

TEST(Builders, IntervalSchedule) {
  EXPECT_EQ(interval_schedule(30 * kMin), parse_schedule("every 30m"));
  EXPECT_EQ(interval_schedule(30 * kMin, 10 * kSec), parse_schedule("every 30m jitter 10s"));
  EXPECT_EQ(error_of([] { interval_schedule(500000); }), "interval must be at least 1s");
  EXPECT_EQ(error_of([] { interval_schedule(0); }), "interval must be at least 1s");
  EXPECT_EQ(error_of([] { interval_schedule(-kMin); }), "interval must be at least 1s");
  EXPECT_EQ(error_of([] { interval_schedule(1500000); }),
            "interval must be a whole number of seconds");
  EXPECT_EQ(error_of([] { interval_schedule(3651 * kDay); }), "interval must be at most 3650d");
  EXPECT_EQ(error_of([] { interval_schedule(kMin, -kSec); }), "jitter must not be negative");
  EXPECT_EQ(error_of([] { interval_schedule(kMin, 1500000); }),
            "jitter must be a whole number of seconds");
}

TEST(Builders, CronSchedule) {
  // YAML: cron: "*/15 * * * *" with time_zone: Europe/Zurich and jitter: 30s.
  const ScheduleSpec s = cron_schedule("*/15 * * * *", "Europe/Zurich", 30 * kSec);
  EXPECT_EQ(s.kind, Kind::cron);
  EXPECT_EQ(s.time_zone, "Europe/Zurich");
  EXPECT_EQ(s.text, "cron */15 * * * * in Europe/Zurich jitter 30s");
  EXPECT_EQ(parse_schedule(s.text), s);
  EXPECT_EQ(cron_schedule("@daily"), parse_schedule("cron 0 0 * * *"));
  EXPECT_EQ(error_of([] { cron_schedule("*/15 * * * *", " "); }),
            "time zone must not be empty (use UTC or an IANA name such as Europe/Berlin)");
  EXPECT_EQ(error_of([] { cron_schedule("*/15 * * * *", "Europe/Zurch"); }),
            "unknown time zone 'Europe/Zurch' (did you mean 'Europe/Zurich'?)");
  EXPECT_EQ(error_of([] { cron_schedule("0 24 * * *"); }),
            "cron field 2 (hour): 24 is out of range 0-23");
}

}  // namespace
}  // namespace jobhost::schedule
