// The keys with a TTL of one db, soonest expiry first: a binary min-heap of (time, entry) pairs,
// 16 bytes a key, where an ordered set would spend a 48-byte tree node. Each entry records its
// position in the heap (Entry::heap_pos, in its expiry slot), so removing any key is O(log n)
// without a search.
//
// Invariants: every entry in the heap has an expiry slot, its time equals the pair's, and its
// heap_pos is its index; the pair at index i is not later than those at 2i+1 and 2i+2.
// Not thread-safe: the loop thread owns it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "store/entry.h"

namespace store {

class ExpiryHeap {
 public:
  // Adds e with its current expire_at(). REQUIRES: e->has_expire() and e is not in the heap.
  void Push(Entry* e);
  // Removes e. REQUIRES: e is in the heap (its expire_at() unchanged since Push).
  void Remove(Entry* e);
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  // The soonest-expiring entry and its time. REQUIRES: !empty().
  Entry* top() const { return items_.front().e; }
  int64_t top_time() const { return items_.front().at; }
  void Clear();
  void Swap(ExpiryHeap& other) { items_.swap(other.items_); }

 private:
  struct Item {
    int64_t at;
    Entry* e;
  };
  void Place(size_t i, Item item);  // items_[i] = item, and records i in the entry
  void SiftUp(size_t i);
  void SiftDown(size_t i);

  std::vector<Item> items_;
};

}  // namespace store
