// Settings and schedule timings changed at run time (the HTTP API), kept in the store and laid
// over the YAML file's sections by every host of the store whenever it reads its configuration:
// at start and at each reload. The YAML stays what an operator wrote; the store says what was
// changed since, by whom and when, and deleting an override gives the YAML's value back.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/host_config.h"
#include "core/time.h"
#include "store/database.h"

namespace jobhost {

struct ConfigOverride {
  // "plugins": `name` is a plugin, `path` a dotted setting path in its section.
  // "schedules": `name` is a job type, `path` is "" and `value` the timing keys of its
  // `schedules:` entry (every, or cron with time_zone; jitter), which replace the YAML's.
  std::string section;
  std::string name;
  std::string path;
  nlohmann::json value;
  Micros updated_at = 0;
  std::string updated_by;

  nlohmann::json to_json() const;
};

inline constexpr const char* kPluginSection = "plugins";
inline constexpr const char* kScheduleSection = "schedules";

class ConfigOverrideStore {
 public:
  explicit ConfigOverrideStore(store::Session& session) : session_(session) {}
  // Every override, by section, name and path. Throws store::StoreError.
  std::vector<ConfigOverride> list();
  // Inserts or replaces (section, name, path).
  void put(const ConfigOverride& o);
  // False when there was none.
  bool remove(const std::string& section, const std::string& name, const std::string& path);

 private:
  store::Session& session_;
};

// `config` with the overrides laid over its plugin and schedule sections. A section the YAML
// lacks is created. The result is checked like the file's own sections, by their validators.
config::HostConfig with_overrides(config::HostConfig config,
                                  const std::vector<ConfigOverride>& overrides);

// Reads the overrides and lays them over `config`. Throws store::StoreError: a configuration
// without them would silently undo changes (a reload then keeps the current one).
config::HostConfig with_stored_overrides(config::HostConfig config, store::Session& session);

}  // namespace jobhost
