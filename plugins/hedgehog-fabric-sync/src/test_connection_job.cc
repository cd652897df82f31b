// hedgehog.test_connection: what works and what does not between this host and one fabric's
// API server, without writing anything: /version, then the first page of each synced kind.
#include <nlohmann/json.hpp>

#include "fabric_config.h"
#include "jobs.h"
#include "kube_client.h"

namespace hfs {

jobhost::Result test_connection(jobhost::Run& run) {
  const auto name = run.param<std::string>("fabric");
  const auto fabric = configured_fabric(run, name);
  if (!fabric) return not_configured(name);
  KubeClient client(run, *fabric, request_settings(run));
  nlohmann::json result = {{"fabric", name}, {"url", fabric->url}, {"namespace", fabric->ns}};
  try {
    const auto version = client.version();
    result["version"] = {{"gitVersion", version.value("gitVersion", "")},
                         {"platform", version.value("platform", "")}};
  } catch (const KubeError& e) {
    result["ok"] = false;
    result["error"] = e.what();
    return jobhost::Result::failure(result.dump(), e.what());
  }
  nlohmann::json installed = nlohmann::json::array(), missing = nlohmann::json::array();
  for (const auto& kind : synced_kinds()) {
    try {
      auto page = client.first_page(kind, 1);
      (page.installed ? installed : missing).push_back(kind.plural);
    } catch (const KubeError& e) {
      result["ok"] = false;
      result["error"] = e.what();
      result["installed_kinds"] = installed;
      return jobhost::Result::failure(result.dump(), e.what());
    }
  }
  result["ok"] = true;
  result["installed_kinds"] = installed;
  result["missing_kinds"] = missing;
  if (fabric->token.empty())
    result["warning"] = "no token: the requests were anonymous (set fabrics[].token)";
  return jobhost::Result::ok(result.dump());
}

}  // namespace hfs
