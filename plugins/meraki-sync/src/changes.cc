#include "changes.h"

#include <algorithm>
#include <stdexcept>
#include <string_view>
#include <tuple>

namespace mks {

const char* to_string(Action action) {
  switch (action) {
    case Action::create:
      return "create";
    case Action::update:
      return "update";
    case Action::remove:
      return "delete";
  }
  return "?";
}

Action action_from(const std::string& word) {
  if (word == "create") return Action::create;
  if (word == "update") return Action::update;
  if (word == "delete") return Action::remove;
  throw std::invalid_argument("unknown action '" + word + "'");
}

std::string Change::name() const {
  const auto& fields = spec(kind).fields;
  for (const auto* r : {&after, &before}) {
    if (!*r) continue;
    for (std::size_t i = 0; i < fields.size(); ++i)
      if (std::string_view(fields[i].name) == "name" && (*r)->values[i].is_string())
        return (*r)->values[i].get<std::string>();
  }
  return "";
}

nlohmann::json Change::diff() const {
  const auto& fields = spec(kind).fields;
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const nlohmann::json* old_value = before ? &before->values[i] : nullptr;
    const nlohmann::json* new_value = after ? &after->values[i] : nullptr;
    if (old_value && new_value && *old_value == *new_value) continue;
    nlohmann::json d = nlohmann::json::object();
    if (old_value) d["old"] = *old_value;
    if (new_value) d["new"] = *new_value;
    out[fields[i].name] = std::move(d);
  }
  if (before && after && before->organization_id != after->organization_id)
    out["organization_id"] = {{"old", before->organization_id}, {"new", after->organization_id}};
  return out;
}

nlohmann::json Change::to_json() const {
  return {{"kind", spec(kind).word},
          {"action", to_string(action)},
          {"id", id},
          {"organization_id", organization_id},
          {"name", name()},
          {"diff", diff()}};
}

Totals totals(const Inventory& inventory) {
  Totals t{};
  for (Kind kind : kKinds) t[static_cast<std::size_t>(kind)] = inventory.of(kind).size();
  return t;
}

std::vector<Change> compare(Inventory& fetched, const Inventory& stored) {
  std::vector<Change> out;
  for (Kind kind : kKinds) {
    RecordMap& now = fetched.of(kind);
    const RecordMap& was = stored.of(kind);
    for (auto& [id, record] : now) {
      auto old = was.find(id);
      if (old != was.end() && old->second == record) continue;
      Change c;
      c.kind = kind;
      c.id = id;
      c.organization_id = record.organization_id;
      c.action = old == was.end() ? Action::create : Action::update;
      if (old != was.end()) c.before = old->second;
      c.after = std::move(record);
      out.push_back(std::move(c));
    }
    for (const auto& [id, record] : was) {
      if (now.count(id)) continue;
      Change c;
      c.kind = kind;
      c.action = Action::remove;
      c.id = id;
      c.organization_id = record.organization_id;
      c.before = record;
      out.push_back(std::move(c));
    }
  }
  std::sort(out.begin(), out.end(), [](const Change& a, const Change& b) {
    return std::tie(a.kind, a.action, a.id) < std::tie(b.kind, b.action, b.id);
  });
  return out;
}

nlohmann::json count_changes(const std::vector<Change>& changes, const Totals& totals) {
  nlohmann::json out = nlohmann::json::object();
  for (Kind kind : kKinds)
    out[spec(kind).plural] = {{"create", 0},
                              {"update", 0},
                              {"delete", 0},
                              {"unchanged", 0},
                              {"total", totals[static_cast<std::size_t>(kind)]}};
  for (const auto& c : changes) {
    auto& n = out[spec(c.kind).plural][to_string(c.action)];
    n = n.get<int64_t>() + 1;
  }
  for (Kind kind : kKinds) {
    auto& k = out[spec(kind).plural];
    k["unchanged"] =
        k["total"].get<int64_t>() - k["create"].get<int64_t>() - k["update"].get<int64_t>();
  }
  return out;
}

}  // namespace mks
