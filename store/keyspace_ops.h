// Range operations over the ordered keyspace (the KRANGE and KDELRANGE extensions), with bounds
// in ZRANGEBYLEX syntax. They exist because the keyspace is ordered: a range costs a seek plus
// the keys in it, not a walk of everything.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace store {

class Db;

// One end of a key range: "[key" (inclusive), "(key" (exclusive), "-" (below every key) or "+"
// (above every key).
struct KeyBound {
  enum class Kind { kInclusive, kExclusive, kMin, kMax };
  Kind kind = Kind::kMin;
  std::string key;
};

// Parses a bound in ZRANGEBYLEX syntax. False iff `s` is none of the four forms.
bool ParseKeyBound(std::string_view s, KeyBound* out);

// The live keys in [min, max] in order, after skipping `offset` of them, at most `count`
// (count < 0: no limit). The views point into the keyspace and are valid until the db is next
// modified. REQUIRES: offset >= 0.
std::vector<std::string_view> RangeKeys(const Db& db, const KeyBound& min, const KeyBound& max,
                                        int64_t offset, int64_t count);

// Deletes the live keys in [min, max], reporting each as kDeleted; logically expired keys met
// on the way are removed as expired and not counted. Returns the live keys it deleted, in order.
std::vector<std::string> DeleteRange(Db& db, const KeyBound& min, const KeyBound& max);

}  // namespace store
