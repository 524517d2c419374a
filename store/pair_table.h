// The "hashtable" encoding of hashes: an open-addressing table of (field, value) pairs, each pair
// one allocation in PackedPairs' pair grammar (store/packed_pairs.h), keyed by its field.
//
// A slot is one pointer (8 bytes on 64-bit): where std::unordered_set spent a 16-byte node and a
// bucket pointer beside each entry. Linear probing over a power-of-two array, grown at 3/4 load
// and shrunk below 1/8. Deletion leaves a tombstone, never moves a pair: so a cursor walk over
// the slots (HSCAN) cannot miss a pair that stays, because pairs only move when the whole table
// is rebuilt, and a rebuild changes the generation the cursor carries (it then restarts):
//
//   cursor := (generation mod 2^32) << 32 | next_slot      (0 starts, and 0 means done)
//
// Rebuilds (growth, shrink, or tombstones past 1/4 of the slots) are bounded by the number of
// changes, so a walk that keeps restarting still ends while writes are not continuous.
// Not thread-safe: owned by the loop thread through its HashValue.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>

#include "store/packed_pairs.h"

namespace store {

class PairTable {
 public:
  PairTable() = default;
  ~PairTable();
  PairTable(const PairTable& other);  // a deep copy
  PairTable& operator=(const PairTable&) = delete;

  size_t size() const { return size_; }
  // Sizes the table for n pairs (no rebuild on the way there).
  void Reserve(size_t n);
  // The value of field, or nullptr if absent (the view is valid until the next change).
  const char* Find(std::string_view field) const;
  // Sets field to value; returns true iff the field is new.
  bool Set(std::string_view field, std::string_view value);
  // Removes field; returns whether it was present.
  bool Erase(std::string_view field);

  static std::pair<std::string_view, std::string_view> Read(const char* pair) {
    return PackedPairs::ReadPair(pair);
  }
  // Calls fn(field, value) for every pair, in slot order.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (size_t i = 0; i < capacity_; ++i) {
      if (Live(slots_[i])) {
        const auto [f, v] = Read(slots_[i]);
        fn(f, v);
      }
    }
  }
  // One step of a cursor walk (see above): up to `slots` slots are visited.
  template <typename Fn>
  uint64_t ScanStep(uint64_t cursor, size_t slots, Fn&& fn) const {
    uint64_t i = (cursor >> 32) == generation_ ? (cursor & 0xffffffffu) : 0;
    for (size_t done = 0; i < capacity_ && done < slots; ++i, ++done) {
      if (Live(slots_[i])) {
        const auto [f, v] = Read(slots_[i]);
        fn(f, v);
      }
    }
    return i >= capacity_ ? 0 : (static_cast<uint64_t>(generation_) << 32) | i;
  }
  // The pair at position i of ForEach's order. REQUIRES: i < size(); O(capacity).
  const char* At(size_t i) const;
  // A pair picked from r: random slots until one holds a pair (up to 64 tries), then the first
  // pair after a random slot. REQUIRES: size() > 0.
  const char* Random(uint64_t (*next)(void*), void* rng) const;

 private:
  static bool Live(const char* slot) { return slot != nullptr && slot != Tombstone(); }
  static const char* Tombstone();
  // The slot holding field, or capacity_ if absent.
  size_t Locate(std::string_view field, uint64_t hash) const;
  // Rebuilds into a table of `capacity` slots (a power of two), dropping tombstones.
  void Rebuild(size_t capacity);
  void Place(const char* pair, uint64_t hash);  // into a free slot; REQUIRES: room

  std::unique_ptr<const char*[]> slots_;  // owned pairs, nullptr (empty) or Tombstone()
  size_t capacity_ = 0;
  size_t size_ = 0;
  size_t used_ = 0;  // pairs and tombstones
  uint32_t generation_ = 1;
};

}  // namespace store
