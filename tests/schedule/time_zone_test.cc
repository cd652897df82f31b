// TimeZone: offsets, wall clock <-> UTC with the gap and repeat rules, the POSIX rule after the
// last stored transition, and error messages.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "schedule/time_zone.h"
#include "schedule_test_util.h"

namespace jobhost::schedule {
namespace {

using testing::error_of;
using testing::iso;
using testing::kHour;
using testing::kMin;
using testing::T;

Micros offset(const char* zone, const char* at) {
  return TimeZone::locate(zone).utc_offset(T(at));
}

std::string utc_of(const char* zone, LocalTime local) {
  return iso(TimeZone::locate(zone).to_utc(local));
}

TEST(TimeZone, Utc) {
  const TimeZone utc;
  EXPECT_EQ(utc.name(), "UTC");
  EXPECT_EQ(TimeZone::locate("UTC"), utc);
  EXPECT_EQ(utc.utc_offset(T("2025-07-01T00:00:00Z")), 0);
  EXPECT_EQ(utc.to_local(T("2025-07-01T12:34:56.789Z")), (LocalTime{2025, 7, 1, 12, 34, 56}));
  EXPECT_EQ(iso(utc.to_utc({2025, 7, 1, 12, 34, 56})), "2025-07-01T12:34:56Z");
  EXPECT_EQ(utc.to_local(T("1969-12-31T23:59:59.5Z")), (LocalTime{1969, 12, 31, 23, 59, 59}));
}

TEST(TimeZone, Offsets) {
  EXPECT_EQ(offset("Europe/Berlin", "2025-01-15T00:00:00Z"), 1 * kHour);
  EXPECT_EQ(offset("Europe/Berlin", "2025-07-15T00:00:00Z"), 2 * kHour);
  EXPECT_EQ(offset("Europe/Berlin", "2025-03-30T00:59:59Z"), 1 * kHour);
  EXPECT_EQ(offset("Europe/Berlin", "2025-03-30T01:00:00Z"), 2 * kHour);
  EXPECT_EQ(offset("Europe/Berlin", "2025-10-26T00:59:59Z"), 2 * kHour);
  EXPECT_EQ(offset("Europe/Berlin", "2025-10-26T01:00:00Z"), 1 * kHour);
  EXPECT_EQ(offset("America/New_York", "2025-01-15T00:00:00Z"), -5 * kHour);
  EXPECT_EQ(offset("America/New_York", "2025-07-15T00:00:00Z"), -4 * kHour);
  EXPECT_EQ(offset("Australia/Lord_Howe", "2025-07-15T00:00:00Z"), 10 * kHour + 30 * kMin);
  EXPECT_EQ(offset("Australia/Lord_Howe", "2025-01-15T00:00:00Z"), 11 * kHour);
  EXPECT_EQ(offset("Asia/Kolkata", "2025-01-15T00:00:00Z"), 5 * kHour + 30 * kMin);
  EXPECT_EQ(offset("Asia/Kolkata", "2025-07-15T00:00:00Z"), 5 * kHour + 30 * kMin);
}

TEST(TimeZone, ToLocal) {
  const TimeZone berlin = TimeZone::locate("Europe/Berlin");
  EXPECT_EQ(berlin.to_local(T("2025-03-30T00:59:59Z")), (LocalTime{2025, 3, 30, 1, 59, 59}));
  EXPECT_EQ(berlin.to_local(T("2025-03-30T01:00:00Z")), (LocalTime{2025, 3, 30, 3, 0, 0}));
  EXPECT_EQ(berlin.to_local(T("2025-10-26T00:30:00Z")), (LocalTime{2025, 10, 26, 2, 30, 0}));
  EXPECT_EQ(berlin.to_local(T("2025-10-26T01:30:00Z")), (LocalTime{2025, 10, 26, 2, 30, 0}));
  EXPECT_EQ(TimeZone::locate("Asia/Kolkata").to_local(T("2025-12-31T18:30:00Z")),
            (LocalTime{2026, 1, 1, 0, 0, 0}));
}

TEST(TimeZone, NonexistentLocalTimeMapsToTheEndOfTheGap) {
  EXPECT_EQ(utc_of("Europe/Berlin", {2025, 3, 30, 1, 59, 59}), "2025-03-30T00:59:59Z");
  EXPECT_EQ(utc_of("Europe/Berlin", {2025, 3, 30, 2, 0, 0}), "2025-03-30T01:00:00Z");
  EXPECT_EQ(utc_of("Europe/Berlin", {2025, 3, 30, 2, 30, 0}), "2025-03-30T01:00:00Z");
  EXPECT_EQ(utc_of("Europe/Berlin", {2025, 3, 30, 3, 0, 0}), "2025-03-30T01:00:00Z");
  EXPECT_EQ(utc_of("Europe/Berlin", {2025, 3, 30, 3, 0, 1}), "2025-03-30T01:00:01Z");
  EXPECT_EQ(utc_of("America/New_York", {2025, 3, 9, 2, 30, 0}), "2025-03-09T07:00:00Z");
  EXPECT_EQ(utc_of("Australia/Lord_Howe", {2025, 10, 5, 2, 15, 0}), "2025-10-04T15:30:00Z");
  EXPECT_EQ(utc_of("Australia/Lord_Howe", {2025, 10, 5, 2, 30, 0}), "2025-10-04T15:30:00Z");
}

TEST(TimeZone, RepeatedLocalTimeMapsToItsFirstOccurrence) {
  EXPECT_EQ(utc_of("Europe/Berlin", {2025, 10, 26, 1, 59, 59}), "2025-10-25T23:59:59Z");
  EXPECT_EQ(utc_of("Europe/Berlin", {2025, 10, 26, 2, 0, 0}), "2025-10-26T00:00:00Z");
  EXPECT_EQ(utc_of("Europe/Berlin", {2025, 10, 26, 2, 30, 0}), "2025-10-26T00:30:00Z");
  EXPECT_EQ(utc_of("Europe/Berlin", {2025, 10, 26, 3, 0, 0}), "2025-10-26T02:00:00Z");
  EXPECT_EQ(utc_of("America/New_York", {2025, 11, 2, 1, 30, 0}), "2025-11-02T05:30:00Z");
  EXPECT_EQ(utc_of("Australia/Lord_Howe", {2025, 4, 6, 1, 45, 0}), "2025-04-05T14:45:00Z");
  EXPECT_EQ(utc_of("Australia/Lord_Howe", {2025, 4, 6, 2, 0, 0}), "2025-04-05T15:30:00Z");
}

TEST(TimeZone, RoundTripsEveryHourOfAYear) {
  const TimeZone berlin = TimeZone::locate("Europe/Berlin");
  const Micros repeat_begin = T("2025-10-26T01:00:00Z"), repeat_end = T("2025-10-26T02:00:00Z");
  for (Micros t = T("2025-01-01T00:00:00Z"); t < T("2026-01-01T00:00:00Z"); t += 15 * kMin) {
    const Micros back = berlin.to_utc(berlin.to_local(t));
    // The second pass of the repeated hour maps to the first.
    const Micros expected = t >= repeat_begin && t < repeat_end ? t - kHour : t;
    ASSERT_EQ(iso(back), iso(expected));
  }
}

TEST(TimeZone, DstContinuesAfterTheLastStoredTransition) {
  // Debian's files store transitions up to 2037; later years come from the POSIX footer rule.
  EXPECT_EQ(offset("Europe/Berlin", "2040-03-25T00:59:59Z"), 1 * kHour);
  EXPECT_EQ(offset("Europe/Berlin", "2040-03-25T01:00:00Z"), 2 * kHour);
  EXPECT_EQ(offset("Europe/Berlin", "2040-10-28T00:59:59Z"), 2 * kHour);
  EXPECT_EQ(offset("Europe/Berlin", "2040-10-28T01:00:00Z"), 1 * kHour);
  EXPECT_EQ(offset("Europe/Berlin", "2100-07-01T00:00:00Z"), 2 * kHour);
  EXPECT_EQ(offset("America/New_York", "2045-07-01T00:00:00Z"), -4 * kHour);
  EXPECT_EQ(offset("America/New_York", "2045-12-01T00:00:00Z"), -5 * kHour);
  EXPECT_EQ(offset("Australia/Lord_Howe", "2050-01-15T00:00:00Z"), 11 * kHour);
  EXPECT_EQ(offset("Australia/Lord_Howe", "2050-07-15T00:00:00Z"), 10 * kHour + 30 * kMin);
  EXPECT_EQ(utc_of("Europe/Berlin", {2040, 3, 25, 2, 30, 0}), "2040-03-25T01:00:00Z");
  EXPECT_EQ(utc_of("Europe/Berlin", {2040, 10, 28, 2, 30, 0}), "2040-10-28T00:30:00Z");
  EXPECT_EQ(offset("Asia/Kolkata", "2050-07-15T00:00:00Z"), 5 * kHour + 30 * kMin);
}

TEST(TimeZone, LinksKeepTheirName) {
  const TimeZone eastern = TimeZone::locate("US/Eastern");
  EXPECT_EQ(eastern.name(), "US/Eastern");
  EXPECT_EQ(eastern.utc_offset(T("2025-07-15T00:00:00Z")), -4 * kHour);
  EXPECT_EQ(TimeZone::locate("Asia/Calcutta").utc_offset(T("2025-07-15T00:00:00Z")),
            5 * kHour + 30 * kMin);
  EXPECT_EQ(TimeZone::locate("Europe/Berlin"), TimeZone::locate("Europe/Berlin"));
}

TEST(TimeZone, UnknownNames) {
  EXPECT_EQ(error_of([] { TimeZone::locate("Europe/Berln"); }),
            "unknown time zone 'Europe/Berln' (did you mean 'Europe/Berlin'?)");
  EXPECT_EQ(error_of([] { TimeZone::locate("europe/berlin"); }),
            "unknown time zone 'europe/berlin' (did you mean 'Europe/Berlin'?)");
  EXPECT_EQ(error_of([] { TimeZone::locate("Mars/Olympus_Mons"); }),
            "unknown time zone 'Mars/Olympus_Mons' (use an IANA name such as Europe/Berlin, "
            "America/New_York or UTC)");
  EXPECT_EQ(error_of([] { TimeZone::locate("../../etc/passwd"); }),
            "unknown time zone '../../etc/passwd' (use an IANA name such as Europe/Berlin, "
            "America/New_York or UTC)");
}

TEST(TimeZone, ThreadSafe) {
  std::vector<std::thread> threads;
  std::vector<Micros> offsets(8);
  const char* zones[] = {"Europe/Paris", "America/Chicago", "Asia/Tokyo", "Pacific/Auckland"};
  for (size_t i = 0; i < offsets.size(); ++i) {
    threads.emplace_back([&, i] {
      offsets[i] = TimeZone::locate(zones[i % 4]).utc_offset(T("2025-01-15T00:00:00Z"));
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(offsets[0], 1 * kHour);
  EXPECT_EQ(offsets[1], -6 * kHour);
  EXPECT_EQ(offsets[2], 9 * kHour);
  EXPECT_EQ(offsets[3], 13 * kHour);
  EXPECT_EQ(offsets[4], offsets[0]);
}

}  // namespace
}  // namespace jobhost::schedule
