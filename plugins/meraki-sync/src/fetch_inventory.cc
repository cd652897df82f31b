#include "fetch_inventory.h"

#include <map>
#include <unordered_map>

namespace mks {

namespace {

// The largest page each org-wide endpoint allows: the fewest calls (REMOTE-APIS.md).
constexpr const char* kNetworksPage = "?perPage=100000";
constexpr const char* kDevicesPage = "?perPage=5000";
constexpr const char* kStatusesPage = "?perPage=1000";

}  // namespace

Fetched fetch_inventory(MerakiClient& client) {
  Fetched out;
  std::map<std::string, nlohmann::json> visible;
  for (const auto& org : client.organizations()) {
    Record r = organization_record(org);
    visible.emplace(r.id, org);
  }
  if (client.settings().organizations.empty()) {
    for (const auto& [id, org] : visible) out.organizations.push_back(id);
  } else {
    for (const auto& id : client.settings().organizations) {
      if (!visible.count(id)) {
        std::string names;
        for (const auto& [vid, org] : visible)
          names += (names.empty() ? "" : ", ") + vid + " (" + org.value("name", "") + ")";
        throw MerakiRefusal("organization " + id + " is not visible to this API key; it sees: " +
                            (names.empty() ? "none" : names) + ". Fix `organizations`");
      }
      out.organizations.push_back(id);
    }
  }

  Inventory& inv = out.inventory;
  // Statuses arrive on their own pages: kept by serial, joined to the devices at the end.
  std::unordered_map<std::string, nlohmann::json> statuses;
  std::vector<ListFetch> lists;
  for (const auto& id : out.organizations) {
    Record org = organization_record(visible.at(id));
    inv.organizations.emplace(id, std::move(org));
    const std::string base = client.url("/organizations/" + id);
    const std::string key = "org:" + id;
    lists.push_back({"networks of organization " + id, base + "/networks" + kNetworksPage, key,
                     [&inv, id](const nlohmann::json& n) {
                       Record r = site_record(id, n);
                       inv.sites.insert_or_assign(r.id, std::move(r));
                     }});
    lists.push_back({"devices of organization " + id, base + "/devices" + kDevicesPage, key,
                     [&inv, id](const nlohmann::json& d) {
                       Record r = device_record(id, d);
                       inv.devices.insert_or_assign(r.id, std::move(r));
                     }});
    lists.push_back(
        {"device statuses of organization " + id, base + "/devices/statuses" + kStatusesPage, key,
         [&statuses](const nlohmann::json& s) {
           if (s.is_object() && s.contains("serial") && s["serial"].is_string())
             statuses.insert_or_assign(
                 s["serial"].get<std::string>(),
                 nlohmann::json{{"status", s.value("status", nlohmann::json())},
                                {"lastReportedAt", s.value("lastReportedAt", nlohmann::json())}});
         }});
  }
  client.fetch(lists);
  for (auto& [serial, device] : inv.devices)
    if (auto s = statuses.find(serial); s != statuses.end()) with_status(device, s->second);
  return out;
}

}  // namespace mks
