// hedgehog.fabric_sync: every remote call first (on SQLite a writing run holds the store's write
// lock until it ends), then one pass over what is stored: insert what is new, update what changed
// (uid or resourceVersion), delete what vanished from the cluster, and record the fabric's state.
#include <nlohmann/json.hpp>

#include "fabric_config.h"
#include "fabric_tables.h"
#include "jobs.h"
#include "kube_client.h"

namespace hfs {

namespace {

constexpr size_t kNamesInEvent = 50;  // changed objects named in the sync's event, at most

struct Changes {
  std::vector<ObjectRow> created, updated;
  std::vector<std::pair<std::string, std::string>> deleted;  // kind, name
  nlohmann::json per_kind = nlohmann::json::object();
  nlohmann::json missing = nlohmann::json::array();
  int64_t objects = 0, pages = 0, restarts = 0;
};

Changes compare(std::vector<KindList>& lists, StoredIndex stored) {
  Changes c;
  for (auto& list : lists) {
    const std::string& kind = list.kind->plural;
    auto& k = c.per_kind[kind];
    k = {{"objects", 0}, {"created", 0}, {"updated", 0}, {"deleted", 0}};
    if (!list.installed) c.missing.push_back(kind);
    c.pages += list.pages;
    c.restarts += list.restarts;
    for (const auto& item : list.items) {
      ObjectRow row = object_row(kind, item);
      auto found = stored.find(object_key(kind, row.name));
      if (found == stored.end()) {
        k["created"] = k["created"].get<int64_t>() + 1;
        c.created.push_back(std::move(row));
        continue;
      }
      if (found->second.uid != row.uid || found->second.resource_version != row.resource_version) {
        k["updated"] = k["updated"].get<int64_t>() + 1;
        c.updated.push_back(std::move(row));
      }
      stored.erase(found);
    }
    k["objects"] = list.items.size();
    c.objects += static_cast<int64_t>(list.items.size());
  }
  for (const auto& [key, version] : stored) {
    const auto slash = key.find('/');
    c.deleted.emplace_back(key.substr(0, slash), key.substr(slash + 1));
    auto& k = c.per_kind[key.substr(0, slash)];
    k["deleted"] = k.value("deleted", int64_t{0}) + 1;
  }
  return c;
}

// A few changed objects by name ("switches/leaf-01"), for the event.
nlohmann::json named_changes(const Changes& c) {
  auto names = [](const auto& rows) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rows) {
      if (out.size() == kNamesInEvent) break;
      out.push_back(object_key(r.kind, r.name));
    }
    return out;
  };
  nlohmann::json deleted = nlohmann::json::array();
  for (const auto& [kind, name] : c.deleted) {
    if (deleted.size() == kNamesInEvent) break;
    deleted.push_back(object_key(kind, name));
  }
  return {{"created", names(c.created)}, {"updated", names(c.updated)}, {"deleted", deleted}};
}

}  // namespace

jobhost::Result fabric_sync(jobhost::Run& run) {
  const auto name = run.param<std::string>("fabric");
  const auto fabric = configured_fabric(run, name);
  if (!fabric) return not_configured(name);

  KubeClient client(run, *fabric, request_settings(run));
  const auto version = client.version();
  auto lists = client.list_all(synced_kinds());
  run.throw_if_cancelled();

  FabricTables tables(run);
  const int64_t now = jobhost::now_micros();
  Changes c = compare(lists, tables.stored(name));
  lists.clear();
  run.progress(c.objects, c.objects, "compared with the store");
  tables.insert(name, c.created, now);
  tables.update(name, c.updated, now);
  tables.remove(name, c.deleted);

  nlohmann::json counts = nlohmann::json::object();
  for (const auto& [kind, k] : c.per_kind.items()) counts[kind] = k.value("objects", 0);
  FabricRecord record;
  record.name = name;
  record.sync_status = "in_sync";
  if (!c.missing.empty())
    record.sync_error = "CRDs not installed (counted as 0): " + c.missing.dump();
  record.last_sync = now;
  record.last_sync_job = run.job_id();
  record.counts = counts.dump();
  record.missing_kinds = c.missing.dump();
  record.cluster_version = version.value("gitVersion", "");
  record.objects = c.objects;
  tables.record_sync(record);

  const auto changed = c.created.size() + c.updated.size() + c.deleted.size();
  nlohmann::json result = {
      {"fabric", name},
      {"objects", c.objects},
      {"created", c.created.size()},
      {"updated", c.updated.size()},
      {"deleted", c.deleted.size()},
      {"unchanged", c.objects - static_cast<int64_t>(c.created.size() + c.updated.size())},
      {"kinds", c.per_kind},
      {"missing_kinds", c.missing},
      {"cluster_version", record.cluster_version},
      {"requests", client.requests()},
      {"pages", c.pages},
      {"list_restarts", c.restarts}};
  jobhost::EventData event;
  event.data = nlohmann::json({{"kinds", c.per_kind}, {"changes", named_changes(c)}}).dump();
  run.event("fabric " + name + " synced: " + std::to_string(c.objects) + " objects, " +
                std::to_string(c.created.size()) + " created, " + std::to_string(c.updated.size()) +
                " updated, " + std::to_string(c.deleted.size()) + " deleted",
            event, changed > 0 ? jobhost::Level::info : jobhost::Level::debug);
  if (!c.missing.empty())
    run.event("fabric " + name + ": " + *record.sync_error +
                  "; install Hedgehog's CRDs or "
                  "ignore if this fabric does not use them",
              {}, jobhost::Level::warn);
  return jobhost::Result::ok(result.dump());
}

jobhost::Result not_configured(const std::string& fabric) {
  return jobhost::Result::failure(
      nlohmann::json({{"fabric", fabric}}).dump(),
      "fabric '" + fabric +
          "' is not configured (plugins.hedgehog-fabric-sync.fabrics): add it there, or "
          "remove its synced data with hedgehog.forget_fabric");
}

}  // namespace hfs
