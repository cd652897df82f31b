// The series of one metric family: a cell (counter or histogram) per distinct set of label
// values. Finding a set already added takes no lock (a fixed array of bucket lists whose nodes
// are published with release stores and never change or go away), so that workers counting
// thousands of runs a second never queue on each other; adding a new set takes the mutex.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace jobhost::metrics {

template <typename Cell>
class SeriesTable {
 public:
  SeriesTable() = default;
  SeriesTable(const SeriesTable&) = delete;
  SeriesTable& operator=(const SeriesTable&) = delete;
  ~SeriesTable() {
    for (auto& head : heads_) {
      for (Node* n = head.load(); n;) delete std::exchange(n, n->next);
    }
  }

  // The cell of these label values (in the family's label order), added at zero if new.
  Cell& at(std::initializer_list<std::string_view> labels) {
    const std::size_t h = hash(labels);
    std::atomic<Node*>& head = heads_[h % kBuckets];
    if (Node* n = find(head.load(std::memory_order_acquire), h, labels)) return n->cell;
    std::lock_guard lock(add_mutex_);
    // Another thread may have added it between the lookup and the lock.
    Node* first = head.load(std::memory_order_acquire);
    if (Node* n = find(first, h, labels)) return n->cell;
    Node* n = new Node{std::vector<std::string>(labels.begin(), labels.end()), h, {}, first};
    head.store(n, std::memory_order_release);
    return n->cell;
  }

  // Calls f(labels, cell) for every series, ordered by label values (a stable exposition).
  template <typename F>
  void for_each(F&& f) const {
    std::vector<const Node*> nodes;
    for (const auto& head : heads_)
      for (const Node* n = head.load(std::memory_order_acquire); n; n = n->next) nodes.push_back(n);
    std::sort(nodes.begin(), nodes.end(),
              [](const Node* a, const Node* b) { return a->labels < b->labels; });
    for (const Node* n : nodes) f(n->labels, n->cell);
  }

 private:
  // Label sets are few (job types x outcomes, plugins x status codes): 64 lists keep each short.
  static constexpr std::size_t kBuckets = 64;

  struct Node {
    std::vector<std::string> labels;
    std::size_t hash;
    Cell cell;
    Node* next;  // fixed before the node is published
  };

  static std::size_t hash(std::initializer_list<std::string_view> labels) {
    std::size_t h = 0;
    for (std::string_view l : labels) h = h * 31 + std::hash<std::string_view>{}(l);
    return h;
  }

  static Node* find(Node* n, std::size_t h, std::initializer_list<std::string_view> labels) {
    for (; n; n = n->next) {
      if (n->hash == h &&
          std::equal(n->labels.begin(), n->labels.end(), labels.begin(), labels.end(),
                     [](const std::string& a, std::string_view b) { return a == b; }))
        return n;
    }
    return nullptr;
  }

  std::array<std::atomic<Node*>, kBuckets> heads_{};
  std::mutex add_mutex_;
};

}  // namespace jobhost::metrics
