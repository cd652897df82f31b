// The plugin's tables: the inventory (meraki_organizations, meraki_sites, meraki_devices), the
// review queue (meraki_change_sets, meraki_changes) and meraki_lock, whose one row serializes
// every writer of the inventory. Every statement runs in the run's transaction.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <jobhost/sdk.hpp>

#include "changes.h"
#include "inventory.h"

namespace mks {

extern const char* const kSchemaV1;

class InventoryTables {
 public:
  explicit InventoryTables(const jobhost::Run& run) : run_(run) {}

  // Takes the inventory's write lock until the run's transaction ends: a sync and an approval
  // never compute changes from a state the other is about to change (a row lock on
  // PostgreSQL, the database's write lock on SQLite). Take it after the API calls.
  void lock() const;

  // The stored organizations with these ids, and the sites and devices of those organizations.
  Inventory load(const std::vector<std::string>& organization_ids) const;
  // The stored record of one object, if any.
  std::optional<Record> find(Kind kind, const std::string& id) const;

  // Inserts, updates and deletes, prepared once per kind and action.
  void apply(const std::vector<Change>& changes, int64_t now) const;
  // Marks the organizations as synced by this job at `now`.
  void mark_synced(const std::vector<std::string>& organization_ids, int64_t now) const;

  struct Counts {
    std::string organization_id, name;
    int64_t sites = 0, devices = 0;
    std::optional<int64_t> last_synced_at;
  };
  std::vector<Counts> counts() const;

 private:
  const jobhost::Run& run_;
};

}  // namespace mks
