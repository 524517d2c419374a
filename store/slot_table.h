// An open-addressing table of element pointers keyed by bytes each element carries: the member
// index of big collections (hash fields and set members through PairTable, sorted-set members
// through ZSkipList). It never owns or copies the elements; KeyOf::Key(const T*) reads the key.
//
// A slot is one pointer (8 bytes on 64-bit), where std::unordered_set spends a node and a bucket
// pointer per element. Linear probing over a power-of-two array, grown at 3/4 load and shrunk
// below 1/8; deletion leaves a tombstone (rebuilt away past 1/4 of the slots).
//
// Cursor walks (HSCAN, SSCAN, ZSCAN) go by home slot (hash & mask), not by position, so moves
// within a rebuild cannot hide an element: a step visits a home slot by walking its probe run to
// the next empty slot and reporting the elements whose home it is. Homes are taken in Redis's
// reverse-binary order, so a table that doubles or halves between steps still has every home
// visited exactly once or (after a shrink) at most twice: an element present for the whole walk is
// reported, and the walk ends after at most one pass whatever the writes in between.
// The cursor is that reverse-binary counter; 0 starts and 0 means done, as in Redis.
// Not thread-safe: owned by the loop thread through its collection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>

#include "store/hash_index.h"

namespace store {

// Marks a slot whose element was erased; compared by address, never dereferenced.
inline char slot_table_tombstone;

template <typename T, typename KeyOf>
class SlotTable {
 public:
  SlotTable() = default;
  SlotTable(const SlotTable&) = delete;
  SlotTable& operator=(const SlotTable&) = delete;

  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  // Sizes the table for n elements (no rebuild on the way there).
  void Reserve(size_t n) {
    if (CapacityFor(n) > capacity_) Rebuild(CapacityFor(n));
  }
  T* Find(std::string_view key) const {
    const size_t i = Locate(key, HashOf(key));
    return i == capacity_ ? nullptr : slots_[i];
  }
  // The slot holding key's element, so the caller may put an element with the same key in its
  // place; nullptr if absent. Valid until the next Insert or Erase.
  T** FindSlot(std::string_view key) {
    const size_t i = Locate(key, HashOf(key));
    return i == capacity_ ? nullptr : &slots_[i];
  }
  // REQUIRES: no element with e's key is present.
  void Insert(T* e) {
    if (used_ + 1 > capacity_ * 3 / 4) Rebuild(CapacityFor(size_ + 1));
    Place(e, HashOf(KeyOf::Key(e)));
  }
  // Removes the element with this key and returns it (the caller's to free), or nullptr.
  T* Erase(std::string_view key) {
    const size_t i = Locate(key, HashOf(key));
    if (i == capacity_) return nullptr;
    T* e = slots_[i];
    slots_[i] = Tombstone();
    --size_;
    if (capacity_ > kMinCapacity && size_ < capacity_ / 8) {
      Rebuild(CapacityFor(size_));
    } else if (used_ - size_ > capacity_ / 4) {
      Rebuild(capacity_);  // too many tombstones: probes would lengthen
    }
    return e;
  }
  // Calls fn(T*) for every element, in slot order.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (size_t i = 0; i < capacity_; ++i) {
      if (Live(slots_[i])) fn(slots_[i]);
    }
  }
  // One step of a cursor walk (see above): up to `homes` home slots are visited. fn must not
  // change the table.
  template <typename Fn>
  uint64_t ScanStep(uint64_t cursor, size_t homes, Fn&& fn) const {
    if (size_ == 0) return 0;
    const uint64_t mask = capacity_ - 1;
    uint64_t v = cursor;
    for (size_t done = 0; done < homes; ++done) {
      const size_t home = static_cast<size_t>(v & mask);
      // At most 3/4 of the slots are used, so the run ends at an empty slot.
      for (size_t i = home; slots_[i] != nullptr; i = (i + 1) & mask) {
        if (slots_[i] != Tombstone() && (HashOf(KeyOf::Key(slots_[i])) & mask) == home) {
          fn(slots_[i]);
        }
      }
      // Increment the bits under the mask from the top down (reverse binary).
      v = ReverseBits(ReverseBits(v | ~mask) + 1);
      if (v == 0) return 0;
    }
    return v;
  }
  // The element at position i of ForEach's order. REQUIRES: i < size(); O(capacity).
  T* At(size_t i) const {
    for (size_t s = 0; s < capacity_; ++s) {
      if (Live(slots_[s]) && i-- == 0) return slots_[s];
    }
    return nullptr;
  }
  // An element picked with next(rng): random slots until one holds an element (up to 64 tries,
  // enough at the 1/8 load the table keeps), then the first after a random slot.
  // REQUIRES: size() > 0.
  T* Random(uint64_t (*next)(void*), void* rng) const {
    const size_t mask = capacity_ - 1;
    for (int tries = 0; tries < 64; ++tries) {
      T* s = slots_[next(rng) & mask];
      if (Live(s)) return s;
    }
    for (size_t i = next(rng) & mask;; i = (i + 1) & mask) {
      if (Live(slots_[i])) return slots_[i];
    }
  }

 private:
  static constexpr size_t kMinCapacity = 8;
  // Per-collection tables need no secret seed: a collection's order is not an attack surface
  // beyond what its size bounds.
  static constexpr uint64_t kSeed = 0x5eed5eed5eed5eedull;

  static T* Tombstone() { return reinterpret_cast<T*>(&slot_table_tombstone); }
  static bool Live(const T* s) { return s != nullptr && s != Tombstone(); }
  static uint64_t HashOf(std::string_view key) { return HashBytes(key, kSeed); }
  static uint64_t ReverseBits(uint64_t v) {
    v = ((v >> 1) & 0x5555555555555555ull) | ((v & 0x5555555555555555ull) << 1);
    v = ((v >> 2) & 0x3333333333333333ull) | ((v & 0x3333333333333333ull) << 2);
    v = ((v >> 4) & 0x0f0f0f0f0f0f0f0full) | ((v & 0x0f0f0f0f0f0f0f0full) << 4);
    v = ((v >> 8) & 0x00ff00ff00ff00ffull) | ((v & 0x00ff00ff00ff00ffull) << 8);
    v = ((v >> 16) & 0x0000ffff0000ffffull) | ((v & 0x0000ffff0000ffffull) << 16);
    return (v >> 32) | (v << 32);
  }
  static size_t CapacityFor(size_t n) {
    size_t c = kMinCapacity;
    while (c * 3 / 4 < n + 1) c *= 2;
    return c;
  }
  // The slot holding key, or capacity_ if absent.
  size_t Locate(std::string_view key, uint64_t hash) const {
    if (capacity_ == 0) return capacity_;
    const size_t mask = capacity_ - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      const T* s = slots_[i];
      if (s == nullptr) return capacity_;
      if (s != Tombstone() && KeyOf::Key(s) == key) return i;
    }
  }
  // Into a free slot. REQUIRES: room.
  void Place(T* e, uint64_t hash) {
    const size_t mask = capacity_ - 1;
    size_t i = hash & mask;
    while (Live(slots_[i])) i = (i + 1) & mask;
    if (slots_[i] == nullptr) ++used_;  // reusing a tombstone adds nothing to used_
    slots_[i] = e;
    ++size_;
  }
  // Rebuilds into `capacity` slots (a power of two), dropping tombstones.
  void Rebuild(size_t capacity) {
    std::unique_ptr<T*[]> old = std::move(slots_);
    const size_t old_capacity = capacity_;
    slots_ = std::make_unique<T*[]>(capacity);  // zeroed: every slot empty
    capacity_ = capacity;
    size_ = used_ = 0;
    for (size_t i = 0; i < old_capacity; ++i) {
      if (Live(old[i])) Place(old[i], HashOf(KeyOf::Key(old[i])));
    }
  }

  std::unique_ptr<T*[]> slots_;  // elements, nullptr (empty) or Tombstone()
  size_t capacity_ = 0;
  size_t size_ = 0;
  size_t used_ = 0;  // elements and tombstones
};

}  // namespace store
