// Hash operations on the keyspace: the store half of the hash commands (HSET, HDEL, HINCRBY,
// HRANDFIELD, ...). Handlers parse arguments and write replies; everything here works on values
// and returns Result<T>/Status, never RESP.
//
// Conventions (as store/string_ops.h): `e` is the live entry for `key` in `db`, or nullptr iff the
// key is absent, looked up by the handler. Every successful modification notifies the db's
// listener (Db::Insert for a new hash, Db::Touched for an edit, Db::Erase when the last field
// goes, since Redis never keeps an empty hash).
// Not thread-safe: the loop thread owns the Db.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/db.h"
#include "store/entry.h"
#include "store/hash_value.h"
#include "store/status.h"

namespace store {

// The hash in e, or nullptr iff e is null. kWrongType iff e holds another type.
Result<const HashValue*> ReadHash(const Entry* e);

// Sets each (args[2i], args[2i+1]) pair in order, creating the hash if needed, and returns how
// many fields were new. REQUIRES: args.size() is even and non-zero. kWrongType.
Result<int64_t> HashSet(Db& db, std::string_view key, Entry* e,
                        std::span<const std::string_view> args, const HashLimits& limits);

// Sets field only if absent; returns whether it did. kWrongType.
Result<bool> HashSetNx(Db& db, std::string_view key, Entry* e, std::string_view field,
                       std::string_view value, const HashLimits& limits);

// Removes the fields and returns how many were present; deletes the key when it empties.
// kWrongType. An absent key answers 0.
Result<int64_t> HashDel(Db& db, std::string_view key, Entry* e,
                        std::span<const std::string_view> fields);

// Adds delta to the integer in field (0 if absent) and returns the result. kWrongType;
// kNotInteger iff the stored value is not a canonical int64; kOverflow iff the sum would leave
// the int64 range. Nothing changes on error.
Result<int64_t> HashIncrBy(Db& db, std::string_view key, Entry* e, std::string_view field,
                           int64_t delta, const HashLimits& limits);

// Adds delta (long double, as Redis) to the number in field (0 if absent) and returns the
// formatted result, which is also what gets stored. kWrongType; kNotFloat iff the stored value
// does not parse; kNanOrInf iff the sum is not finite. Nothing changes on error.
// REQUIRES: delta is finite.
Result<std::string> HashIncrByFloat(Db& db, std::string_view key, Entry* e, std::string_view field,
                                    long double delta, const HashLimits& limits);

// HRANDFIELD's picks, as (field, value) views into h valid until it changes.
//   count >= size(): every entry once, in ForEach order.
//   0 <= count < size(): `count` distinct entries in random order.
//   count < 0: -count entries chosen independently (repeats allowed).
// The randomness comes from a sequence seeded by `seed`. REQUIRES: count != INT64_MIN.
std::vector<std::pair<std::string_view, std::string_view>> HashRandomEntries(const HashValue& h,
                                                                             int64_t count,
                                                                             uint64_t seed);

}  // namespace store
