// List operations on the keyspace: the store half of the list commands (LPUSH, LPOP, LRANGE,
// LMOVE, LPOS, ...). Handlers parse arguments and write replies; everything here works on values
// and returns Result<T>/Status, never RESP.
//
// Conventions, as store/string_ops.h: `e` is the live entry for `key` or nullptr iff the key is
// absent (the handler looked it up). Every successful modification is reported to the db's
// listener (Insert for a new list, Touched for an edit in place, Erase for a list that became
// empty: an empty list never stays in the keyspace). kWrongType iff the key holds another type;
// then nothing changes. Operations that add elements take `fill`, the list-max-listpack-size
// the new elements are packed under (store/list_value.h).
//
// The pops (PopElements, Move) are written for reuse by the blocking commands: once a key is
// known to be ready, BLPOP/BLMPOP/BLMOVE call the same functions.
// Not thread-safe: the loop thread owns the Db.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/db.h"
#include "store/entry.h"
#include "store/list_value.h"
#include "store/status.h"

namespace store {

// Redis's default list-max-listpack-size (8 KB nodes), for callers without a config at hand.
inline constexpr int64_t kDefaultListFill = -2;

// The list held by e, or nullptr if e is null. kWrongType iff e holds another type.
Result<const ListValue*> ReadList(const Entry* e);

// Pushes elems one by one at `end` (so LPUSH a b c leaves c first) and returns the new length.
// An absent key is created unless only_if_exists, in which case 0 is returned and nothing changes.
Result<int64_t> Push(Db& db, std::string_view key, Entry* e, ListEnd end,
                     std::span<const std::string_view> elems, bool only_if_exists,
                     int64_t fill = kDefaultListFill);

// Pops up to `count` elements from `end`, in pop order, deleting the key if it empties.
// kNotFound iff e is null. REQUIRES: count >= 0 (0 pops nothing from an existing list).
Result<std::vector<std::string>> PopElements(Db& db, std::string_view key, Entry* e, ListEnd end,
                                             int64_t count);

// The element at index (negative counts from the tail), or nullopt if absent or out of range.
Result<std::optional<std::string>> Index(const Entry* e, int64_t index);

// Replaces the element at index. kNotFound iff e is null; kOutOfRange iff index is outside.
Status SetIndex(Db& db, std::string_view key, Entry* e, int64_t index, std::string_view elem,
                int64_t fill = kDefaultListFill);

// Inserts elem before (or after) the first element equal to pivot. Returns the new length, 0 if
// the key is absent, -1 if pivot is not in the list.
Result<int64_t> InsertAround(Db& db, std::string_view key, Entry* e, bool before,
                             std::string_view pivot, std::string_view elem,
                             int64_t fill = kDefaultListFill);

// LRANGE: the list at e (null if the key is absent) and the positions of the elements between
// start and stop inclusive, negative indexes counting from the tail, clamped to the list as LRANGE
// does (count 0 if the range is empty). The caller visits them in place, copying nothing.
struct ListSlice {
  const ListValue* list = nullptr;
  size_t first = 0;
  size_t count = 0;
};
Result<ListSlice> RangeSlice(const Entry* e, int64_t start, int64_t stop);

// Keeps only the elements LRANGE start stop would return; deletes the key if none are left.
// An absent key is not an error.
Status Trim(Db& db, std::string_view key, Entry* e, int64_t start, int64_t stop);

// Removes elements equal to elem: the first |count| from the head if count > 0, from the tail if
// count < 0, all if 0. Returns how many were removed (0 for an absent key).
Result<int64_t> RemoveElements(Db& db, std::string_view key, Entry* e, int64_t count,
                               std::string_view elem);

// Pops an element from src at `from` and pushes it onto dst at `to` (dst is created if absent;
// src == dst rotates the list). Returns the element, or nullopt if src is absent. kWrongType iff
// src or dst holds another type; then nothing changes. `src_e`/`dst_e` are the live entries of
// src and dst (or null); when src == dst they are the same entry.
Result<std::optional<std::string>> Move(Db& db, std::string_view src, Entry* src_e,
                                        std::string_view dst, Entry* dst_e, ListEnd from,
                                        ListEnd to, int64_t fill = kDefaultListFill);

struct PosParams {
  int64_t rank = 1;    // 1-based match to start from; negative searches from the tail
  int64_t count = -1;  // -1: no COUNT (one answer); 0: all matches; else at most this many
  int64_t maxlen = 0;  // compare at most this many elements; 0 means no limit
};

// Indexes (from the head) of the elements equal to elem, as LPOS finds them: skipping
// |rank| - 1 matches, in search order. Empty if the key is absent.
// REQUIRES: params.rank != 0, params.count >= -1, params.maxlen >= 0.
Result<std::vector<int64_t>> Positions(const Entry* e, std::string_view elem,
                                       const PosParams& params);

}  // namespace store
