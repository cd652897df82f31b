#include "fakes/kubernetes/object_store.h"

#include <stdexcept>

namespace jobhost::testing::fake_kubernetes {

ObjectPtr seal_object(const KubeKind& kind, nlohmann::json object, const ObjectStamp& stamp) {
  object["apiVersion"] = api_version(kind);
  object["kind"] = kind.kind;
  nlohmann::json& metadata = object["metadata"];
  metadata["namespace"] = stamp.ns;
  metadata["uid"] = stamp.uid;
  // Kubernetes sends resourceVersion as an opaque string, even though it counts.
  metadata["resourceVersion"] = std::to_string(stamp.resource_version);
  metadata["generation"] = stamp.generation;
  metadata["creationTimestamp"] = stamp.creation_timestamp;
  if (!metadata.contains("labels")) metadata["labels"] = nlohmann::json::object();
  if (!metadata.contains("annotations")) metadata["annotations"] = nlohmann::json::object();
  if (!object.contains("spec")) object["spec"] = nlohmann::json::object();

  auto sealed = std::make_shared<StoredObject>();
  sealed->name = metadata.at("name").get<std::string>();
  sealed->uid = stamp.uid;
  sealed->creation_timestamp = stamp.creation_timestamp;
  sealed->generation = stamp.generation;
  sealed->resource_version = stamp.resource_version;
  sealed->text = object.dump();
  return sealed;
}

const ObjectMap& ObjectStore::Writer::objects(std::size_t kind) const {
  if (copies_[kind]) return *copies_[kind];
  return *store_.kinds_[kind];
}

const StoredObject* ObjectStore::Writer::find(std::size_t kind, std::string_view name) const {
  const ObjectMap& map = objects(kind);
  auto it = map.find(name);
  return it == map.end() ? nullptr : it->second.get();
}

ObjectMap& ObjectStore::Writer::copy_of(std::size_t kind) {
  // The first write to a kind in a batch copies its map (pointers only): lists holding the
  // old map keep it unchanged.
  if (!copies_[kind]) copies_[kind] = std::make_shared<ObjectMap>(*store_.kinds_[kind]);
  return *copies_[kind];
}

void ObjectStore::Writer::store(std::size_t kind, ObjectPtr object) {
  std::string name = object->name;
  copy_of(kind).insert_or_assign(std::move(name), std::move(object));
}

bool ObjectStore::Writer::erase(std::size_t kind, std::string_view name) {
  if (objects(kind).find(name) == objects(kind).end()) return false;
  ObjectMap& map = copy_of(kind);
  map.erase(map.find(name));
  return true;
}

void ObjectStore::Writer::commit() {
  for (std::size_t kind = 0; kind < kKindCount; ++kind) {
    if (copies_[kind]) store_.kinds_[kind] = std::move(copies_[kind]);
  }
}

ObjectStore::ObjectStore(std::vector<ObjectMap> initial, std::uint64_t resource_version)
    : resource_version_(resource_version) {
  if (initial.size() != kKindCount) throw std::logic_error("ObjectStore: one map per kind");
  for (std::size_t kind = 0; kind < kKindCount; ++kind) {
    kinds_[kind] = std::make_shared<const ObjectMap>(std::move(initial[kind]));
  }
}

KindView ObjectStore::view(std::size_t kind) const {
  std::lock_guard lock(mutex_);
  return KindView{kinds_[kind], resource_version_};
}

std::uint64_t ObjectStore::resource_version() const {
  std::lock_guard lock(mutex_);
  return resource_version_;
}

void ObjectStore::advance_resource_version() {
  std::lock_guard lock(mutex_);
  ++resource_version_;
}

}  // namespace jobhost::testing::fake_kubernetes
