// The timeout's error names where the limit came from and what to do; its own limit wins.
#include "jobs/run_timeout.h"

#include <gtest/gtest.h>

namespace jobhost::jobs {
namespace {

plugin::JobTypeSpec type_with_timeout(uint32_t timeout_s) {
  plugin::JobTypeSpec type;
  type.name = "zabbix.refresh";
  type.timeout_s = timeout_s;
  return type;
}

TEST(RunTimeout, AJobTypesOwnTimeoutWinsOverTheDefault) {
  EXPECT_EQ(run_timeout_s(type_with_timeout(30), 3600), 30u);
  EXPECT_EQ(run_timeout_s(type_with_timeout(0), 3600), 3600u);
}

TEST(RunTimeout, TheDefaultsErrorSaysWhichKeyToRaise) {
  EXPECT_EQ(timeout_error(type_with_timeout(0), 90),
            "timed out after 90 s (jobs.default_timeout_s): if the work is legitimately this "
            "slow, raise jobs.default_timeout_s; otherwise the run's events show what it waited "
            "for");
}

TEST(RunTimeout, AnOwnTimeoutsErrorNamesTheJobTypeAndWhereToLook) {
  EXPECT_EQ(timeout_error(type_with_timeout(30), 90),
            "timed out after 30 s (job type zabbix.refresh's own timeout): the run's events show "
            "what it waited for; check the health of that system and of the network to it");
}

}  // namespace
}  // namespace jobhost::jobs
