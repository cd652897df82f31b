// meraki.test_connection: the key, the base URL and the organizations, checked with one paged
// GET /organizations. Writes nothing.
#include <nlohmann/json.hpp>

#include "jobs.h"
#include "meraki_client.h"

namespace mks {

jobhost::Result test_connection(jobhost::Run& run) {
  const auto settings = read_settings(run);
  MerakiClient client(run, settings);
  nlohmann::json result = {{"base_url", settings.base_url}};
  try {
    nlohmann::json visible = nlohmann::json::array();
    for (const auto& org : client.organizations())
      visible.push_back({{"id", org.value("id", nlohmann::json()).is_string()
                                    ? org["id"].get<std::string>()
                                    : org.value("id", nlohmann::json()).dump()},
                         {"name", org.value("name", "")}});
    result["organizations"] = visible;
    nlohmann::json missing = nlohmann::json::array();
    for (const auto& id : settings.organizations) {
      bool found = false;
      for (const auto& v : visible) found = found || v["id"] == id;
      if (!found) missing.push_back(id);
    }
    result["configured_but_not_visible"] = missing;
    result["api_calls"] = client.stats().calls;
    if (!missing.empty())
      return jobhost::Result::failure(
          result.dump(), "configured organizations not visible to this API key: " + missing.dump());
    return jobhost::Result::ok(result.dump());
  } catch (const MerakiRefusal& e) {
    return jobhost::Result::failure(result.dump(), e.what());
  }
}

}  // namespace mks
