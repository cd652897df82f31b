#include <utility>
#include <vector>

#include "fakes/kubernetes/api_server.h"
#include "fakes/kubernetes/spec_changes.h"

// FakeKubernetes::mutate(): what happens to a fabric between two syncs.
namespace jobhost::testing::fake_kubernetes {

namespace {

struct Candidate {
  std::size_t kind;
  const std::string* name;  // in the store's current map, alive until the batch commits
};

// Takes a random candidate out of the pool (order does not matter to the pool).
Candidate draw(std::vector<Candidate>& pool, Random& random) {
  std::size_t at = random.below(pool.size());
  std::swap(pool[at], pool.back());
  Candidate taken = pool.back();
  pool.pop_back();
  return taken;
}

}  // namespace

ObjectPtr ApiServer::add_generated(ObjectStore::Writer& writer, std::size_t kind) {
  const KubeKind& k = hedgehog_kinds()[kind];
  std::size_t& index = mutation_.next_index[kind];
  // Names a test put() meanwhile are taken: the next free generated one.
  while (writer.find(kind, numbered_name(singular_name(k), index)) != nullptr) ++index;
  std::size_t i = index++;
  std::uint64_t resource_version = writer.next_resource_version();
  nlohmann::json object = generate_object(shape_, kind, i, 1, resource_version);
  std::string name = object["metadata"]["name"].get<std::string>();
  ObjectStamp stamp{options_.ns, object_uid(shape_.seed, kind, name, resource_version),
                    timestamp_at(resource_version), 1, resource_version};
  ObjectPtr sealed = seal_object(k, std::move(object), stamp);
  writer.store(kind, sealed);
  return sealed;
}

FakeKubernetes::Mutation ApiServer::mutate(std::size_t added, std::size_t changed,
                                           std::size_t deleted) {
  return store_.write([&](ObjectStore::Writer& writer) {
    FakeKubernetes::Mutation result;
    Random& random = mutation_.random;
    const auto& kinds = hedgehog_kinds();

    // The objects there before this mutation: changes and deletions pick among them, each
    // object at most once.
    std::vector<Candidate> pool;
    for (std::size_t kind : synced_kind_indices()) {
      for (const auto& entry : writer.objects(kind)) pool.push_back({kind, &entry.first});
    }
    std::vector<Candidate> to_change, to_delete, unchangeable;
    while (to_change.size() < changed && !pool.empty()) {
      Candidate c = draw(pool, random);
      (spec_changeable(c.kind) ? to_change : unchangeable).push_back(c);
    }
    pool.insert(pool.end(), unchangeable.begin(), unchangeable.end());
    while (to_delete.size() < deleted && !pool.empty()) to_delete.push_back(draw(pool, random));

    for (std::size_t n = 0; n < added; ++n) {
      const auto& synced = synced_kind_indices();
      std::size_t kind = synced[random.below(synced.size())];
      ObjectPtr object = add_generated(writer, kind);
      result.added.push_back({kinds[kind].plural, object->name});
    }
    for (const Candidate& c : to_change) {
      std::string name = *c.name;  // copied: the write below replaces the map entry
      nlohmann::json object = writer.find(c.kind, name)->parsed();
      change_spec(c.kind, object["spec"], ++mutation_.changes);
      // The controllers catch up at once: the Ready condition observes the new generation.
      object.erase("status");
      ObjectPtr stored = write_object(writer, c.kind, object);
      if (has_ready_status(kinds[c.kind])) {
        nlohmann::json updated = stored->parsed();
        updated["status"] =
            ready_status(shape_, c.kind, name, stored->generation, stored->resource_version);
        ObjectStamp stamp{options_.ns, stored->uid, stored->creation_timestamp, stored->generation,
                          stored->resource_version};
        writer.store(c.kind, seal_object(kinds[c.kind], std::move(updated), stamp));
      }
      result.changed.push_back({kinds[c.kind].plural, name});
    }
    for (const Candidate& c : to_delete) {
      std::string name = *c.name;
      writer.erase(c.kind, name);
      writer.next_resource_version();
      result.deleted.push_back({kinds[c.kind].plural, std::move(name)});
    }
    return result;
  });
}

}  // namespace jobhost::testing::fake_kubernetes
