// Everything a sync needs from the API, fetched before the store is touched: the organizations
// to sync and their networks, devices and device statuses, with the org-wide endpoints.
#pragma once

#include <string>
#include <vector>

#include "inventory.h"
#include "meraki_client.h"

namespace mks {

struct Fetched {
  Inventory inventory;
  std::vector<std::string> organizations;  // the ids synced, in order
};

// Throws MerakiRefusal when a configured organization is not visible to the key.
Fetched fetch_inventory(MerakiClient& client);

}  // namespace mks
