#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakes/kubernetes/fake_kubernetes.h"
#include "fakes/kubernetes/kinds.h"

// The objects of every kind, copy-on-write: each kind's objects are an immutable map that a
// write replaces as a whole. A list takes the current map (a shared_ptr copy) and keeps
// serving from it page after page, like an apiserver listing at one resourceVersion, however
// much is written meanwhile.
namespace jobhost::testing::fake_kubernetes {

// One object as the API serves it, already serialized: lists only concatenate.
struct StoredObject {
  std::string name;
  std::string uid;
  std::string creation_timestamp;
  std::int64_t generation = 1;
  std::uint64_t resource_version = 0;
  std::string text;  // the whole object, JSON

  nlohmann::json parsed() const { return nlohmann::json::parse(text); }
};
using ObjectPtr = std::shared_ptr<const StoredObject>;
using ObjectMap = std::map<std::string, ObjectPtr, std::less<>>;  // by name, as lists sort
using Snapshot = std::shared_ptr<const ObjectMap>;

// What the apiserver sets on every write, next to what the client sent.
struct ObjectStamp {
  std::string ns;
  std::string uid;
  std::string creation_timestamp;
  std::int64_t generation = 1;
  std::uint64_t resource_version = 0;
};
// Sets apiVersion, kind and the server-owned metadata (namespace, uid, resourceVersion,
// generation, creationTimestamp; labels and annotations default to {}) and serializes.
// `object` must have metadata.name.
ObjectPtr seal_object(const KubeKind& kind, nlohmann::json object, const ObjectStamp& stamp);

// A kind's objects and the cluster's resourceVersion at the same instant.
struct KindView {
  Snapshot objects;
  std::uint64_t resource_version = 0;
};

// Thread-safe.
class ObjectStore {
 public:
  // Changes made under the store's lock, published together when the batch ends.
  class Writer {
   public:
    // Every written object takes the next resourceVersion of the one cluster-wide counter.
    std::uint64_t next_resource_version() { return ++store_.resource_version_; }
    // The kind's objects including this batch's writes so far.
    const ObjectMap& objects(std::size_t kind) const;
    const StoredObject* find(std::size_t kind, std::string_view name) const;
    void store(std::size_t kind, ObjectPtr object);
    bool erase(std::size_t kind, std::string_view name);

   private:
    friend class ObjectStore;
    explicit Writer(ObjectStore& store) : store_(store) {}
    ObjectMap& copy_of(std::size_t kind);
    void commit();

    ObjectStore& store_;
    std::array<std::shared_ptr<ObjectMap>, kKindCount> copies_;
  };

  ObjectStore(std::vector<ObjectMap> initial, std::uint64_t resource_version);

  KindView view(std::size_t kind) const;
  std::uint64_t resource_version() const;
  // The counter moves on without an object changing (on a real cluster other writes always
  // move it): lists started from now on have a resourceVersion no earlier token has.
  void advance_resource_version();

  // Runs f(Writer&) under the lock and publishes its changes; returns what f returns.
  template <typename F>
  auto write(F&& f) {
    std::lock_guard lock(mutex_);
    Writer writer(*this);
    if constexpr (std::is_void_v<decltype(f(writer))>) {
      f(writer);
      writer.commit();
    } else {
      auto result = f(writer);
      writer.commit();
      return result;
    }
  }

 private:
  mutable std::mutex mutex_;
  std::array<Snapshot, kKindCount> kinds_;
  std::uint64_t resource_version_ = 0;
};

}  // namespace jobhost::testing::fake_kubernetes
