// The misfire rule: next = previous slot + interval, never before now; after downtime one overdue
// run, then the old rhythm. Plus the registry's fire step (fired_slot) and jitter.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "schedule/next_run.h"
#include "schedule_test_util.h"

namespace jobhost::schedule {
namespace {

using testing::iso;
using testing::kHour;
using testing::kMin;
using testing::kSec;
using testing::T;

const Micros T0 = T("2025-06-01T12:00:00Z");

std::string plan_text(const NextRun& p) {
  return iso(p.at) + " slot " + iso(p.slot);
}
std::string plan(const ScheduleSpec& s, Micros previous, Micros now, Micros offset = 0) {
  return plan_text(plan_next_run(s, previous, now, offset));
}

// --- every 30m -----------------------------------------------------------------------------------

TEST(NextRunInterval, FirstRunIsNow) {
  const ScheduleSpec s = parse_schedule("every 30m");
  EXPECT_EQ(plan(s, 0, T0 + 7 * kSec), "2025-06-01T12:00:07Z slot 2025-06-01T12:00:07Z");
  EXPECT_EQ(iso(next_run_after(s, 0, T0)), "2025-06-01T12:00:00Z");
}

TEST(NextRunInterval, AnchoredAtCreation) {
  // A never-fired schedule may pass its creation time instead of 0: first run one interval later.
  const ScheduleSpec s = parse_schedule("every 30m");
  EXPECT_EQ(plan(s, T0, T0 + kSec), "2025-06-01T12:30:00Z slot 2025-06-01T12:30:00Z");
}

TEST(NextRunInterval, OnTime) {
  const ScheduleSpec s = parse_schedule("every 30m");
  EXPECT_EQ(plan(s, T0, T0 + kSec), "2025-06-01T12:30:00Z slot 2025-06-01T12:30:00Z");
  EXPECT_EQ(plan(s, T0, T0), "2025-06-01T12:30:00Z slot 2025-06-01T12:30:00Z");
  EXPECT_EQ(iso(next_run_after(s, T0, T0 + 29 * kMin)), "2025-06-01T12:30:00Z");
}

TEST(NextRunInterval, ClockExactlyOnTheSlot) {
  const ScheduleSpec s = parse_schedule("every 30m");
  EXPECT_EQ(plan(s, T0, T0 + 30 * kMin), "2025-06-01T12:30:00Z slot 2025-06-01T12:30:00Z");
  // After downtime, landing exactly on a later slot: that slot runs now, the next one follows.
  EXPECT_EQ(plan(s, T0, T0 + 300 * kMin), "2025-06-01T17:00:00Z slot 2025-06-01T17:00:00Z");
  EXPECT_EQ(plan(s, T0 + 300 * kMin, T0 + 300 * kMin + kSec),
            "2025-06-01T17:30:00Z slot 2025-06-01T17:30:00Z");
}

TEST(NextRunInterval, LateByLessThanOneInterval) {
  const ScheduleSpec s = parse_schedule("every 30m");
  // The 12:30 slot is 10 minutes overdue: it runs now and the rhythm stays at :00 and :30.
  const NextRun late = plan_next_run(s, T0, T0 + 40 * kMin);
  EXPECT_EQ(plan_text(late), "2025-06-01T12:40:00Z slot 2025-06-01T12:30:00Z");
  EXPECT_EQ(plan(s, late.slot, late.at + kSec), "2025-06-01T13:00:00Z slot 2025-06-01T13:00:00Z");
}

TEST(NextRunInterval, DowntimeOfTenIntervalsRunsOnceThenBackOnTheGrid) {
  const ScheduleSpec s = parse_schedule("every 30m");
  // Last run's slot 12:00; the host was down until 17:07 (slots 12:30 .. 17:00 missed).
  const Micros now = T0 + 10 * 30 * kMin + 7 * kMin;
  const NextRun overdue = plan_next_run(s, T0, now);
  EXPECT_EQ(plan_text(overdue), "2025-06-01T17:07:00Z slot 2025-06-01T17:00:00Z");
  // Once that run is enqueued, the next is on the original grid (17:30), not 17:37.
  EXPECT_EQ(plan(s, overdue.slot, now + 2 * kSec),
            "2025-06-01T17:30:00Z slot 2025-06-01T17:30:00Z");
}

// The registry's loop (next_run.h) over simulated time: arm, fire, store the fired slot.
std::vector<std::string> simulate(const ScheduleSpec& s, Micros previous, Micros start, Micros end,
                                  Micros offset = 0) {
  std::vector<std::string> runs;
  Micros now = start;
  while (true) {
    const NextRun p = plan_next_run(s, previous, now, offset);
    if (p.at > end) break;
    now = p.at + 3 * kSec;  // the timer fires a little late; plan again, as the registry does
    const NextRun due = plan_next_run(s, previous, now, offset);
    EXPECT_LE(due.at, now);
    previous = fired_slot(s, due.slot, now, offset);
    runs.push_back(iso(p.at) + " for " + iso(previous));
  }
  return runs;
}

TEST(NextRunInterval, RestartAfterDowntimeSimulated) {
  const ScheduleSpec s = parse_schedule("every 30m");
  const Micros start = T0 + 5 * kHour + 7 * kMin;  // 17:07, last slot run 12:00
  EXPECT_EQ(simulate(s, T0, start, T0 + 6 * kHour + 5 * kMin),
            (std::vector<std::string>{"2025-06-01T17:07:00Z for 2025-06-01T17:00:00Z",
                                      "2025-06-01T17:30:00Z for 2025-06-01T17:30:00Z",
                                      "2025-06-01T18:00:00Z for 2025-06-01T18:00:00Z"}));
}

TEST(NextRunInterval, TimerFiringLateAfterASuspendStillRunsOnce) {
  const ScheduleSpec s = parse_schedule("every 30m");
  // Armed for 12:30; the host slept and the timer fires at 13:35: one run stands for 12:30,
  // 13:00 and 13:30, and the next plan is 14:00.
  const Micros fired = fired_slot(s, T0 + 30 * kMin, T0 + 95 * kMin);
  EXPECT_EQ(iso(fired), "2025-06-01T13:30:00Z");
  EXPECT_EQ(plan(s, fired, T0 + 95 * kMin + kSec),
            "2025-06-01T14:00:00Z slot 2025-06-01T14:00:00Z");
  EXPECT_EQ(iso(fired_slot(s, T0 + 30 * kMin, T0 + 30 * kMin + 2 * kSec)), "2025-06-01T12:30:00Z");
  EXPECT_EQ(iso(fired_slot(s, T0 + 30 * kMin, T0 + 60 * kMin)), "2025-06-01T13:00:00Z");
}

TEST(NextRunInterval, NeverEarlierThanNow) {
  const ScheduleSpec s = parse_schedule("every 7m");
  for (Micros previous : {Micros{0}, T0, T0 - 3 * kHour}) {
    for (Micros now = T0; now < T0 + 2 * kHour; now += 61 * kSec) {
      const NextRun p = plan_next_run(s, previous, now);
      ASSERT_GE(p.at, now);
      ASSERT_LE(p.slot, p.at);
      if (previous != 0) {
        ASSERT_EQ((p.slot - previous) % (7 * kMin), 0);  // on the grid
      }
    }
  }
}

// --- cron ----------------------------------------------------------------------------------------

TEST(NextRunCron, NeverFired) {
  const ScheduleSpec s = parse_schedule("cron 0 3 * * *");
  // previous 0: at once.
  EXPECT_EQ(plan(s, 0, T0), "2025-06-01T12:00:00Z slot 2025-06-01T12:00:00Z");
  // Anchored at its creation (12:00): waits for 03:00, and still fires when the timer is late.
  EXPECT_EQ(plan(s, T0, T0 + kSec), "2025-06-02T03:00:00Z slot 2025-06-02T03:00:00Z");
  EXPECT_EQ(plan(s, T0, T("2025-06-02T03:00:00Z")),
            "2025-06-02T03:00:00Z slot 2025-06-02T03:00:00Z");
  EXPECT_EQ(plan(s, T0, T("2025-06-02T03:00:02Z")),
            "2025-06-02T03:00:02Z slot 2025-06-02T03:00:00Z");
  EXPECT_EQ(simulate(s, T0, T0 + kSec, T("2025-06-03T12:00:00Z")),
            (std::vector<std::string>{"2025-06-02T03:00:00Z for 2025-06-02T03:00:00Z",
                                      "2025-06-03T03:00:00Z for 2025-06-03T03:00:00Z"}));
}

TEST(NextRunCron, OnTime) {
  const ScheduleSpec s = parse_schedule("cron 0 3 * * *");
  EXPECT_EQ(plan(s, T("2025-06-02T03:00:00Z"), T("2025-06-02T03:00:01Z")),
            "2025-06-03T03:00:00Z slot 2025-06-03T03:00:00Z");
}

TEST(NextRunCron, LateRunsNowForTheMissedTime) {
  const ScheduleSpec s = parse_schedule("cron 0 3 * * *");
  EXPECT_EQ(plan(s, T("2025-06-02T03:00:00Z"), T("2025-06-03T03:00:05Z")),
            "2025-06-03T03:00:05Z slot 2025-06-03T03:00:00Z");
}

TEST(NextRunCron, DowntimeRunsOnceThenTheNextCronTimeAfterNow) {
  const ScheduleSpec s = parse_schedule("cron 0 3 * * *");
  const Micros now = T("2025-06-12T10:00:00Z");
  const NextRun overdue = plan_next_run(s, T("2025-06-02T03:00:00Z"), now);
  EXPECT_EQ(plan_text(overdue), "2025-06-12T10:00:00Z slot 2025-06-12T03:00:00Z");
  EXPECT_EQ(plan(s, overdue.slot, now + kSec), "2025-06-13T03:00:00Z slot 2025-06-13T03:00:00Z");
  EXPECT_EQ(simulate(s, T("2025-06-02T03:00:00Z"), now, T("2025-06-14T12:00:00Z")),
            (std::vector<std::string>{"2025-06-12T10:00:00Z for 2025-06-12T03:00:00Z",
                                      "2025-06-13T03:00:00Z for 2025-06-13T03:00:00Z",
                                      "2025-06-14T03:00:00Z for 2025-06-14T03:00:00Z"}));
}

TEST(NextRunCron, InItsTimeZoneAcrossTheDstChange) {
  // 02:30 Berlin daily; the host is down from Saturday 02:30 CET to Sunday 12:00 (the spring
  // change, when 02:30 becomes 03:00 CEST = 01:00 UTC): one run now, then Monday 02:30 CEST.
  const ScheduleSpec s = parse_schedule("cron 30 2 * * * in Europe/Berlin");
  const NextRun overdue = plan_next_run(s, T("2025-03-29T01:30:00Z"), T("2025-03-30T10:00:00Z"));
  EXPECT_EQ(plan_text(overdue), "2025-03-30T10:00:00Z slot 2025-03-30T01:00:00Z");
  EXPECT_EQ(plan(s, overdue.slot, T("2025-03-30T10:00:01Z")),
            "2025-03-31T00:30:00Z slot 2025-03-31T00:30:00Z");
}

TEST(NextRunCron, TimerFiringLateStillRunsOnce) {
  const ScheduleSpec s = parse_schedule("cron */10 * * * *");
  EXPECT_EQ(iso(fired_slot(s, T("2025-06-01T12:10:00Z"), T("2025-06-01T12:47:00Z"))),
            "2025-06-01T12:40:00Z");
  EXPECT_EQ(iso(fired_slot(s, T("2025-06-01T12:10:00Z"), T("2025-06-01T12:10:02Z"))),
            "2025-06-01T12:10:00Z");
}

// --- jitter --------------------------------------------------------------------------------------

TEST(Jitter, StableAndWithinRange) {
  // Pinned values: the same on every host and build, so several hosts compute the same times.
  EXPECT_EQ(jitter_offset("zabbix.host_config_sync_refresh", 10 * kMin), 457081439);  // 7 min 37 s
  EXPECT_EQ(jitter_offset("hedgehog.fabric_sync/fab-1", 10 * kMin), 142744320);       // 2 min 22 s
  EXPECT_EQ(jitter_offset("zabbix.host_config_sync_refresh", 10 * kMin),
            jitter_offset("zabbix.host_config_sync_refresh", 10 * kMin));
  EXPECT_EQ(jitter_offset("anything", 0), 0);
  EXPECT_EQ(jitter_offset("anything", -5), 0);
  EXPECT_EQ(jitter_offset("anything", 1), 0);
  std::set<Micros> seen;
  for (int i = 0; i < 1000; ++i) {
    const Micros o = jitter_offset("hedgehog.fabric_sync/fab-" + std::to_string(i), 30 * kSec);
    ASSERT_GE(o, 0);
    ASSERT_LT(o, 30 * kSec);
    seen.insert(o / kSec);
  }
  EXPECT_EQ(seen.size(), 30u);  // 1000 keys reach every second of the window
}

TEST(Jitter, ShiftsTheWholeRhythm) {
  const ScheduleSpec s = parse_schedule("every 30m jitter 10m");
  const Micros offset = 7 * kMin;
  EXPECT_EQ(plan(s, T0, T0 + offset + kSec, offset),
            "2025-06-01T12:37:00Z slot 2025-06-01T12:30:00Z");
  // Overdue is judged on the shifted clock: 12:35 is before 12:37, so 12:30's run waits.
  EXPECT_EQ(plan(s, T0, T0 + 35 * kMin, offset), "2025-06-01T12:37:00Z slot 2025-06-01T12:30:00Z");
  EXPECT_EQ(plan(s, T0, T0 + 40 * kMin, offset), "2025-06-01T12:40:00Z slot 2025-06-01T12:30:00Z");
  EXPECT_EQ(simulate(s, T0, T0 + kSec, T0 + 70 * kMin, offset),
            (std::vector<std::string>{"2025-06-01T12:37:00Z for 2025-06-01T12:30:00Z",
                                      "2025-06-01T13:07:00Z for 2025-06-01T13:00:00Z"}));
  const ScheduleSpec c = parse_schedule("cron 0 3 * * * jitter 10m");
  EXPECT_EQ(plan(c, T("2025-06-02T03:00:00Z"), T("2025-06-02T03:04:00Z"), offset),
            "2025-06-03T03:07:00Z slot 2025-06-03T03:00:00Z");
}

}  // namespace
}  // namespace jobhost::schedule
