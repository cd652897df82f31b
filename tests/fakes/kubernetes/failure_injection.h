#pragma once

#include "fakes/kubernetes/fake_kubernetes.h"
#include "support/injected_failures.h"

// The failures a test asked for (FakeKubernetes::fail_next / fail_after).
namespace jobhost::testing::fake_kubernetes {

using FailureRule = testing::FailureRule<KubeFailure>;
using InjectedFailures = testing::InjectedFailures<KubeFailure>;

}  // namespace jobhost::testing::fake_kubernetes
