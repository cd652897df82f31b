// meraki.sync: every API call first (on SQLite a writing run holds the store's write lock until
// it ends), then under the inventory lock: compare with the store and, per the mode, apply the
// changes (auto), stage them as a change set (review) or only report them (dry_run).
#include <optional>

#include <nlohmann/json.hpp>

#include "fetch_inventory.h"
#include "inventory_tables.h"
#include "jobs.h"
#include "meraki_client.h"
#include "review_queue.h"

namespace mks {

namespace {

constexpr size_t kSampleChanges = 100;  // changes listed in a dry run's result, at most

std::string summary(const nlohmann::json& counts) {
  std::string out;
  for (const auto& [kind, n] : counts.items())
    out += (out.empty() ? "" : ", ") + kind + " +" + std::to_string(n["create"].get<int64_t>()) +
           " ~" + std::to_string(n["update"].get<int64_t>()) + " -" +
           std::to_string(n["delete"].get<int64_t>());
  return out;
}

}  // namespace

jobhost::Result sync(jobhost::Run& run) {
  const int64_t started = jobhost::now_micros();
  const MerakiSettings settings = read_settings(run);
  Mode mode = settings.scheduled_sync_mode;
  if (auto given = run.param<std::optional<std::string>>("mode")) {
    try {
      mode = mode_from(*given);
    } catch (const std::invalid_argument& e) {
      return jobhost::Result::failure("{}", std::string("parameter mode: ") + e.what());
    }
  }

  MerakiClient client(run, settings);
  nlohmann::json result = {{"mode", to_string(mode)}};
  auto account = [&] {
    const auto& s = client.stats();
    result["api_calls"] = s.calls;
    result["calls_429"] = s.calls_429;
    result["redirects"] = s.redirects;
    result["pages"] = s.pages;
    result["duration_s"] = static_cast<double>(jobhost::now_micros() - started) / 1e6;
  };
  Fetched fetched;
  try {
    fetched = fetch_inventory(client);
  } catch (const MerakiRefusal& e) {
    account();
    return jobhost::Result::failure(result.dump(), e.what());
  }
  run.throw_if_cancelled();
  result["fetch_s"] = static_cast<double>(jobhost::now_micros() - started) / 1e6;

  InventoryTables tables(run);
  tables.lock();
  const Totals shown = totals(fetched.inventory);
  const auto changes = compare(fetched.inventory, tables.load(fetched.organizations));
  const auto counts = count_changes(changes, shown);
  const int64_t now = jobhost::now_micros();
  result["organizations"] = fetched.organizations;
  result["counts"] = counts;
  result["changes"] = changes.size();

  std::string message;
  switch (mode) {
    case Mode::auto_apply:
      tables.apply(changes, now);
      tables.mark_synced(fetched.organizations, now);
      message = "applied " + std::to_string(changes.size()) + " changes (" + summary(counts) + ")";
      break;
    case Mode::review:
      if (changes.empty()) {
        result["change_set"] = nullptr;
        message = "nothing to review: the inventory matches the dashboard";
      } else {
        auto [id, superseded] = ReviewQueue(run).stage(changes, fetched.organizations, counts, now);
        result["change_set"] = id;
        result["superseded"] = superseded;
        message = "staged change set " + std::to_string(id) + " with " +
                  std::to_string(changes.size()) + " changes (" + summary(counts) +
                  "): approve with `jobhost trigger meraki.approve --param change_set=" +
                  std::to_string(id) + "`";
      }
      break;
    case Mode::dry_run: {
      nlohmann::json sample = nlohmann::json::array();
      for (const auto& c : changes) {
        if (sample.size() == kSampleChanges) break;
        sample.push_back(c.to_json());
      }
      result["sample"] = sample;
      message = "dry run: " + std::to_string(changes.size()) + " changes (" + summary(counts) +
                "), nothing changed";
      break;
    }
  }
  account();
  jobhost::EventData event;
  event.data = nlohmann::json({{"counts", counts},
                               {"api_calls", result["api_calls"]},
                               {"calls_429", result["calls_429"]}})
                   .dump();
  run.event("meraki sync (" + std::string(to_string(mode)) + "): " + message, event);
  return jobhost::Result::ok(result.dump());
}

}  // namespace mks
