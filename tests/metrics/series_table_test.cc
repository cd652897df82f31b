// The series table under concurrent use: counts from many threads are never lost, whether a
// label set is new (added under the mutex) or found without a lock.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "metrics/series_table.h"

namespace jobhost {
namespace {

using Counter = std::atomic<std::uint64_t>;

TEST(MetricsSeriesTable, SameLabelsFindTheSameCellAndOthersNot) {
  metrics::SeriesTable<Counter> table;
  Counter& a = table.at({"x", "completed"});
  EXPECT_EQ(&a, &table.at({"x", "completed"}));
  EXPECT_NE(&a, &table.at({"x", "failed"}));
  EXPECT_NE(&a, &table.at({"xc", "ompleted"})) << "label boundaries matter";
}

TEST(MetricsSeriesTable, ConcurrentCountsAreAllKeptAndListedInLabelOrder) {
  metrics::SeriesTable<Counter> table;
  constexpr int kThreads = 4, kTypes = 150, kRounds = 40;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&table, t] {
      // Each thread walks the types in its own order, so that they race to add the same sets.
      for (int round = 0; round < kRounds; ++round)
        for (int i = 0; i < kTypes; ++i) {
          const std::string type = "type." + std::to_string((i * (t + 1) + round) % kTypes);
          table.at({type, "completed"}).fetch_add(1, std::memory_order_relaxed);
        }
    });
  }
  for (auto& th : threads) th.join();

  std::map<std::string, std::uint64_t> seen;
  std::vector<std::string> order;
  table.for_each([&](const std::vector<std::string>& labels, const Counter& c) {
    seen[labels.at(0)] += c.load();
    order.push_back(labels.at(0));
  });
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kTypes)) << "each label set added once";
  std::uint64_t total = 0;
  for (const auto& [type, n] : seen) total += n;
  EXPECT_EQ(total, static_cast<std::uint64_t>(kThreads) * kTypes * kRounds);
  EXPECT_TRUE(std::is_sorted(order.begin(), order.end()));
}

}  // namespace
}  // namespace jobhost
