// meraki.status as the host's API runs it: a read-only query (ABI 1.4) showing the last sync and
// the change sets waiting for review, without recording a job or calling the Dashboard API.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "jobs/query.h"
#include "meraki_fixture.h"

namespace jobhost::testing {
namespace {

using json = nlohmann::json;

class MerakiQueryTest : public MerakiPluginTest {
 protected:
  json status() {
    auto out = jobs::run_query(host().plugins(), host().session(), host().runner_options(),
                               "meraki.status", json::object());
    EXPECT_TRUE(out.ok) << out.error;
    return json::parse(out.result.value_or("null"));
  }
};

TEST_P(MerakiQueryTest, StatusQueryShowsTheLastSyncAndThePendingChangeSets) {
  FakeMerakiOptions o;
  o.networks = 2;
  o.devices = 6;
  start_fake(o);
  open();
  const auto* query = jobs::status_query_of(host().plugins().find_plugin("meraki-sync")->spec);
  ASSERT_NE(query, nullptr);
  EXPECT_EQ(query->name, "meraki.status");

  auto staged = sync("review");
  ASSERT_EQ(staged.status, jobs::JobStatus::completed) << staged.error;
  const int64_t set = result(staged)["change_set"].get<int64_t>();
  const size_t requests = fake().requests();
  const int64_t jobs_before = count("SELECT COUNT(*) FROM jh_jobs");
  const int64_t events_before = count("SELECT COUNT(*) FROM jh_events");

  auto s = status();
  EXPECT_EQ(s["last_sync"]["status"], "completed") << s;
  EXPECT_EQ(s["last_sync"]["job_id"], staged.id);
  ASSERT_EQ(s["pending_change_sets"].size(), 1u) << s;
  EXPECT_EQ(s["pending_change_sets"][0]["id"], set);
  EXPECT_EQ(s["pending_change_sets"][0]["changes"], 9) << "1 organization, 2 sites, 6 devices";
  EXPECT_EQ(fake().requests(), requests) << "the query never calls the Dashboard API";
  EXPECT_EQ(count("SELECT COUNT(*) FROM jh_jobs"), jobs_before) << "no job recorded";
  EXPECT_EQ(count("SELECT COUNT(*) FROM jh_events"), events_before) << "no event";

  ASSERT_EQ(run("meraki.approve", {{"change_set", std::to_string(set)}}).status,
            jobs::JobStatus::completed);
  auto after = status();
  EXPECT_TRUE(after["pending_change_sets"].empty()) << after;
  ASSERT_EQ(after["organizations"].size(), 1u) << after;
  EXPECT_EQ(after["organizations"][0]["devices"], 6);
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(MerakiQueryTest);

}  // namespace
}  // namespace jobhost::testing
