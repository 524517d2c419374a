// A sorted set of int64s packed at the narrowest width that holds them all, for the "intset"
// encoding of a set (store/set_value.h).
//
//   buffer := value{count_}      count_ * width_ bytes, allocated exactly (none when empty)
//   value  := width_ bytes (2, 4 or 8): the integer's two's-complement bytes in host order
//
// Invariants: the values are strictly ascending; width_ is 2, 4 or 8 and every value fits in it.
// Width only grows: adding a value that does not fit re-encodes every value at the wider width
// (as Redis's intset upgrades), and removals never narrow it (as Redis's never do). The buffer
// is reallocated to the exact size on every insert and removal, so it holds no spare bytes; the
// copy is of at most set-max-intset-entries values, and a sorted insert moves that many anyway.
// Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace store {

class IntSet {
 public:
  IntSet() = default;
  IntSet(const IntSet& other);
  IntSet& operator=(const IntSet& other);

  size_t size() const { return count_; }
  // Bytes per value: 2, 4 or 8.
  size_t width() const { return width_; }
  // The value at index i (ascending). REQUIRES: i < size().
  int64_t At(size_t i) const;
  bool Contains(int64_t v) const;
  // Adds v; returns whether it was absent.
  bool Insert(int64_t v);
  // Removes v; returns whether it was present.
  bool Remove(int64_t v);
  // Removes the value at index i. REQUIRES: i < size().
  void EraseAt(size_t i);
  // Frees the buffer and returns to width 2.
  void Clear();

 private:
  // The index of the first value >= v (size() if none).
  size_t LowerBound(int64_t v) const;
  // Replaces the buffer with one of count values at width, copying the current values into it
  // with a gap of `gap` slots at index `at` (gap is 0 or 1) or dropping the value at `at`
  // (gap == -1).
  void Rebuild(size_t count, uint8_t width, size_t at, int gap);
  void Put(size_t i, int64_t v);

  std::unique_ptr<unsigned char[]> buf_;
  uint32_t count_ = 0;
  uint8_t width_ = 2;
};

}  // namespace store
