// What differs between the inventory the API shows and the one stored: create, update (with a
// field-level diff) and delete per object. The same list is applied (auto), staged for review,
// or reported (dry_run).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "inventory.h"

namespace mks {

enum class Action { create, update, remove };
const char* to_string(Action action);  // "create", "update", "delete"
Action action_from(const std::string& word);

struct Change {
  Kind kind = Kind::device;
  Action action = Action::create;
  std::string id;
  std::string organization_id;
  std::optional<Record> before;  // as stored; absent for a create
  std::optional<Record> after;   // as the API has it; absent for a delete

  std::string name() const;  // the object's name, from after or before ("" without one)
  // {"field": {"old": x, "new": y}} for each field that differs; a create gives only "new",
  // a delete only "old". Built on demand: a sync of 50,000 new devices keeps no diffs.
  nlohmann::json diff() const;
  nlohmann::json to_json() const;  // kind, action, id, organization_id, name, diff
};

// Objects of each kind the API showed (before compare() takes them).
using Totals = std::array<std::size_t, 3>;
Totals totals(const Inventory& inventory);

// Changes that make `stored` equal `fetched`, ordered by kind (organizations first), action and
// id. The records of creates and updates are moved out of `fetched`.
std::vector<Change> compare(Inventory& fetched, const Inventory& stored);

// {"organizations": {"create": n, "update": n, "delete": n, "unchanged": n, "total": n},
// "sites": ..., "devices": ...}.
nlohmann::json count_changes(const std::vector<Change>& changes, const Totals& totals);

}  // namespace mks
