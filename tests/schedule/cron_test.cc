// Cron expressions: parsing, canonical text, every error message, and next_fire in UTC and in
// zones with daylight saving time. Expected instants are computed by hand (and checked against
// Python's zoneinfo) and written as UTC.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "schedule/cron.h"
#include "schedule_test_util.h"

namespace jobhost::schedule {
namespace {

using testing::error_of;
using testing::fires;
using testing::iso;
using testing::next;
using testing::T;
using V = std::vector<std::string>;

// --- parsing and canonical text ------------------------------------------------------------------

TEST(CronParse, FieldsBecomeBitSets) {
  const CronExpr c = parse_cron("*/15 9-17 1,15 jan-mar mon-fri");
  EXPECT_EQ(c.minutes,
            (uint64_t{1} << 0) | (uint64_t{1} << 15) | (uint64_t{1} << 30) | (uint64_t{1} << 45));
  EXPECT_EQ(c.hours, 0b111111111u << 9);
  EXPECT_EQ(c.days, (1u << 1) | (1u << 15));
  EXPECT_EQ(c.months, 0b1110);
  EXPECT_EQ(c.weekdays, 0b0111110);
  EXPECT_FALSE(c.days_star);
  EXPECT_FALSE(c.weekdays_star);
  EXPECT_EQ(c.text, "*/15 9-17 1,15 jan-mar mon-fri");
}

TEST(CronParse, CanonicalText) {
  EXPECT_EQ(parse_cron("*/15 * * * *").text, "*/15 * * * *");
  EXPECT_EQ(parse_cron("0,15,30,45 * * * *").text, "*/15 * * * *");
  EXPECT_EQ(parse_cron("0-59/15 * * * *").text, "*/15 * * * *");
  EXPECT_EQ(parse_cron("0 3 * * 1-5").text, "0 3 * * mon-fri");
  EXPECT_EQ(parse_cron("0 3 * * MON-FRI").text, "0 3 * * mon-fri");
  EXPECT_EQ(parse_cron("0 3 * * Mon,Tue,Wed,Thu,Fri").text, "0 3 * * mon-fri");
  EXPECT_EQ(parse_cron("0 0 * * 0").text, "0 0 * * sun");
  EXPECT_EQ(parse_cron("0 0 * * 7").text, "0 0 * * sun");
  EXPECT_EQ(parse_cron("0 0 * * fri-sun").text, "0 0 * * fri-sun");
  EXPECT_EQ(parse_cron("0 0 * * 5-7").text, "0 0 * * fri-sun");
  EXPECT_EQ(parse_cron("0 0 * * sat,sun").text, "0 0 * * sat,sun");
  EXPECT_EQ(parse_cron("0 0 * * 0-6").text, "0 0 * * mon-sun");  // restricted: keeps the OR rule
  EXPECT_EQ(parse_cron("0 0 1 JAN,jul *").text, "0 0 1 jan,jul *");
  EXPECT_EQ(parse_cron("0 0 1 1-12 *").text, "0 0 1 * *");
  EXPECT_EQ(parse_cron("0 0 1 */3 *").text, "0 0 1 */3 *");
  EXPECT_EQ(parse_cron("10-50/10 * * * *").text, "10,20,30,40,50 * * * *");
  EXPECT_EQ(parse_cron("5/20 * * * *").text, "5,25,45 * * * *");
  EXPECT_EQ(parse_cron("0 0 */2 * *").text, "0 0 */2 * *");
  EXPECT_EQ(parse_cron("0 0 1-31 * mon").text, "0 0 1-31 * mon");
  EXPECT_EQ(parse_cron("  0\t3   *  * *  ").text, "0 3 * * *");
  EXPECT_EQ(parse_cron("1,2,3,5 0 * * *").text, "1-3,5 0 * * *");
}

TEST(CronParse, Macros) {
  EXPECT_EQ(parse_cron("@hourly").text, "0 * * * *");
  EXPECT_EQ(parse_cron("@daily").text, "0 0 * * *");
  EXPECT_EQ(parse_cron("@midnight").text, "0 0 * * *");
  EXPECT_EQ(parse_cron("@weekly").text, "0 0 * * sun");
  EXPECT_EQ(parse_cron("@monthly").text, "0 0 1 * *");
  EXPECT_EQ(parse_cron("@yearly").text, "0 0 1 jan *");
  EXPECT_EQ(parse_cron("@ANNUALLY").text, "0 0 1 jan *");
  EXPECT_EQ(parse_cron("@daily"), parse_cron("0 0 * * *"));
}

TEST(CronParse, StarFlagsFollowVixie) {
  EXPECT_TRUE(parse_cron("0 0 * * mon").days_star);
  EXPECT_TRUE(parse_cron("0 0 */2 * mon").days_star);  // a leading '*' counts as unrestricted
  EXPECT_FALSE(parse_cron("0 0 1-31 * mon").days_star);
  EXPECT_TRUE(parse_cron("0 0 1 * *").weekdays_star);
  EXPECT_FALSE(parse_cron("0 0 1 * 0-7").weekdays_star);
}

TEST(CronParse, ErrorsNameTheFieldAndWhatIsAllowed) {
  auto err = [](const char* text) { return error_of([&] { parse_cron(text); }); };
  EXPECT_EQ(err("0 25 * * *"), "cron field 2 (hour): 25 is out of range 0-23");
  EXPECT_EQ(err("60 * * * *"), "cron field 1 (minute): 60 is out of range 0-59");
  EXPECT_EQ(err("* * 0 * *"), "cron field 3 (day-of-month): 0 is out of range 1-31");
  EXPECT_EQ(err("* * 32 * *"), "cron field 3 (day-of-month): 32 is out of range 1-31");
  EXPECT_EQ(err("* * * 13 *"), "cron field 4 (month): 13 is out of range 1-12");
  EXPECT_EQ(err("* * * 0 *"), "cron field 4 (month): 0 is out of range 1-12");
  EXPECT_EQ(err("* * * * 8"), "cron field 5 (day-of-week): 8 is out of range 0-7");
  EXPECT_EQ(err("0 99999999999 * * *"), "cron field 2 (hour): 99999999999 is out of range 0-23");
  EXPECT_EQ(err("x * * * *"), "cron field 1 (minute): 'x' is not a number");
  EXPECT_EQ(err("-5 * * * *"),
            "cron field 1 (minute): range '-5' needs a start and an end (e.g. 1-5)");
  EXPECT_EQ(err("1-2-3 * * * *"), "cron field 1 (minute): '2-3' is not a number");
  EXPECT_EQ(err("* * * foo *"),
            "cron field 4 (month): 'foo' is not a number or month name (jan-dec)");
  EXPECT_EQ(err("* * * * funday"),
            "cron field 5 (day-of-week): 'funday' is not a number or day name (sun-sat)");
  EXPECT_EQ(err("* * mon * *"), "cron field 3 (day-of-month): 'mon' is not a number");
  EXPECT_EQ(err("*/0 * * * *"), "cron field 1 (minute): step 0 is out of range 1-60");
  EXPECT_EQ(err("*/61 * * * *"), "cron field 1 (minute): step 61 is out of range 1-60");
  EXPECT_EQ(err("* */25 * * *"), "cron field 2 (hour): step 25 is out of range 1-24");
  EXPECT_EQ(err("* * * * */8"), "cron field 5 (day-of-week): step 8 is out of range 1-7");
  EXPECT_EQ(err("*/x * * * *"), "cron field 1 (minute): step 'x' is not a number");
  EXPECT_EQ(err("*/ * * * *"), "cron field 1 (minute): step '' is not a number");
  EXPECT_EQ(err("5-1 * * * *"),
            "cron field 1 (minute): range '5-1' is reversed (the start must not exceed the end)");
  EXPECT_EQ(err("* * * * sat-mon"),
            "cron field 5 (day-of-week): range 'sat-mon' is reversed (the start must not exceed "
            "the end)");
  EXPECT_EQ(err("1,,2 * * * *"), "cron field 1 (minute): empty list element in '1,,2'");
  EXPECT_EQ(err("1, * * * *"), "cron field 1 (minute): empty list element in '1,'");
  EXPECT_EQ(err("*,5 * * * *"),
            "cron field 1 (minute): '*' must stand alone or as '*/step', not in a list ('*,5')");
  EXPECT_EQ(err("1/2/3 * * * *"), "cron field 1 (minute): '1/2/3' has more than one '/'");
  EXPECT_EQ(err("/5 * * * *"), "cron field 1 (minute): '/5' needs a start before '/' (e.g. */5)");
  EXPECT_EQ(err("0 3 * *"),
            "cron expression '0 3 * *' has 4 fields; expected 5 fields: minute hour day-of-month "
            "month day-of-week, or one of @hourly, @daily, @weekly, @monthly, @yearly");
  EXPECT_EQ(err("0 3 * * * *"),
            "cron expression '0 3 * * * *' has 6 fields; expected 5 fields: minute hour "
            "day-of-month month day-of-week, or one of @hourly, @daily, @weekly, @monthly, "
            "@yearly");
  EXPECT_EQ(err("daily"),
            "cron expression 'daily' has 1 field; expected 5 fields: minute hour day-of-month "
            "month day-of-week, or one of @hourly, @daily, @weekly, @monthly, @yearly");
  EXPECT_EQ(err("  "),
            "cron expression is empty; expected 5 fields: minute hour day-of-month month "
            "day-of-week, or one of @hourly, @daily, @weekly, @monthly, @yearly");
  EXPECT_EQ(err("@minutely"),
            "unknown cron macro '@minutely' (allowed: @hourly, @daily, @midnight, @weekly, "
            "@monthly, @yearly, @annually)");
  EXPECT_EQ(err("@reboot"), "cron macro @reboot is not supported: jobhost schedules are times");
}

TEST(CronParse, ExpressionsThatNeverFireAreRejected) {
  auto err = [](const char* text) { return error_of([&] { parse_cron(text); }); };
  EXPECT_EQ(err("0 0 30 2 *"),
            "cron expression '0 0 30 2 *' never fires: day-of-month '30' does not occur in 'feb'");
  EXPECT_EQ(err("0 0 30,31 feb *"),
            "cron expression '0 0 30,31 feb *' never fires: day-of-month '30,31' does not occur "
            "in 'feb'");
  EXPECT_EQ(err("0 0 31 4,6,9,11 *"),
            "cron expression '0 0 31 4,6,9,11 *' never fires: day-of-month '31' does not occur in "
            "'apr,jun,sep,nov'");
  EXPECT_EQ(
      err("0 0 31 4 */2"),
      "cron expression '0 0 31 4 */2' never fires: day-of-month '31' does not occur in 'apr'");
  // Possible after all: leap days, and the OR rule (any Monday in February).
  EXPECT_EQ(err("0 0 29 2 *"), "<no error>");
  EXPECT_EQ(err("0 0 31 2 mon"), "<no error>");
  EXPECT_EQ(err("0 0 30 2,3 *"), "<no error>");
}

// --- next_fire in UTC ----------------------------------------------------------------------------

TEST(CronNextFire, StrictlyAfter) {
  EXPECT_EQ(fires("*/15 * * * *", "2025-01-01T00:07:00Z", "UTC", 4),
            (V{"2025-01-01T00:15:00Z", "2025-01-01T00:30:00Z", "2025-01-01T00:45:00Z",
               "2025-01-01T01:00:00Z"}));
  EXPECT_EQ(next("*/15 * * * *", "2025-01-01T00:15:00Z"), "2025-01-01T00:30:00Z");
  EXPECT_EQ(next("*/15 * * * *", "2025-01-01T00:14:59.999999Z"), "2025-01-01T00:15:00Z");
  EXPECT_EQ(next("* * * * *", "2025-01-01T00:00:00.000001Z"), "2025-01-01T00:01:00Z");
  EXPECT_EQ(next("* * * * *", "1969-12-31T23:59:30Z"), "1970-01-01T00:00:00Z");
}

TEST(CronNextFire, MonthAndYearEnds) {
  EXPECT_EQ(fires("0 0 31 * *", "2025-01-31T00:00:00Z", "UTC", 4),
            (V{"2025-03-31T00:00:00Z", "2025-05-31T00:00:00Z", "2025-07-31T00:00:00Z",
               "2025-08-31T00:00:00Z"}));
  EXPECT_EQ(next("30 12 30 * *", "2025-01-30T12:30:00Z"), "2025-03-30T12:30:00Z");
  EXPECT_EQ(next("59 23 31 12 *", "2025-12-31T23:59:00Z"), "2026-12-31T23:59:00Z");
  EXPECT_EQ(next("0 0 1 * *", "2025-12-15T08:00:00Z"), "2026-01-01T00:00:00Z");
  EXPECT_EQ(next("59 23 * * *", "2025-02-28T23:59:00Z"), "2025-03-01T23:59:00Z");
}

TEST(CronNextFire, LeapYears) {
  EXPECT_EQ(fires("0 12 29 2 *", "2025-01-01T00:00:00Z", "UTC", 2),
            (V{"2028-02-29T12:00:00Z", "2032-02-29T12:00:00Z"}));
  // 2100 is not a leap year: eight years from 2096 to 2104.
  EXPECT_EQ(next("0 12 29 2 *", "2096-03-01T00:00:00Z"), "2104-02-29T12:00:00Z");
  EXPECT_EQ(fires("0 0 28-29 2 *", "2024-02-28T00:00:00Z", "UTC", 3),
            (V{"2024-02-29T00:00:00Z", "2025-02-28T00:00:00Z", "2026-02-28T00:00:00Z"}));
  EXPECT_EQ(next("0 0 1 3 *", "2024-02-29T00:00:00Z"), "2024-03-01T00:00:00Z");
}

TEST(CronNextFire, DayOfMonthOrDayOfWeekWhenBothRestricted) {
  // 2025-06-01 is a Sunday: Mondays 2, 9, 16, 23, 30 and the 1st and 15th.
  EXPECT_EQ(fires("0 0 1,15 * mon", "2025-06-01T00:00:00Z", "UTC", 7),
            (V{"2025-06-02T00:00:00Z", "2025-06-09T00:00:00Z", "2025-06-15T00:00:00Z",
               "2025-06-16T00:00:00Z", "2025-06-23T00:00:00Z", "2025-06-30T00:00:00Z",
               "2025-07-01T00:00:00Z"}));
  // February has no 31st, but the OR rule still fires on its Mondays.
  EXPECT_EQ(fires("0 0 31 2 mon", "2025-01-01T00:00:00Z", "UTC", 5),
            (V{"2025-02-03T00:00:00Z", "2025-02-10T00:00:00Z", "2025-02-17T00:00:00Z",
               "2025-02-24T00:00:00Z", "2026-02-02T00:00:00Z"}));
}

TEST(CronNextFire, BothFieldsMustMatchWhenOneStartsWithStar) {
  EXPECT_EQ(fires("0 0 * * mon", "2025-06-01T00:00:00Z", "UTC", 2),
            (V{"2025-06-02T00:00:00Z", "2025-06-09T00:00:00Z"}));
  EXPECT_EQ(fires("0 0 13 * *", "2025-06-01T00:00:00Z", "UTC", 2),
            (V{"2025-06-13T00:00:00Z", "2025-07-13T00:00:00Z"}));
  // `*/10` counts as unrestricted: days 1, 11, 21, 31 that are also Mondays.
  EXPECT_EQ(fires("0 0 */10 * mon", "2025-01-01T00:00:00Z", "UTC", 6),
            (V{"2025-03-31T00:00:00Z", "2025-04-21T00:00:00Z", "2025-07-21T00:00:00Z",
               "2025-08-11T00:00:00Z", "2025-09-01T00:00:00Z", "2025-12-01T00:00:00Z"}));
}

TEST(CronNextFire, WeekdayNamesAndSundayAsZeroOrSeven) {
  for (const char* sunday : {"0 0 * * 0", "0 0 * * 7", "0 0 * * sun", "0 0 * * SUN"}) {
    EXPECT_EQ(next(sunday, "2025-06-04T12:00:00Z"), "2025-06-08T00:00:00Z") << sunday;
  }
  EXPECT_EQ(fires("0 8 * * fri-sun", "2025-06-04T00:00:00Z", "UTC", 4),
            (V{"2025-06-06T08:00:00Z", "2025-06-07T08:00:00Z", "2025-06-08T08:00:00Z",
               "2025-06-13T08:00:00Z"}));
  EXPECT_EQ(next("0 8 * * mon-fri", "2025-06-06T08:00:00Z"), "2025-06-09T08:00:00Z");
}

TEST(CronNextFire, StepsRangesAndMonthNames) {
  EXPECT_EQ(fires("10-50/20 9-17/4 * * *", "2025-06-01T00:00:00Z", "UTC", 10),
            (V{"2025-06-01T09:10:00Z", "2025-06-01T09:30:00Z", "2025-06-01T09:50:00Z",
               "2025-06-01T13:10:00Z", "2025-06-01T13:30:00Z", "2025-06-01T13:50:00Z",
               "2025-06-01T17:10:00Z", "2025-06-01T17:30:00Z", "2025-06-01T17:50:00Z",
               "2025-06-02T09:10:00Z"}));
  EXPECT_EQ(fires("5/20 * * * *", "2025-06-01T00:00:00Z", "UTC", 4),
            (V{"2025-06-01T00:05:00Z", "2025-06-01T00:25:00Z", "2025-06-01T00:45:00Z",
               "2025-06-01T01:05:00Z"}));
  EXPECT_EQ(fires("0 0 1 jan,JUL *", "2025-02-01T00:00:00Z", "UTC", 2),
            (V{"2025-07-01T00:00:00Z", "2026-01-01T00:00:00Z"}));
  EXPECT_EQ(fires("0 0 1 nov-dec,1-2 *", "2025-03-01T00:00:00Z", "UTC", 4),
            (V{"2025-11-01T00:00:00Z", "2025-12-01T00:00:00Z", "2026-01-01T00:00:00Z",
               "2026-02-01T00:00:00Z"}));
}

TEST(CronNextFire, Macros) {
  const char* after = "2025-06-04T10:30:00Z";  // a Wednesday
  EXPECT_EQ(next("@hourly", after), "2025-06-04T11:00:00Z");
  EXPECT_EQ(next("@daily", after), "2025-06-05T00:00:00Z");
  EXPECT_EQ(next("@midnight", after), "2025-06-05T00:00:00Z");
  EXPECT_EQ(next("@weekly", after), "2025-06-08T00:00:00Z");
  EXPECT_EQ(next("@monthly", after), "2025-07-01T00:00:00Z");
  EXPECT_EQ(next("@yearly", after), "2026-01-01T00:00:00Z");
  EXPECT_EQ(next("@annually", after), "2026-01-01T00:00:00Z");
}

TEST(CronNextFire, BoundedForExpressionsWithoutFireTimes) {
  CronExpr impossible;  // built by hand, past parse_cron's check: 30 February
  impossible.minutes = 1;
  impossible.hours = 1;
  impossible.days = 1u << 30;
  impossible.months = 1u << 2;
  impossible.weekdays = 0x7f;
  impossible.weekdays_star = true;
  impossible.text = "0 0 30 2 *";
  EXPECT_EQ(error_of([&] { next_fire(impossible, T("2025-01-01T00:00:00Z"), TimeZone::utc()); }),
            "cron expression '0 0 30 2 *' has no fire time within 100 years after "
            "2025-01-01T00:00:00.000000Z");
  EXPECT_EQ(error_of([&] { next_fire(CronExpr{}, 0, TimeZone::utc()); }),
            "cron expression '' is empty");
}

TEST(CronNextFire, LastFireAtOrBefore) {
  const CronExpr c = parse_cron("0 3 * * *");
  const TimeZone utc;
  EXPECT_EQ(
      iso(last_fire_at_or_before(c, T("2025-06-01T03:00:00Z"), T("2025-06-12T10:00:00Z"), utc)),
      "2025-06-12T03:00:00Z");
  EXPECT_EQ(
      iso(last_fire_at_or_before(c, T("2025-06-01T03:00:00Z"), T("2025-06-02T03:00:00Z"), utc)),
      "2025-06-02T03:00:00Z");
  EXPECT_EQ(
      iso(last_fire_at_or_before(c, T("2025-06-01T03:00:00Z"), T("2025-06-02T02:59:59Z"), utc)),
      "2025-06-01T03:00:00Z");  // none in between: `after` itself
  const CronExpr minutely = parse_cron("* * * * *");
  EXPECT_EQ(iso(last_fire_at_or_before(minutely, T("2020-01-01T00:00:00Z"),
                                       T("2025-06-12T10:17:42Z"), utc)),
            "2025-06-12T10:17:00Z");
}

// --- time zones and daylight saving time ---------------------------------------------------------

// Europe/Berlin 2025: CET -> CEST at 2025-03-30 01:00 UTC (02:00 -> 03:00 local);
// CEST -> CET at 2025-10-26 01:00 UTC (03:00 -> 02:00 local).
TEST(CronZones, BerlinSpringGapFiresOnceAtTheEndOfTheGap) {
  EXPECT_EQ(fires("30 2 * * *", "2025-03-29T12:00:00Z", "Europe/Berlin", 2),
            (V{"2025-03-30T01:00:00Z" /* 03:00 CEST */, "2025-03-31T00:30:00Z" /* 02:30 CEST */}));
  // 02:00 and 02:30 both fall into the gap and fire once together.
  EXPECT_EQ(fires("0,30 2 * * *", "2025-03-29T12:00:00Z", "Europe/Berlin", 2),
            (V{"2025-03-30T01:00:00Z", "2025-03-31T00:00:00Z"}));
  // Every quarter hour: 01:45 CET, then 03:00 CEST (02:00-02:45 do not exist), 03:15 CEST.
  EXPECT_EQ(fires("*/15 * * * *", "2025-03-30T00:30:00Z", "Europe/Berlin", 3),
            (V{"2025-03-30T00:45:00Z", "2025-03-30T01:00:00Z", "2025-03-30T01:15:00Z"}));
  EXPECT_EQ(next("0 9 * * *", "2025-03-29T09:00:00Z", "Europe/Berlin"), "2025-03-30T07:00:00Z");
}

TEST(CronZones, BerlinFallBackFiresOnceAtTheFirstOccurrence) {
  EXPECT_EQ(fires("30 2 * * *", "2025-10-25T12:00:00Z", "Europe/Berlin", 2),
            (V{"2025-10-26T00:30:00Z" /* 02:30 CEST */, "2025-10-27T01:30:00Z" /* 02:30 CET */}));
  // Asked from inside the repeated hour (02:10 CET), 02:30 has already been.
  EXPECT_EQ(next("30 2 * * *", "2025-10-26T01:10:00Z", "Europe/Berlin"), "2025-10-27T01:30:00Z");
  // Every quarter hour pauses during the repeated hour: 02:45 CEST, then 03:00 CET.
  EXPECT_EQ(fires("*/15 * * * *", "2025-10-26T00:30:00Z", "Europe/Berlin", 3),
            (V{"2025-10-26T00:45:00Z", "2025-10-26T02:00:00Z", "2025-10-26T02:15:00Z"}));
}

// America/New_York 2025: EST -> EDT at 2025-03-09 07:00 UTC; EDT -> EST at 2025-11-02 06:00 UTC.
TEST(CronZones, NewYork) {
  EXPECT_EQ(fires("30 2 * * *", "2025-03-08T12:00:00Z", "America/New_York", 2),
            (V{"2025-03-09T07:00:00Z" /* 03:00 EDT */, "2025-03-10T06:30:00Z"}));
  EXPECT_EQ(fires("30 1 * * *", "2025-11-01T12:00:00Z", "America/New_York", 2),
            (V{"2025-11-02T05:30:00Z" /* 01:30 EDT */, "2025-11-03T06:30:00Z" /* 01:30 EST */}));
  // Friday 10:00 EST -> Monday 09:00 EDT.
  EXPECT_EQ(next("0 9 * * mon-fri", "2025-03-07T15:00:00Z", "America/New_York"),
            "2025-03-10T13:00:00Z");
}

// Australia/Lord_Howe: +10:30 standard, +11 in summer, a 30-minute shift. 2025-04-06 02:00 +11 ->
// 01:30 +10:30 (15:00 UTC on the 5th); 2025-10-05 02:00 +10:30 -> 02:30 +11 (15:30 UTC on the 4th).
TEST(CronZones, LordHoweHalfHourShift) {
  EXPECT_EQ(fires("15 2 * * *", "2025-10-04T12:00:00Z", "Australia/Lord_Howe", 2),
            (V{"2025-10-04T15:30:00Z" /* 02:30 +11 */, "2025-10-05T15:15:00Z"}));
  EXPECT_EQ(fires("*/30 * * * *", "2025-10-04T15:00:00Z", "Australia/Lord_Howe", 2),
            (V{"2025-10-04T15:30:00Z", "2025-10-04T16:00:00Z"}));
  EXPECT_EQ(fires("45 1 * * *", "2025-04-05T12:00:00Z", "Australia/Lord_Howe", 2),
            (V{"2025-04-05T14:45:00Z" /* 01:45 +11 */, "2025-04-06T15:15:00Z" /* 01:45 +10:30 */}));
  EXPECT_EQ(next("0 2 * * *", "2025-04-05T12:00:00Z", "Australia/Lord_Howe"),
            "2025-04-05T15:30:00Z");
  // 01:30 +11 is the last half hour before the change; 01:30 +10:30 repeats it and does not fire.
  EXPECT_EQ(fires("*/30 * * * *", "2025-04-05T14:30:00Z", "Australia/Lord_Howe", 2),
            (V{"2025-04-05T15:30:00Z", "2025-04-05T16:00:00Z"}));
}

TEST(CronZones, KolkataHalfHourOffsetWithoutDst) {
  EXPECT_EQ(next("0 9 * * *", "2025-06-01T00:00:00Z", "Asia/Kolkata"), "2025-06-01T03:30:00Z");
  EXPECT_EQ(next("0 0 1 1 *", "2025-06-01T00:00:00Z", "Asia/Kolkata"), "2025-12-31T18:30:00Z");
  EXPECT_EQ(next("30 23 31 12 *", "2025-06-01T00:00:00Z", "Asia/Kolkata"), "2025-12-31T18:00:00Z");
}

TEST(CronZones, DstRulesContinueAfterTheLastStoredTransition) {
  // Debian's zone files list transitions up to 2037; 2040 comes from the zone's POSIX rule.
  EXPECT_EQ(fires("30 2 * * *", "2040-03-24T12:00:00Z", "Europe/Berlin", 2),
            (V{"2040-03-25T01:00:00Z", "2040-03-26T00:30:00Z"}));
  EXPECT_EQ(fires("30 2 * * *", "2040-10-27T12:00:00Z", "Europe/Berlin", 2),
            (V{"2040-10-28T00:30:00Z", "2040-10-29T01:30:00Z"}));
}

}  // namespace
}  // namespace jobhost::schedule
