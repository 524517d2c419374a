// A hash index over the skip list's nodes, so point lookups are O(1) like Redis's dict.
//
// Design: open addressing with linear probing over a power-of-two array of Entry pointers (8 bytes
// a slot; on 64-bit targets the pointer's unused top 16 bits carry a hash tag, so a probe
// dereferences a node only when the tag matches). Grows at 3/4 load, shrinks below
// 1/8. The hash is seeded per process so that colliding keys cannot be chosen in advance.
//
// Resizing is incremental, as Redis's dict rehash is, so growing past millions of keys never
// pauses the loop: a resize allocates the new table and then every operation (and Rehash(), which
// the server's cron calls) moves a few slots of the old table into it. While both tables exist:
//  - a key is in exactly one of them; lookups try the new table, then the old;
//  - inserts go to the new table;
//  - the old table is never compacted: migrated or erased slots become tombstones, so probe
//    sequences through the old table stay intact until it is freed.
// The new table deletes with backward shifting (no tombstones), so its probes never degrade.
//
// Invariant: every node of the owning SkipList is in the index exactly once, and nothing else is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
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
  // Starts the cache misses that Find(key) would take for each key, without waiting for them:
  // first every key's home slot, then the node its first matching tag points at. For a pipelined
  // batch, so the misses of its commands overlap. Reads only; a hint, never required.
  void Prefetch(const std::string_view* keys, size_t n) const;
  // REQUIRES: no node with e's key is present.
  void Insert(Entry* e);
  // Inserts many nodes at once (loading a snapshot): sized up front, and each slot is prefetched
  // a few nodes ahead so the cache misses of a random table overlap instead of queueing.
  // REQUIRES: no two nodes share a key, and none is present.
  void InsertMany(std::span<Entry* const> nodes);
  // Points the slot of `old` at `repl`, a node with the same key that takes its place (old may
  // already be freed: it is compared, never read). REQUIRES: old is in the index.
  void Replace(const Entry* old, Entry* repl);
  // Removes the node with this key. Returns false iff absent.
  bool Erase(std::string_view key);
  // The first node at or after slot r (mod capacity): a cheap, roughly uniform pick; nullptr iff
  // empty. Keys after long runs of empty slots are favoured, as with Redis's dictGetRandomKey.
  Entry* Random(uint64_t r) const;
  // A nearly uniform pick: random slots of the current table until one holds a node (up to 32
  // tries, derived from r), then Random(r). For eviction sampling, where Random's bias toward
  // nodes after long empty runs would hide some keys from the sampler.
  Entry* Sample(uint64_t r) const;
  size_t size() const { return size_; }
  size_t capacity() const { return cur_.mask + 1; }
  size_t MemoryBytes() const;
  bool rehashing() const { return old_.slots != nullptr; }
  // Moves up to `slots` slots of an in-progress resize. Returns true iff a resize is still going.
  bool Rehash(size_t slots);
  void Clear();
  void Swap(HashIndex& other);
  // Sizes the table for n nodes at once if it is empty (no resize on the way to n), and keeps it
  // from shrinking below that until Reserve(0). For loading a snapshot whose key count is known.
  void Reserve(size_t n);

 private:
  struct Table {
    std::unique_ptr<uintptr_t[]> slots;  // tagged node pointers, 0 = empty
    size_t mask = 0;
    size_t capacity() const { return slots ? mask + 1 : 0; }
  };
  void StartResize(size_t new_capacity);
  // Places e in cur_ (probing from its home slot). REQUIRES: cur_ has a free slot.
  void Place(Entry* e, uint64_t hash);
  void MaybeResize();

  Table cur_;
  Table old_;               // non-null only while resizing
  size_t migrate_pos_ = 0;  // next old_ slot to move
  size_t size_ = 0;         // nodes in both tables
  size_t cur_size_ = 0;     // nodes in cur_
  uint64_t seed_;
  size_t min_capacity_;  // the table does not shrink below this (Reserve)
};

}  // namespace store
