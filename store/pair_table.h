// The "hashtable" encoding of hashes (and, with empty values, of sets): a SlotTable
// (store/slot_table.h: open addressing, tombstones, a cursor walk by home slot) of
// (field, value) pairs, each pair one allocation in PackedPairs' pair grammar
// (store/packed_pairs.h), keyed by its field and owned by the table.
// Not thread-safe: owned by the loop thread through its HashValue or SetValue.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

#include "store/packed_pairs.h"
#include "store/slot_table.h"

namespace store {

class PairTable {
 public:
  PairTable() = default;
  ~PairTable();
  PairTable(const PairTable& other);  // a deep copy
  PairTable& operator=(const PairTable&) = delete;

  size_t size() const { return table_.size(); }
  // Sizes the table for n pairs (no rebuild on the way there).
  void Reserve(size_t n) { table_.Reserve(n); }
  // The value of field, or nullptr if absent (the view is valid until the next change).
  const char* Find(std::string_view field) const { return table_.Find(field); }
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
    table_.ForEach([&fn](const char* p) {
      const auto [f, v] = Read(p);
      fn(f, v);
    });
  }
  // One step of a cursor walk (store/slot_table.h): up to `slots` home slots are visited.
  template <typename Fn>
  uint64_t ScanStep(uint64_t cursor, size_t slots, Fn&& fn) const {
    return table_.ScanStep(cursor, slots, [&fn](const char* p) {
      const auto [f, v] = Read(p);
      fn(f, v);
    });
  }
  // The pair at position i of ForEach's order. REQUIRES: i < size(); O(capacity).
  const char* At(size_t i) const { return table_.At(i); }
  // A pair picked with next(rng) (SlotTable::Random). REQUIRES: size() > 0.
  const char* Random(uint64_t (*next)(void*), void* rng) const { return table_.Random(next, rng); }

 private:
  struct FieldOf {
    static std::string_view Key(const char* pair) { return Read(pair).first; }
  };
  SlotTable<const char, FieldOf> table_;
};

}  // namespace store
