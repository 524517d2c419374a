// Set operations on the keyspace: the store half of the set commands (SADD, SREM, SMOVE, SPOP,
// SRANDMEMBER, SINTER/SUNION/SDIFF and their STORE forms, SINTERCARD, SSCAN). Handlers parse
// arguments and write replies; everything here returns Result<T>/Status, never RESP.
//
// Conventions, as store/string_ops.h: `e` is the live entry for `key` (nullptr iff absent),
// looked up by the handler. Every successful modification is reported through Db::Insert/Set/
// Erase/Touched so WATCH sees it, and a set that becomes empty is deleted with Db::Erase (Redis
// never keeps an empty set). `max_intset` is the current set-max-intset-entries.
// Not thread-safe: the loop thread owns the Db.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/db.h"
#include "store/entry.h"
#include "store/set_value.h"
#include "store/status.h"

namespace store {

// The set held by e: nullptr iff e is null; kWrongType iff e holds another type.
Result<const SetValue*> SetOf(const Entry* e);

// Adds members to the set at key, creating it if absent. Returns how many were new.
Result<int64_t> SetAdd(Db& db, std::string_view key, Entry* e,
                       std::span<const std::string_view> members, size_t max_intset);

// Removes members; deletes the key if the set becomes empty. Returns how many were removed.
Result<int64_t> SetRemove(Db& db, std::string_view key, Entry* e,
                          std::span<const std::string_view> members);

// SMOVE: moves member from src to dst. Returns whether it was moved (or, when src and dst are
// the same key, whether it is a member). Redis's order: absent src is false before any type
// check; then kWrongType iff src or dst holds another type.
Result<bool> SetMove(Db& db, std::string_view src, Entry* se, std::string_view dst, Entry* de,
                     std::string_view member, size_t max_intset);

// Removes and returns up to count random distinct members (all of them, deleting the key, when
// count >= size). An absent key gives an empty vector.
Result<std::vector<std::string>> SetPop(Db& db, std::string_view key, Entry* e, uint64_t count,
                                        std::mt19937_64& rng);

// SRANDMEMBER with a count: count >= 0 gives min(count, size) distinct members; count < 0 gives
// -count members drawn independently (repeats allowed). REQUIRES: count > INT64_MIN.
Result<std::vector<std::string>> SetRandomMembers(const Entry* e, int64_t count,
                                                  std::mt19937_64& rng);

enum class SetAlgebra { kUnion, kInter, kDiff };

// The union, intersection or difference (first minus the rest) of the sets; a null entry is an
// empty set. kWrongType iff any entry holds another type (all are checked, as Redis 7.0 does,
// before any set is read). The result is built as Redis builds a stored result: it starts as an
// intset and converts past max_intset.
Result<std::unique_ptr<SetValue>> SetCombine(std::span<const Entry* const> entries, SetAlgebra op,
                                             size_t max_intset);

// Stores `result` at dst (replacing any value of any type, TTL cleared), or deletes dst when the
// result is empty. Returns the result's size.
int64_t SetStore(Db& db, std::string_view dst, std::unique_ptr<SetValue> result);

// SINTERCARD: the intersection's size, stopping at limit when limit > 0. kWrongType as
// SetCombine.
Result<int64_t> SetInterCard(std::span<const Entry* const> entries, uint64_t limit);

}  // namespace store
