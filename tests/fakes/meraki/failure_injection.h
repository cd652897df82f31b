#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "fakes/meraki/fake_meraki.h"

// The failures a test asked for (FakeMeraki::fail_next / fail_after).
namespace jobhost::testing::fake_meraki {

struct FailureRule {
  MerakiFailure failure;
  std::size_t remaining;    // requests still to fail
  std::string target_part;  // empty: any request
  std::size_t skip;         // matching requests served before the failures start
};

// Thread-safe. Rules apply in the order they were added; the first that matches a request
// takes it.
class InjectedFailures {
 public:
  void add(FailureRule rule);  // a rule for no request is ignored
  void clear();
  // The failure due for a request to `target` (path and query), if any; counts it off.
  std::optional<MerakiFailure> take(std::string_view target);

 private:
  std::mutex mutex_;
  std::deque<FailureRule> rules_;
};

}  // namespace jobhost::testing::fake_meraki
