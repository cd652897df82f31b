#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "fakes/zabbix/fake_zabbix.h"
#include "fakes/zabbix/json_text.h"
#include "fakes/zabbix/settings.h"
#include "support/http_test_server.h"

// The failures a test asked for (FakeZabbix::fail_next/fail_after) and what a failed request
// gets instead of its answer.
namespace jobhost::testing::fake_zabbix {

struct FailureRule {
  FailureKind kind;
  std::size_t remaining;
  std::string method;  // lower case; empty: any request
  std::size_t skip;    // requests (matching the method) served before the failures start
};

// Thread-safe. Rules apply in the order they were added; the first one that matches a request
// takes it.
class InjectedFailures {
 public:
  void add(FailureRule rule);  // a rule for no request is ignored
  void clear();
  // The failure for a request calling `methods` (lower case), if one is due; counts it off.
  std::optional<FailureKind> take(const std::vector<std::string>& methods);

 private:
  std::mutex mutex_;
  std::deque<FailureRule> rules_;
};

// The answer of a request failed by injection. `body`: the request, nullptr when it did not
// parse; `settings`: how long FailureKind::hang holds the connection and what Retry-After
// FailureKind::too_many_requests sends.
TestResponse failure_response(FailureKind kind, const ojson* body, const RequestSettings& settings);

}  // namespace jobhost::testing::fake_zabbix
