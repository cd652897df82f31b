// hedgehog.status as the host's API runs it: a read-only query (ABI 1.4) showing each fabric's
// sync status and counts without recording a job.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hedgehog_fixture.h"
#include "jobs/query.h"

namespace jobhost::testing {
namespace {

class HedgehogQueryTest : public HedgehogPluginTest {};

TEST_P(HedgehogQueryTest, StatusQueryShowsEachFabricsSyncStatusAndCounts) {
  FakeKubernetesOptions o;
  o.objects = 24;  // 2 of each of the 12 kinds
  add_fabric("lab", o);
  add_fabric("dc2", o).set_token("rotated-elsewhere");  // its syncs are refused
  open();
  ASSERT_EQ(sync("lab").status, jobs::JobStatus::completed);
  ASSERT_EQ(sync("dc2").status, jobs::JobStatus::errored);
  const auto* query =
      jobs::status_query_of(host().plugins().find_plugin("hedgehog-fabric-sync")->spec);
  ASSERT_NE(query, nullptr);
  const int64_t jobs_before = count("SELECT COUNT(*) FROM jh_jobs");
  const int64_t events_before = count("SELECT COUNT(*) FROM jh_events");

  auto out = jobs::run_query(host().plugins(), host().session(), host().runner_options(),
                             query->name, nlohmann::json::object());
  ASSERT_TRUE(out.ok) << out.error;
  const auto r = nlohmann::json::parse(out.result.value());
  ASSERT_EQ(r["fabrics"].size(), 2u) << r;
  const auto& dc2 = r["fabrics"][0];
  const auto& lab = r["fabrics"][1];
  EXPECT_EQ(lab["name"], "lab");
  EXPECT_EQ(lab["status"], "in_sync");
  EXPECT_EQ(lab["objects"], 24);
  EXPECT_EQ(lab["counts"]["switches"], 2);
  EXPECT_TRUE(lab["next_sync"].is_string()) << lab;
  EXPECT_EQ(dc2["name"], "dc2");
  EXPECT_EQ(dc2["status"], "error");
  EXPECT_THAT(dc2["error"].get<std::string>(), ::testing::HasSubstr("refused the token"));
  EXPECT_EQ(r["summary"], nlohmann::json({{"in_sync", 1}, {"error", 1}}));

  EXPECT_EQ(count("SELECT COUNT(*) FROM jh_jobs"), jobs_before) << "no job recorded";
  EXPECT_EQ(count("SELECT COUNT(*) FROM jh_events"), events_before) << "no event";
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(HedgehogQueryTest);

}  // namespace
}  // namespace jobhost::testing
