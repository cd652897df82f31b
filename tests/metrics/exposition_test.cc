// The text format itself, without a store: escaping, HELP/TYPE lines, number spelling, and
// histograms (cumulative buckets, inclusive bounds, +Inf equal to _count).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "metrics/exposition.h"
#include "metrics/exposition_reader.h"
#include "metrics/histogram.h"

namespace jobhost {
namespace {

using metrics::Exposition;
using metrics::SecondsHistogram;

TEST(MetricsExposition, LabelValuesEscapeBackslashQuoteAndNewlineOnly) {
  EXPECT_EQ(metrics::escape_label_value("plain.type-1 ü"), "plain.type-1 ü");
  EXPECT_EQ(metrics::escape_label_value("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
  EXPECT_EQ(metrics::escape_help("says \"hi\"\\\nbye"), "says \"hi\"\\\\\\nbye")
      << "help text keeps its quotes";
}

TEST(MetricsExposition, FamilyStartsWithHelpAndTypeAndSamplesReadBack) {
  Exposition out;
  out.family("jobhost_things_total", "counter", "Things.\nCounted.");
  out.sample("jobhost_things_total", {{"kind", "we\"ird\\\n"}, {"code", "200"}}, std::uint64_t{7});
  out.sample("jobhost_things_total", {}, std::int64_t{-1});
  EXPECT_EQ(out.text(),
            "# HELP jobhost_things_total Things.\\nCounted.\n"
            "# TYPE jobhost_things_total counter\n"
            "jobhost_things_total{kind=\"we\\\"ird\\\\\\n\",code=\"200\"} 7\n"
            "jobhost_things_total -1\n");
  auto parsed = testing::read_exposition(out.text());
  EXPECT_TRUE(parsed.problems.empty()) << ::testing::PrintToString(parsed.problems);
  EXPECT_EQ(parsed.families["jobhost_things_total"].help, "Things.\nCounted.");
  EXPECT_EQ(parsed.value("jobhost_things_total", {{"kind", "we\"ird\\\n"}, {"code", "200"}}), 7);
}

TEST(MetricsExposition, DoublesUseTheSpellingsPrometheusReads) {
  EXPECT_EQ(metrics::format_double(0.25), "0.25");
  EXPECT_EQ(metrics::format_double(3.0), "3");
  EXPECT_EQ(metrics::format_double(1e-6), "1e-06");
  EXPECT_EQ(metrics::format_double(HUGE_VAL), "+Inf");
  EXPECT_EQ(metrics::format_double(-HUGE_VAL), "-Inf");
  EXPECT_EQ(metrics::format_double(std::nan("")), "NaN");
}

TEST(MetricsExposition, HistogramBucketsAreCumulativeInclusiveAndEndWithCount) {
  SecondsHistogram h;
  h.observe(1'000);          // exactly 1 ms: le="0.001" holds it (less or equal)
  h.observe(1'001);          // just above: le="0.005"
  h.observe(2'000'000);      // 2 s: le="2.5"
  h.observe(7'200'000'000);  // 2 h: only +Inf
  h.observe(-5);             // a clock step back counts as 0
  Exposition out;
  out.family("jobhost_d_seconds", "histogram", "D.");
  h.write(out, "jobhost_d_seconds", "type", "t");
  auto parsed = testing::read_exposition(out.text());
  ASSERT_TRUE(parsed.problems.empty()) << ::testing::PrintToString(parsed.problems) << out.text();

  auto bucket = [&](const std::string& le) {
    return parsed.value("jobhost_d_seconds_bucket", {{"type", "t"}, {"le", le}});
  };
  EXPECT_EQ(bucket("0.001"), 2);  // 0 and 1 ms
  EXPECT_EQ(bucket("0.005"), 3);
  EXPECT_EQ(bucket("1"), 3);
  EXPECT_EQ(bucket("2.5"), 4);
  EXPECT_EQ(bucket("3600"), 4);
  EXPECT_EQ(bucket("+Inf"), 5);
  EXPECT_EQ(parsed.value("jobhost_d_seconds_count", {{"type", "t"}}), 5);
  EXPECT_DOUBLE_EQ(parsed.value("jobhost_d_seconds_sum", {{"type", "t"}}), 7202.002001);
  EXPECT_EQ(std::count_if(parsed.samples.begin(), parsed.samples.end(),
                          [](const auto& s) { return s.name == "jobhost_d_seconds_bucket"; }),
            static_cast<long>(metrics::kSecondsBuckets.size() + 1));
  EXPECT_EQ(metrics::kSecondsBuckets.front().le, std::string("0.001"));
  EXPECT_EQ(metrics::kSecondsBuckets.back().le, std::string("3600"));
}

// The reader the other tests rely on must itself catch what it is there to catch.
TEST(MetricsExposition, ReaderRejectsMalformedExpositions) {
  auto problems = [](const std::string& text) { return testing::read_exposition(text).problems; };
  EXPECT_FALSE(problems("jobhost_x 1\n").empty()) << "a sample without HELP and TYPE";
  EXPECT_FALSE(problems("# TYPE jobhost_x gauge\njobhost_x 1\n").empty()) << "no HELP";
  EXPECT_FALSE(
      problems("# HELP jobhost_x X.\n# TYPE jobhost_x gauge\njobhost_x{a=\"b\\q\"} 1\n").empty())
      << "an unknown escape";
  EXPECT_FALSE(problems("# HELP jobhost_h H.\n# TYPE jobhost_h histogram\n"
                        "jobhost_h_bucket{le=\"1\"} 2\njobhost_h_bucket{le=\"+Inf\"} 1\n"
                        "jobhost_h_sum 1\njobhost_h_count 1\n")
                   .empty())
      << "buckets not cumulative";
  EXPECT_FALSE(problems("# HELP jobhost_h H.\n# TYPE jobhost_h histogram\n"
                        "jobhost_h_bucket{le=\"+Inf\"} 2\njobhost_h_sum 1\njobhost_h_count 3\n")
                   .empty())
      << "+Inf differs from _count";
  EXPECT_TRUE(
      problems("# HELP jobhost_x X.\n# TYPE jobhost_x gauge\njobhost_x{a=\"\\\"\"} 1\n").empty());
}

}  // namespace
}  // namespace jobhost
