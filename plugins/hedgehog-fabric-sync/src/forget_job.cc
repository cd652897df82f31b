// hedgehog.forget_fabric: a fabric removed from the YAML keeps its synced objects (a mistyped
// edit must not wipe data); this job removes them once the removal is meant.
#include <nlohmann/json.hpp>

#include "fabric_config.h"
#include "fabric_tables.h"
#include "jobs.h"

namespace hfs {

jobhost::Result forget_fabric(jobhost::Run& run) {
  const auto name = run.param<std::string>("fabric");
  nlohmann::json result = {{"fabric", name}};
  if (configured_fabric(run, name))
    return jobhost::Result::failure(result.dump(),
                                    "fabric '" + name +
                                        "' is still configured: remove it from "
                                        "plugins.hedgehog-fabric-sync.fabrics and reload first");
  const int64_t objects = FabricTables(run).forget(name);
  result["objects_deleted"] = objects;
  run.event("fabric " + name + " forgotten: " + std::to_string(objects) + " objects deleted");
  return jobhost::Result::ok(result.dump());
}

}  // namespace hfs
