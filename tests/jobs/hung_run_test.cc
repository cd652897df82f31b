// A run that ignores its cancellation and outlives its timeout: the watchdog abandons it,
// rolls back what it wrote (on SQLite it held the single write lock), records it as timed out,
// and the pool goes on with a new worker, finishing without waiting for the stuck thread.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "exec/worker_pool.h"
#include "support/host_fixture.h"
#include "support/sql_probe.h"

namespace jobhost {
namespace {

class HungRunTest : public testing::StoreTest {};

TEST_P(HungRunTest, IsAbandonedRolledBackAndReplaced) {
  testing::HostSetup setup;
  setup.store = target();
  setup.plugin_files = {testing::test_plugin("testkit")};
  setup.workers = 1;
  auto cfg_yaml = testing::host_yaml(setup) + "jobs:\n  timeout_grace_s: 1\n";
  auto host = Host::open(config::load_config_string(cfg_yaml, "hung.yaml"));
  const int64_t hung = host->enqueue("testkit.hang", {{"ms", "30000"}});
  const int64_t after = host->enqueue("testkit.write", {{"rows", "2"}});

  const Micros started = now_micros();
  WorkerPool pool(*host, {.workers = 1, .drain = true});
  auto stats = pool.run();
  const Micros took = now_micros() - started;

  EXPECT_LT(took, 15'000'000) << "the pool must not wait for the stuck thread (30 s)";
  EXPECT_EQ(stats.errored, 1u);
  EXPECT_EQ(stats.completed, 1u) << "the job behind the hung one ran on the replacement worker";
  auto h = host->jobs().get(hung);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, jobs::JobStatus::errored);
  EXPECT_THAT(h->error.value_or(""), ::testing::HasSubstr("timed out after 1 s"));
  EXPECT_THAT(h->error.value_or(""), ::testing::HasSubstr("abandoned"));
  EXPECT_EQ(testing::scalar(host->session(), "SELECT COUNT(*) FROM testkit_rows WHERE job_id = " +
                                                 std::to_string(hung)),
            0)
      << "the hung run's write was rolled back";
  EXPECT_EQ(testing::scalar(host->session(), "SELECT COUNT(*) FROM testkit_rows WHERE job_id = " +
                                                 std::to_string(after)),
            2);
}

JOBHOST_INSTANTIATE_FOR_ALL_STORES(HungRunTest);

}  // namespace
}  // namespace jobhost
