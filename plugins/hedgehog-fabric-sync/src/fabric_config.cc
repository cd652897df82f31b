#include "fabric_config.h"

#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace hfs {

namespace {

const std::string kWhere = "plugins.hedgehog-fabric-sync.fabrics";

// Fabric names become schedule keys, job keys and CLI arguments: keep them plain.
bool plain_name(const std::string& name) {
  if (name.empty() || name.size() > 63) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

template <class T>
T value_or(const nlohmann::json& item, const char* key, T fallback) {
  auto it = item.find(key);
  return it == item.end() || it->is_null() ? fallback : it->get<T>();
}

}  // namespace

std::vector<Fabric> configured_fabrics(const jobhost::Context& ctx) {
  const auto settings = nlohmann::json::parse(ctx.settings_json());
  std::vector<Fabric> out;
  const auto list = settings.find("fabrics");
  if (list == settings.end() || !list->is_array()) return out;
  std::set<std::string> names;
  for (size_t i = 0; i < list->size(); ++i) {
    const auto& item = (*list)[i];
    const std::string where = kWhere + "[" + std::to_string(i) + "]";
    Fabric f;
    f.name = value_or<std::string>(item, "name", "");
    if (!plain_name(f.name))
      throw std::invalid_argument(
          where + ".name: '" + f.name +
          "' is not a usable fabric name (1-63 letters, digits, '-', '_' or '.')");
    if (!names.insert(f.name).second)
      throw std::invalid_argument(where + ".name: fabric '" + f.name +
                                  "' is configured twice; give each fabric its own name");
    f.url = value_or<std::string>(item, "url", "");
    while (!f.url.empty() && f.url.back() == '/') f.url.pop_back();
    if (f.url.rfind("https://", 0) != 0 && f.url.rfind("http://", 0) != 0)
      throw std::invalid_argument(where + ".url: '" + f.url +
                                  "' is not an http(s) URL of a Kubernetes API server (e.g. "
                                  "https://10.0.0.1:6443)");
    f.token = value_or<std::string>(item, "token", "");
    f.ca_file = value_or<std::string>(item, "ca_file", "");
    f.ns = value_or<std::string>(item, "namespace", "default");
    f.insecure_skip_tls_verify = value_or<bool>(item, "insecure_skip_tls_verify", false);
    f.sync_enabled = value_or<bool>(item, "sync_enabled", true);
    f.sync_interval_s = value_or<int64_t>(item, "sync_interval", 300);
    out.push_back(std::move(f));
  }
  return out;
}

std::optional<Fabric> configured_fabric(const jobhost::Context& ctx, const std::string& name) {
  for (auto& f : configured_fabrics(ctx))
    if (f.name == name) return f;
  return std::nullopt;
}

RequestSettings request_settings(const jobhost::Context& ctx) {
  RequestSettings r;
  r.timeout = std::chrono::milliseconds(
      static_cast<int64_t>(ctx.setting_or<double>("timeout_s", 30) * 1000));
  r.connect_timeout = std::chrono::milliseconds(
      static_cast<int64_t>(ctx.setting_or<double>("connect_timeout_s", 10) * 1000));
  r.page_size = ctx.setting_or<int64_t>("page_size", 500);
  r.max_in_flight = static_cast<uint32_t>(ctx.setting_or<int64_t>("max_in_flight", 4));
  r.retry_429 = static_cast<uint32_t>(ctx.setting_or<int64_t>("retry_429", 4));
  return r;
}

}  // namespace hfs
