// One schedule of hedgehog.fabric_sync per fabric whose sync is enabled with an interval,
// registered in the host's schedule registry at start and on every reload: a fabric that is
// new (never synced) runs at once, a known one keeps its rhythm (an overdue one runs once),
// and there is never a second chain. Schedules of fabrics that are disabled or gone are
// removed; their synced data stays (hedgehog.forget_fabric removes it).
#pragma once

#include <jobhost/sdk.hpp>

namespace hfs {

// Throws std::invalid_argument (a bad `fabrics:` section) before changing anything.
void apply_fabric_schedules(jobhost::Context& ctx);

}  // namespace hfs
