// The plugin's job types; each returns its result JSON (see plugin.cc for their parameters).
#pragma once

#include <string>

#include <jobhost/sdk.hpp>

namespace hfs {

inline constexpr const char* kFabricSync = "hedgehog.fabric_sync";

// hedgehog.fabric_sync: mirrors one fabric's resources into the plugin's tables.
jobhost::Result fabric_sync(jobhost::Run& run);
// hedgehog.test_connection: /version and one list against one fabric; writes nothing.
jobhost::Result test_connection(jobhost::Run& run);
// hedgehog.status: per fabric, its sync state, counts, last and next sync (read-only).
jobhost::Result status(jobhost::Run& run);
// hedgehog.forget_fabric: removes the synced data of a fabric that left the configuration.
jobhost::Result forget_fabric(jobhost::Run& run);

// The failure of a job about a fabric the configuration does not have.
jobhost::Result not_configured(const std::string& fabric);

}  // namespace hfs
