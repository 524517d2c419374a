// The hash type: a map from field to value, both binary-safe strings.
//
// Two encodings, as Redis 7.0 names them in OBJECT ENCODING:
//   - "listpack": a PackedPairs (store/packed_pairs.h), every (field, value) pair packed into one
//     buffer in insertion order. Lookups are linear, which is cheap because the caller keeps the
//     table small.
//   - "hashtable": a PairTable (store/pair_table.h) for hashes past the configured limits: an
//     open-addressing table of pairs, each one allocation in PackedPairs' pair grammar (an entry
//     of a 10-byte field and a 12-byte value is 24 bytes), one 8-byte slot each.
// The object holds only the current encoding's state (a variant of the packed pairs and a pointer
// to the map), so a small hash is 32 bytes and carries no empty map beside it.
// Invariants: fields are unique. Conversion is one-way (listpack -> hashtable), as in Redis: a hash
// never shrinks back. Deleting fields keeps the listpack order of the remaining ones, so replies on
// small hashes come out in the same order Redis gives.
// Not thread-safe: owned by the loop thread through its Value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "store/packed_pairs.h"
#include "store/pair_table.h"
#include "store/value.h"

namespace store {

// The configured thresholds (hash-max-listpack-entries / -value), read at each write.
struct HashLimits {
  int64_t max_listpack_entries = 512;
  int64_t max_listpack_value = 64;
};

class HashValue : public Collection {
 public:
  HashValue() = default;

  ObjType type() const override { return ObjType::kHash; }
  std::string_view encoding() const override { return is_listpack() ? "listpack" : "hashtable"; }
  std::unique_ptr<Collection> Clone() const override;

  bool is_listpack() const { return std::holds_alternative<PackedPairs>(rep_); }
  size_t size() const { return is_listpack() ? small().size() : big().size(); }

  // The value of field, or nullopt. The view is valid until the next modification.
  std::optional<std::string_view> Get(std::string_view field) const;
  // Sets field to value; returns true iff the field is new. Converts to "hashtable" first if field
  // or value is longer than limits.max_listpack_value (or the packed buffer would pass its size
  // cap), and after the insert if the hash has more than limits.max_listpack_entries fields.
  bool Set(std::string_view field, std::string_view value, const HashLimits& limits);
  // Removes field; returns whether it was present.
  bool Erase(std::string_view field);

  // Calls fn(field, value) for every entry: insertion order for listpack, unspecified otherwise.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    if (is_listpack()) {
      small().ForEach(fn);
    } else {
      big().ForEach(fn);
    }
  }

  // The entry at position i of ForEach's order. REQUIRES: i < size(); O(i) (callers needing many
  // random picks from a hashtable should snapshot with ForEach).
  std::pair<std::string_view, std::string_view> At(size_t i) const;

  // A random entry drawn from `rng` (uniform for listpack; for hashtable, random slots until one
  // holds a pair, which is uniform, with a bounded fallback). REQUIRES: size() > 0. O(1) expected
  // for hashtable (the table is at least 1/8 full); O(size()) for listpack, which is small.
  std::pair<std::string_view, std::string_view> RandomEntry(uint64_t (*next)(void*),
                                                            void* rng) const;

  // One step of a cursor walk (HSCAN): a listpack is visited whole and returns 0; the hashtable
  // is walked `slots` home slots at a time as store/slot_table.h describes.
  template <typename Fn>
  uint64_t ScanStep(uint64_t cursor, size_t slots, Fn&& fn) const {
    if (is_listpack()) {
      ForEach(fn);
      return 0;
    }
    return big().ScanStep(cursor, slots, fn);
  }

  // Switches to the hashtable encoding (no-op if already there).
  void ConvertToHashtable();

 private:
  using Map = PairTable;

  const PackedPairs& small() const { return *std::get_if<PackedPairs>(&rep_); }
  PackedPairs& small() { return *std::get_if<PackedPairs>(&rep_); }
  const Map& big() const { return **std::get_if<std::unique_ptr<Map>>(&rep_); }
  Map& big() { return **std::get_if<std::unique_ptr<Map>>(&rep_); }

  // The map is never null while it is the alternative held.
  std::variant<PackedPairs, std::unique_ptr<Map>> rep_;
};

}  // namespace store
