// SORT's store half: reading the elements of a list, set or sorted set, weighing them (by
// themselves or through a BY pattern), ordering them as Redis 7.0 does, and resolving GET
// patterns. The handler (server/commands/sort_family.cc) parses the arguments and writes the
// reply; nothing here builds RESP.
//
// Keys named by BY and GET patterns are read through a caller-supplied KeyReader, so that the
// server can count keyspace hits and misses and apply lazy expiry exactly as for any other read.
//
// Redis 7.0's ordering, which this file reproduces:
//   - Numeric (the default): each weight is parsed with strtod; equal weights are ordered by the
//     elements' bytes, so the result does not depend on the load order.
//   - ALPHA without BY: the elements' bytes (strcoll in Redis; under the C and C.UTF-8 locales
//     that is byte order up to the first NUL, and STORE compares whole strings).
//   - ALPHA with BY: the weights' bytes, a missing weight first; equal weights keep their load
//     order when the whole result is sorted (Redis sorts with glibc's stable qsort) and follow
//     Bentley-McIlroy quicksort's order when LIMIT asks for part of it (Redis's pqsort).
//   - DESC reverses every comparison, ties included.
// Not thread-safe: the loop thread owns the Db.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/db.h"
#include "store/entry.h"
#include "store/status.h"

namespace store {

// A BY or GET pattern, split once. Views point into the pattern given to ParseSortPattern.
struct SortPattern {
  enum class Kind {
    kSelf,       // exactly "#": the element itself
    kConstant,   // no '*': names no key (GET gives nil; BY means "do not sort")
    kKey,        // prefix*suffix: the string at that key
    kHashField,  // prefix*suffix->field: that field of the hash at that key
  };
  Kind kind = Kind::kConstant;
  std::string_view prefix;  // before the first '*'
  std::string_view suffix;  // after it, up to "->" for kHashField
  std::string_view field;   // after "->", for kHashField
};

// Splits pattern as Redis does: the first '*' is replaced by the element; a "->" after it,
// followed by at least one byte, starts a hash field name. Redis scans the pattern as a C
// string, so a '*' or "->" after a NUL byte is not seen.
SortPattern ParseSortPattern(std::string_view pattern);

// Reads a key for a pattern lookup: the live entry or nullptr.
using KeyReader = std::function<const Entry*(std::string_view key)>;

// The value a pattern names for elem: elem itself for kSelf; nullopt for kConstant; else the
// string at the substituted key (nullopt if absent or not a string), or the hash field's value
// (nullopt if the key is absent, not a hash, or lacks the field).
std::optional<std::string> SortLookup(const SortPattern& p, std::string_view elem,
                                      const KeyReader& read);

struct SortParams {
  bool desc = false;
  bool alpha = false;
  bool dontsort = false;          // BY without '*': keep the source's own order
  std::optional<SortPattern> by;  // weights come from here when set (and !dontsort)
  int64_t limit_offset = 0;       // LIMIT offset (negative means 0)
  int64_t limit_count = -1;       // LIMIT count (negative means "to the end")
  bool store = false;             // the result is stored: ALPHA compares whole strings
};

// Sorts the collection at src (nullptr is an empty list) and returns the elements LIMIT selects,
// in order. kWrongType iff src holds a string or hash; kNotFloat iff a weight is not a double
// (Redis still reads every weight first, so `read` sees the same keys either way).
// A sorted set is converted to the skiplist encoding first, as Redis 7.0's SORT does (OBJECT
// ENCODING shows it). A set with dontsort and store is sorted ALPHA instead, without BY, as Redis
// does so that what it stores does not depend on hash order.
Result<std::vector<std::string>> SortElements(Entry* src, SortParams params, const KeyReader& read);

// Stores values as a list at dst (replacing any value of any type, TTL cleared), or deletes dst
// when values is empty. `fill` is list-max-listpack-size. Returns whether dst changed (stored, or
// deleted because it existed).
bool SortStore(Db& db, std::string_view dst, std::span<const std::string> values, int64_t fill);

}  // namespace store
