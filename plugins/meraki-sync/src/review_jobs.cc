// meraki.approve, meraki.reject and meraki.changes: deciding and reading the review queue.
// Approval applies a pending set only if every object it touches is still as it was staged;
// otherwise the set is marked stale (a newer sync has the current picture).
#include <nlohmann/json.hpp>

#include "inventory_tables.h"
#include "jobs.h"
#include "review_queue.h"

namespace mks {

namespace {

constexpr size_t kConflictsNamed = 20;

// The pending set, or the failure that says why it cannot be decided.
std::optional<jobhost::Result> undecidable(const std::optional<ChangeSetInfo>& set, int64_t id) {
  if (!set)
    return jobhost::Result::failure(
        nlohmann::json({{"change_set", id}}).dump(),
        "change set " + std::to_string(id) + " does not exist (meraki.changes lists them)");
  if (set->status != "pending")
    return jobhost::Result::failure(set->to_json().dump(),
                                    "change set " + std::to_string(id) + " is " + set->status +
                                        (set->note ? " (" + *set->note + ")" : "") +
                                        ": only a pending set can be decided");
  return std::nullopt;
}

}  // namespace

jobhost::Result approve(jobhost::Run& run) {
  const auto id = run.param<int64_t>("change_set");
  InventoryTables tables(run);
  tables.lock();
  ReviewQueue queue(run);
  const auto set = queue.find(id);
  if (auto refusal = undecidable(set, id)) return *refusal;

  const auto changes = queue.changes(id);
  nlohmann::json conflicts = nlohmann::json::array();
  size_t conflicting = 0;
  for (const auto& c : changes) {
    const auto current = tables.find(c.kind, c.id);
    const bool unchanged = current.has_value() == c.before.has_value() &&
                           (!current || current->values == c.before->values);
    if (unchanged) continue;
    if (++conflicting <= kConflictsNamed)
      conflicts.push_back(std::string(spec(c.kind).word) + " " + c.id);
  }
  const int64_t now = jobhost::now_micros();
  if (conflicting > 0) {
    const std::string note =
        std::to_string(conflicting) + " objects changed in the inventory since the set was staged";
    queue.decide(id, "stale", now, note);
    return jobhost::Result::failure(
        nlohmann::json({{"change_set", id}, {"status", "stale"}, {"conflicts", conflicts}}).dump(),
        "change set " + std::to_string(id) + " is stale: " + note + " (" + conflicts.dump() +
            "); run meraki.sync again to stage the current changes");
  }
  tables.apply(changes, now);
  tables.mark_synced(set->organizations, now);
  queue.decide(id, "approved", now, std::nullopt);
  run.event("meraki change set " + std::to_string(id) +
            " approved: " + std::to_string(changes.size()) + " changes applied");
  return jobhost::Result::ok(nlohmann::json({{"change_set", id},
                                             {"status", "approved"},
                                             {"applied", changes.size()},
                                             {"counts", set->counts}})
                                 .dump());
}

jobhost::Result reject(jobhost::Run& run) {
  const auto id = run.param<int64_t>("change_set");
  const auto reason = run.param<std::optional<std::string>>("reason");
  ReviewQueue queue(run);
  const auto set = queue.find(id);
  if (auto refusal = undecidable(set, id)) return *refusal;
  queue.decide(id, "rejected", jobhost::now_micros(), reason);
  run.event("meraki change set " + std::to_string(id) + " rejected" +
            (reason ? ": " + *reason : ""));
  return jobhost::Result::ok(nlohmann::json({{"change_set", id}, {"status", "rejected"}}).dump());
}

jobhost::Result changes(jobhost::Run& run) {
  ReviewQueue queue(run);
  const auto limit = run.param<int64_t>("limit");
  if (auto id = run.param<std::optional<int64_t>>("change_set")) {
    const auto set = queue.find(*id);
    if (!set)
      return jobhost::Result::failure(nlohmann::json({{"change_set", *id}}).dump(),
                                      "change set " + std::to_string(*id) + " does not exist");
    nlohmann::json list = nlohmann::json::array();
    for (const auto& c : queue.changes(*id, limit)) list.push_back(c.to_json());
    nlohmann::json out = set->to_json();
    out["list"] = list;
    out["listed"] = list.size();
    return jobhost::Result::ok(out.dump());
  }
  const auto status = run.param<std::string>("status");
  nlohmann::json sets = nlohmann::json::array();
  for (const auto& s : queue.list(status == "all" ? "" : status, limit))
    sets.push_back(s.to_json());
  return jobhost::Result::ok(nlohmann::json({{"change_sets", sets}}).dump());
}

}  // namespace mks
