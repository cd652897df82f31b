// The singleton rule across processes: two `jobhost enqueue` of the same singleton job type and
// key, started at the same instant, on both stores. The store decides: exactly one gets the
// slot, the other is refused with exit code 6 and told which job holds it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include <nlohmann/json.hpp>

#include "cli/cli_harness.h"
#include "support/store_params.h"

namespace jobhost {
namespace {

using testing::Cli;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

class SingletonCliTest : public testing::StoreTest {};

TEST_P(SingletonCliTest, ConcurrentEnqueuesFromTwoProcessesGetOneJobPerKey) {
  testing::HostSetup setup;
  setup.store = target();
  setup.plugin_files = {testing::test_plugin("testkit")};
  Cli cli(setup);

  constexpr int kRounds = 15;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const std::string key = "k" + std::to_string(round);
    const std::vector<std::string> args = {"enqueue", "testkit.single", "--param", "key=" + key};
    // Both started before either is waited for. The first round is also both processes'
    // first contact with a fresh store (schema migrations race as well).
    auto first = cli.spawn(args);
    auto second = cli.spawn(args);
    auto first_status = first.wait(60s);
    auto second_status = second.wait(60s);
    ASSERT_TRUE(first_status && second_status) << "an enqueue hung";
    ASSERT_TRUE(first_status->exited() && second_status->exited());

    const bool first_won = first_status->exit_code == 0;
    auto& winner = first_won ? first : second;
    auto& loser = first_won ? second : first;
    const int winner_code = (first_won ? first_status : second_status)->exit_code;
    const int loser_code = (first_won ? second_status : first_status)->exit_code;
    ASSERT_EQ(winner_code, 0) << "neither got the slot:\n"
                              << first.err() << "\n---\n"
                              << second.err();
    ASSERT_EQ(loser_code, 6) << "both or neither got the slot:\nwinner: " << winner.out()
                             << winner.err() << "\nloser: " << loser.out() << loser.err();

    const int64_t holder = testing::job_id_in(winner.out());
    ASSERT_GT(holder, 0) << winner.out();
    EXPECT_EQ(winner.out(), "enqueued job " + std::to_string(holder) + " (testkit.single)\n");
    EXPECT_EQ(loser.out(), "");
    EXPECT_THAT(loser.err(),
                HasSubstr("error: job type 'testkit.single' with key '" + key +
                          "' is a singleton and job " + std::to_string(holder) +
                          " (pending) holds its slot; wait for it to finish or look at it with "
                          "`jobhost job " +
                          std::to_string(holder) + "`\n"));
  }

  auto live = cli.json({"jobs", "--limit", "100", "--json"});
  ASSERT_TRUE(live.is_array()) << live;
  EXPECT_EQ(live.size(), static_cast<size_t>(kRounds)) << live;
  std::set<std::string> keys;
  for (const auto& j : live) {
    EXPECT_EQ(j["status"], "pending") << j;
    EXPECT_EQ(j["type"], "testkit.single") << j;
    keys.insert(j["key"].get<std::string>());
  }
  EXPECT_EQ(keys.size(), static_cast<size_t>(kRounds)) << "one live job per key";

  auto totals = cli.json({"work", "--drain", "--json"});
  EXPECT_EQ(totals["completed"], kRounds) << totals;
  EXPECT_EQ(totals["errored"], 0) << totals;
  EXPECT_EQ(cli.json({"jobs", "--status", "completed", "--limit", "100", "--json"}).size(),
            static_cast<size_t>(kRounds));
  EXPECT_EQ(cli.json({"jobs", "--status", "pending", "--json"}), nlohmann::json::array());

  // A finished job frees its slot.
  auto again = cli.json({"enqueue", "testkit.single", "--param", "key=k0", "--json"});
  EXPECT_EQ(again["status"], "pending") << again;
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(SingletonCliTest);

}  // namespace
}  // namespace jobhost
