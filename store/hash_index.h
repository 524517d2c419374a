// A hash index over the skip list's nodes, so point lookups are O(1) like Redis's dict.
//
// Design: open addressing with linear probing over a power-of-two array of Entry pointers (8 bytes
// a slot, nothing else: the key is compared through the node). Deletion shifts the following
// cluster back (no tombstones), so probe lengths never degrade. Grows at 3/4 load, shrinks below
// 1/8. The hash is seeded per process so that colliding keys cannot be chosen in advance.
//
// Invariant: every node of the owning SkipList is in the index exactly once, and nothing else is.
// Rehashing is done all at once on growth.
// TODO(fickle): issue #5 — incremental rehash, so growing past 10M keys does not pause the loop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "store/entry.h"

namespace store {

uint64_t HashBytes(std::string_view s, uint64_t seed);

class HashIndex {
 public:
  HashIndex();
  HashIndex(const HashIndex&) = delete;
  HashIndex& operator=(const HashIndex&) = delete;

  Entry* Find(std::string_view key) const;
  // REQUIRES: no node with e's key is present.
  void Insert(Entry* e);
  // Removes the node with this key. Returns false iff absent.
  bool Erase(std::string_view key);
  // The first node at or after slot r (mod capacity): a cheap, roughly uniform pick; nullptr iff
  // empty. Keys after long runs of empty slots are favoured, as with Redis's dictGetRandomKey.
  Entry* Random(uint64_t r) const;
  size_t size() const { return size_; }
  size_t capacity() const { return mask_ + 1; }
  size_t MemoryBytes() const { return capacity() * sizeof(Entry*); }
  void Clear();
  void Swap(HashIndex& other);

 private:
  size_t SlotOf(std::string_view key) const { return HashBytes(key, seed_) & mask_; }
  void Resize(size_t new_capacity);

  std::unique_ptr<Entry*[]> slots_;
  size_t mask_;
  size_t size_ = 0;
  uint64_t seed_;
};

}  // namespace store
