// Sorted set store operations. They return values or a Status and never build replies; the
// handlers in server/commands/zset_family.cc parse arguments and write replies. Every successful
// modification is reported to the Db (Insert/Set/Erase/Touched) so WATCH sees it, and a set that
// becomes empty is deleted.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/db.h"
#include "store/set_value.h"
#include "store/status.h"
#include "store/zset_value.h"

namespace store {

// The zset-max-listpack-* thresholds in force.
struct ZSetLimits {
  int64_t max_entries = 128;
  int64_t max_value = 64;
};

// The sorted set in e: nullptr if e is null; kWrongType if e holds another type.
Result<const ZSetValue*> ZSetOf(const Entry* e);
Result<ZSetValue*> MutableZSetOf(Entry* e);

struct ZAddFlags {
  bool nx = false, xx = false, gt = false, lt = false, incr = false;
};
struct ZAddOutcome {
  int64_t added = 0;
  int64_t updated = 0;
  // INCR: the new score, or nullopt if the element was not touched (NX/XX/GT/LT refused it).
  std::optional<double> score;
};
// ZADD / ZINCRBY on the entry e for key (e may be null). kWrongType; kNanOrInf if an increment
// gives NaN (elements before it stay applied and are reported).
Result<ZAddOutcome> ZAdd(Db& db, std::string_view key, Entry* e, const ZAddFlags& flags,
                         std::span<const std::pair<double, std::string_view>> elements,
                         const ZSetLimits& limits);

// Removes members; returns how many were present. Deletes the key if it empties.
Result<int64_t> ZRem(Db& db, std::string_view key, Entry* e,
                     std::span<const std::string_view> members);

// Removes ranks [start, end] (clamped, as resolved by the caller). Returns the count removed.
// REQUIRES: e holds a sorted set and start <= end < size.
int64_t ZRemRankRange(Db& db, std::string_view key, Entry* e, size_t start, size_t end);

// Pops up to count elements from the low (or high if max) end, in pop order.
std::vector<ZEntry> ZPop(Db& db, std::string_view key, Entry* e, bool max, size_t count);

// Replaces dst with a new sorted set of these elements (each member once), or deletes dst if
// elements is empty. The encoding follows the thresholds. Returns the stored size.
int64_t ZStore(Db& db, std::string_view dst, std::vector<ZEntry> elements,
               const ZSetLimits& limits);

// Elements of a set or plain set used as a ZUNION/ZINTER/ZDIFF input.
// A plain set counts as a sorted set whose scores are all 1, as in Redis.
struct ZSource {
  const ZSetValue* zset = nullptr;  // at most one of zset and set is non-null;
  const SetValue* set = nullptr;    // both null when the key is missing
  size_t size() const;
  std::optional<double> Score(std::string_view member) const;
  // Calls fn(score, member) for every element.
  void ForEach(const std::function<void(double, std::string_view)>& fn) const;
};
// The input at e for a set operation: kWrongType unless e is null, a sorted set or a set.
Result<ZSource> ZSourceOf(const Entry* e);
enum class ZAggregate { kSum, kMin, kMax };
enum class ZSetOp { kUnion, kInter, kDiff };
// Combines the inputs (weights apply per input; ZDIFF ignores them). Result ordered by
// (score, member).
std::vector<ZEntry> ZCombine(ZSetOp op, std::span<const ZSource> inputs,
                             std::span<const double> weights, ZAggregate agg);

}  // namespace store
