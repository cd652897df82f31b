// A real Host on a fresh store (SQLite file or throwaway PostgreSQL) with the testkit plugin,
// and its metrics rendered and read back. Counters are process-wide and every test of the
// binary moves them: tests compare two scrapes (delta) rather than absolute values.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "host/host.h"
#include "metrics/exposition_reader.h"
#include "metrics/metrics.h"
#include "support/host_fixture.h"

namespace jobhost::testing {

using LabelList = std::vector<std::pair<std::string, std::string>>;

class MetricsTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    setup_.store = target();
    setup_.plugin_files = {test_plugin("testkit")};
  }
  Host& host() {
    if (!host_) host_ = open_test_host(setup_);
    return *host_;
  }
  // A scrape as the daemon's /metrics route makes it, checked for format problems.
  ParsedExposition scrape() {
    const std::string text = metrics::render(host().session(), metrics::RenderContext::of(host()));
    ParsedExposition parsed = read_exposition(text);
    EXPECT_TRUE(parsed.problems.empty()) << ::testing::PrintToString(parsed.problems) << "\n"
                                         << text;
    return parsed;
  }
  static double delta(const ParsedExposition& before, const ParsedExposition& after,
                      const std::string& name, const LabelList& labels) {
    return after.value(name, labels) - before.value(name, labels);
  }

  HostSetup setup_;
  std::unique_ptr<Host> host_;
};

}  // namespace jobhost::testing
