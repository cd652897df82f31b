// The plugin's tables: hedgehog_fabrics (one row per fabric ever synced: its sync state and
// counts) and hedgehog_objects (the mirrored custom resources). Every write runs in the run's
// transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <jobhost/sdk.hpp>
#include <nlohmann/json.hpp>

namespace hfs {

extern const char* const kSchemaV1;

// One custom resource as the table keeps it.
struct ObjectRow {
  std::string kind;  // the plural: "switches"
  std::string name, uid, resource_version;
  int64_t generation = 0;
  std::string labels, spec;  // JSON
  std::optional<std::string> status;
  std::optional<std::string> ready;  // the Ready condition's status: "True", "False", "Unknown"
};

// An item of a list answer as a row; throws std::invalid_argument when it has no name.
ObjectRow object_row(const std::string& kind, const nlohmann::json& item);

// What is stored of an object to tell whether it changed: "switches/leaf-1" -> uid, version.
struct StoredVersion {
  std::string uid, resource_version;
};
using StoredIndex = std::unordered_map<std::string, StoredVersion>;
inline std::string object_key(const std::string& kind, const std::string& name) {
  return kind + "/" + name;
}

struct FabricRecord {
  std::string name;
  std::string sync_status = "never_synced";
  std::optional<std::string> sync_error;
  std::optional<int64_t> last_sync;  // microseconds since the epoch
  std::optional<int64_t> last_sync_job;
  std::string counts = "{}";         // JSON: objects per kind
  std::string missing_kinds = "[]";  // JSON: kinds whose CRD was not installed
  std::string cluster_version;
  int64_t objects = 0;
};

class FabricTables {
 public:
  explicit FabricTables(const jobhost::Run& run) : run_(run) {}

  StoredIndex stored(const std::string& fabric) const;
  void insert(const std::string& fabric, const std::vector<ObjectRow>& rows, int64_t now) const;
  void update(const std::string& fabric, const std::vector<ObjectRow>& rows, int64_t now) const;
  // (kind, name) pairs.
  void remove(const std::string& fabric,
              const std::vector<std::pair<std::string, std::string>>& objects) const;
  void record_sync(const FabricRecord& record) const;

  std::vector<FabricRecord> fabrics() const;
  // Deletes the fabric's objects and its row; returns how many objects there were.
  int64_t forget(const std::string& fabric) const;

 private:
  const jobhost::Run& run_;
};

}  // namespace hfs
