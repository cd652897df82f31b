#include "fabric_schedules.h"

#include <set>
#include <string>

#include "fabric_config.h"
#include "jobs.h"

namespace hfs {

void apply_fabric_schedules(jobhost::Context& ctx) {
  const auto fabrics = configured_fabrics(ctx);
  std::set<std::string> wanted;
  for (const auto& f : fabrics)
    if (f.scheduled()) wanted.insert(f.name);

  for (const auto& s : ctx.schedules(kFabricSync)) {
    // A `schedules:` entry of the host's YAML is the operator's, not the plugin's to remove.
    if (s.source != "plugin" || wanted.count(s.key)) continue;
    ctx.unschedule(kFabricSync, s.key);
    ctx.info("fabric " + s.key +
             ": schedule removed (sync disabled, interval 0 or no longer configured); its "
             "synced objects stay until hedgehog.forget_fabric");
  }
  for (const auto& f : fabrics) {
    if (!f.scheduled()) continue;
    ctx.schedule(kFabricSync, f.name, "every " + std::to_string(f.sync_interval_s) + "s");
  }
  ctx.info("hedgehog-fabric-sync: " + std::to_string(fabrics.size()) + " fabric" +
           (fabrics.size() == 1 ? "" : "s") + ", " + std::to_string(wanted.size()) +
           " on a schedule");
}

}  // namespace hfs
