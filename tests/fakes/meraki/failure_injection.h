#pragma once

#include "fakes/meraki/fake_meraki.h"
#include "support/injected_failures.h"

// The failures a test asked for (FakeMeraki::fail_next / fail_after).
namespace jobhost::testing::fake_meraki {

using FailureRule = testing::FailureRule<MerakiFailure>;
using InjectedFailures = testing::InjectedFailures<MerakiFailure>;

}  // namespace jobhost::testing::fake_meraki
