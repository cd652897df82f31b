#include <stdexcept>
#include <utility>

#include "fakes/kubernetes/api_server.h"

// The objects as tests see and change them, outside HTTP.
namespace jobhost::testing::fake_kubernetes {

std::optional<nlohmann::json> ApiServer::object(std::string_view plural,
                                                std::string_view name) const {
  KindView view = store_.view(require_kind(plural, "object"));
  auto it = view.objects->find(name);
  if (it == view.objects->end()) return std::nullopt;
  return it->second->parsed();
}

std::vector<std::string> ApiServer::names(std::string_view plural) const {
  KindView view = store_.view(require_kind(plural, "names"));
  std::vector<std::string> out;
  out.reserve(view.objects->size());
  for (const auto& entry : *view.objects) out.push_back(entry.first);
  return out;
}

std::size_t ApiServer::count(std::string_view plural) const {
  return store_.view(require_kind(plural, "count")).objects->size();
}

std::size_t ApiServer::total() const {
  std::size_t sum = 0;
  for (std::size_t kind : synced_kind_indices()) sum += store_.view(kind).objects->size();
  return sum;
}

nlohmann::json ApiServer::put(std::string_view plural, nlohmann::json object) {
  std::size_t kind = require_kind(plural, "put");
  const nlohmann::json* name = nullptr;
  if (object.is_object() && object.contains("metadata") && object["metadata"].is_object() &&
      object["metadata"].contains("name")) {
    name = &object["metadata"]["name"];
  }
  if (name == nullptr || !name->is_string() || name->get<std::string>().empty()) {
    throw std::invalid_argument("fake-kubernetes: put: the object needs metadata.name");
  }
  ObjectPtr stored = store_.write(
      [&](ObjectStore::Writer& writer) { return write_object(writer, kind, std::move(object)); });
  return stored->parsed();
}

bool ApiServer::remove(std::string_view plural, std::string_view name) {
  std::size_t kind = require_kind(plural, "remove");
  return store_.write([&](ObjectStore::Writer& writer) {
    if (!writer.erase(kind, name)) return false;
    writer.next_resource_version();  // a delete is a write: the cluster's counter moves on
    return true;
  });
}

ObjectPtr ApiServer::write_object(ObjectStore::Writer& writer, std::size_t kind,
                                  nlohmann::json object) {
  std::string name = object["metadata"]["name"].get<std::string>();
  if (!object.contains("spec")) object["spec"] = nlohmann::json::object();
  const StoredObject* old = writer.find(kind, name);
  std::optional<nlohmann::json> old_object;
  if (old != nullptr) old_object = old->parsed();

  ObjectStamp stamp;
  stamp.ns = options_.ns;
  stamp.resource_version = writer.next_resource_version();
  if (old != nullptr) {
    // A replace keeps who the object is and when it was made; only a spec change is a new
    // generation (metadata and status changes are not).
    stamp.uid = old->uid;
    stamp.creation_timestamp = old->creation_timestamp;
    bool spec_changed = old_object->value("spec", nlohmann::json::object()) != object["spec"];
    stamp.generation = old->generation + (spec_changed ? 1 : 0);
  } else {
    stamp.uid = object_uid(shape_.seed, kind, name, stamp.resource_version);
    stamp.creation_timestamp = timestamp_at(stamp.resource_version);
    stamp.generation = 1;
  }
  // The status is the controllers' (a status subresource): kept from before unless the test
  // sets one, and a new object of a kind with conditions gets its Ready condition.
  if (!object.contains("status")) {
    if (old_object && old_object->contains("status")) {
      object["status"] = (*old_object)["status"];
    } else if (old == nullptr && has_ready_status(hedgehog_kinds()[kind])) {
      object["status"] = ready_status(shape_, kind, name, stamp.generation, stamp.resource_version);
    }
  }
  ObjectPtr sealed = seal_object(hedgehog_kinds()[kind], std::move(object), stamp);
  writer.store(kind, sealed);
  return sealed;
}

}  // namespace jobhost::testing::fake_kubernetes
