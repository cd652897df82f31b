// A job type's minimum interval (ABI 1.3): the least gap of a schedule, and the refusal that
// names the schedule, the job type and the minimum.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "schedule/error.h"
#include "schedule/min_interval.h"
#include "schedule/spec.h"
#include "schedule_test_util.h"

namespace jobhost::schedule {
namespace {

using ::testing::HasSubstr;
using testing::kHour;
using testing::kMin;
using testing::T;

const Micros kFrom = T("2026-01-05T10:17:00Z");

TEST(MinIntervalTest, ShortestGapOfAnIntervalIsTheInterval) {
  EXPECT_EQ(shortest_gap(parse_schedule("every 5m"), kFrom), 5 * kMin);
  EXPECT_EQ(shortest_gap(parse_schedule("every 1h30m jitter 10m"), kFrom), 90 * kMin)
      << "jitter shifts the whole rhythm, never shortens a gap";
}

TEST(MinIntervalTest, ShortestGapOfCronSeesListsAndDayBoundaries) {
  EXPECT_EQ(shortest_gap(parse_schedule("cron */15 * * * *"), kFrom), 15 * kMin);
  // Quarter past and twenty past: 5 minutes apart once an hour.
  EXPECT_EQ(shortest_gap(parse_schedule("cron 15,20 * * * *"), kFrom), 5 * kMin);
  // 23:58 and 00:01 the next day: the gap crosses midnight.
  EXPECT_EQ(shortest_gap(parse_schedule("cron 58 23 * * *"), kFrom), 24 * kHour);
  EXPECT_EQ(shortest_gap(parse_schedule("cron 1,58 0,23 * * *"), kFrom), 3 * kMin);
  // Hourly at :30 on Berlin's wall clock: 02:30 does not exist on the spring-forward night,
  // so the run fires at 03:00 CEST, half an hour after 01:30 CET and before 03:30 CEST.
  EXPECT_EQ(
      shortest_gap(parse_schedule("cron 30 * * * * in Europe/Berlin"), T("2026-03-28T12:00:00Z")),
      30 * kMin);
  EXPECT_EQ(shortest_gap(parse_schedule("cron 30 * * * *"), T("2026-03-28T12:00:00Z")), kHour);
}

TEST(MinIntervalTest, RefusalNamesScheduleJobTypeAndMinimum) {
  EXPECT_NO_THROW(check_min_interval(parse_schedule("every 5m"), 300, "meraki.sync", kFrom));
  EXPECT_NO_THROW(check_min_interval(parse_schedule("every 1s"), 0, "meraki.sync", kFrom))
      << "0: no minimum";
  try {
    check_min_interval(parse_schedule("every 1m"), 300, "meraki.sync", kFrom);
    FAIL() << "every 1m accepted below a 5m minimum";
  } catch (const ScheduleError& e) {
    EXPECT_STREQ(e.what(),
                 "'every 1m' runs meraki.sync more often than its minimum interval of 5m: give "
                 "every 5m or more");
  }
  try {
    check_min_interval(parse_schedule("cron 0,2 * * * *"), 300, "meraki.sync", kFrom);
    FAIL() << "a cron two minutes apart accepted below a 5m minimum";
  } catch (const ScheduleError& e) {
    EXPECT_THAT(e.what(), HasSubstr("'cron 0,2 * * * *' runs meraki.sync as often as every 2m, "
                                    "more often than its minimum interval of 5m"));
  }
  EXPECT_NO_THROW(check_min_interval(parse_schedule("cron 0 * * * *"), 300, "meraki.sync", kFrom));
}

}  // namespace
}  // namespace jobhost::schedule
