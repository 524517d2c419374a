// The set type. Redis 7.0 has two encodings, and OBJECT ENCODING names them:
//   - "intset": while every member is a canonical int64 and the count is at most
//     set-max-intset-entries. A store::IntSet (store/intset.h): packed at the narrowest width
//     that fits, sized exactly, binary-searched, and iterated in ascending order (as Redis's
//     intset, which SMEMBERS/SSCAN reveal).
//   - "hashtable": anything else. A PairTable (store/pair_table.h) whose pairs have empty values:
//     an 8-byte slot and one exactly-sized allocation per member, allocated on conversion.
// Redis 7.0 has no listpack encoding for sets (7.2 added it), so neither do we.
// Invariants: exactly one representation holds the members: table_ is null in the intset
// encoding, and ints_ is empty in the hashtable encoding; conversion is one way (intset ->
// hashtable), even when members are later removed, as in Redis. Not thread-safe: the loop thread
// owns it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "store/intset.h"
#include "store/pair_table.h"
#include "store/value.h"

namespace store {

class SetValue : public Collection {
 public:
  // An empty set in the intset encoding.
  SetValue() = default;
  ~SetValue() override;

  ObjType type() const override { return ObjType::kSet; }
  std::string_view encoding() const override { return is_intset() ? "intset" : "hashtable"; }
  std::unique_ptr<Collection> Clone() const override;

  bool is_intset() const { return table_ == nullptr; }
  size_t size() const { return is_intset() ? ints_.size() : table_->size(); }
  bool Contains(std::string_view m) const;
  // Adds m; returns whether it was absent. Converts to a hashtable when m is not an integer or
  // the intset would exceed max_intset_entries members.
  bool Add(std::string_view m, size_t max_intset_entries);
  // Removes m; returns whether it was present.
  bool Remove(std::string_view m);
  // All members: ascending for an intset, unspecified order for a hashtable.
  std::vector<std::string> Members() const;
  // Calls fn for each member (order as Members()). fn must not modify the set.
  void ForEach(const std::function<void(std::string_view)>& fn) const;
  // One step of a cursor walk (SSCAN): an intset is visited whole and returns 0; the hashtable
  // is walked `slots` home slots at a time as store/slot_table.h describes.
  uint64_t ScanStep(uint64_t cursor, size_t slots,
                    const std::function<void(std::string_view)>& fn) const;
  // A uniformly random member. REQUIRES: size() > 0.
  std::string Random(std::mt19937_64& rng) const;
  // Removes and returns a random member. REQUIRES: size() > 0.
  std::string PopRandom(std::mt19937_64& rng);
  // Converts to the hashtable encoding (no-op if already there).
  void ConvertToHashtable();

 private:
  // A random member of table_. REQUIRES: table_->size() > 0.
  std::string_view RandomMember(std::mt19937_64& rng) const;

  IntSet ints_;                       // the intset encoding; empty once table_ is set
  std::unique_ptr<PairTable> table_;  // the hashtable encoding (members, empty values), or null
};

}  // namespace store
