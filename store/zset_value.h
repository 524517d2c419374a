// The sorted set value: members ordered by (score, member bytes), each member unique.
//
// Two encodings, as OBJECT ENCODING names them:
//   "listpack": one packed buffer of (score, member) entries kept sorted (store/zset_listpack.h);
//               used while the set is small (count and member length within the
//               zset-max-listpack-* thresholds). Lookups, ranks and bounds are linear scans.
//   "skiplist": a skip list ordered by (score, member) whose links carry spans, so rank <-> node
//               is O(log n), plus a hash index of its nodes for O(1) ZSCORE
//               (store/zset_skiplist.h). A member is one allocation.
// A set converts to "skiplist" once it outgrows the thresholds and never back (as Redis), except
// that a freshly built destination (ZRANGESTORE, ZUNIONSTORE, ...) picks its encoding anew.
// Invariant: exactly one encoding holds the members: while sl_ is set, lp_ is empty.
// Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/value.h"
#include "store/zset_listpack.h"
#include "store/zset_order.h"
#include "store/zset_skiplist.h"

namespace store {

struct ZEntry {
  double score;
  std::string member;
};

// A score bound: (x or x, with -inf/+inf.
struct ZScoreBound {
  double value = 0;
  bool exclusive = false;
};

// A lex bound: "-" (min), "+" (max), "[x" inclusive, "(x" exclusive.
struct ZLexBound {
  enum Kind { kMin, kMax, kValue } kind = kValue;
  std::string value;
  bool exclusive = false;
};

class ZSetValue : public Collection {
 public:
  // A set that starts as listpack iff listpack is true.
  explicit ZSetValue(bool listpack);
  ~ZSetValue() override;
  ObjType type() const override { return ObjType::kZSet; }
  std::string_view encoding() const override;
  std::unique_ptr<Collection> Clone() const override;

  bool is_listpack() const { return sl_ == nullptr; }
  size_t size() const;
  std::optional<double> Score(std::string_view member) const;
  // Adds member or changes its score. Returns true iff it was added. Converts to skiplist first
  // if the set would exceed max_entries or member is longer than max_value.
  bool Set(std::string_view member, double score, int64_t max_entries, int64_t max_value);
  // Returns true iff member was present.
  bool Remove(std::string_view member);
  // 0-based rank in ascending order, if present.
  std::optional<size_t> Rank(std::string_view member) const;
  // The element at rank. REQUIRES: rank < size().
  ZEntry At(size_t rank) const;
  // Calls fn(score, member) for ranks [start, end] ascending (or descending if rev, from end down
  // to start). REQUIRES: start <= end < size().
  template <typename F>
  void ForRange(size_t start, size_t end, bool rev, F fn) const;
  // Number of elements below the bound: the rank of the first element that is >= min (or > min
  // if exclusive). For a max bound use LowerRank with the opposite sense: UpperRank is the rank
  // one past the last element <= max (or < max).
  size_t ScoreLowerRank(const ZScoreBound& min) const;
  size_t ScoreUpperRank(const ZScoreBound& max) const;
  // The ranks [first, second) a lex range selects: from the first element at or above min, the
  // run of elements up to max. Meaningful only when all scores are equal (as Redis).
  std::pair<size_t, size_t> LexRange(const ZLexBound& min, const ZLexBound& max) const;
  // Removes ranks [start, end]. REQUIRES: start <= end < size().
  void RemoveRange(size_t start, size_t end);
  // Switches to the skiplist encoding (no-op if already).
  void ConvertToSkipList();
  // One step of a cursor walk (ZSCAN): a listpack is visited whole, in rank order, and returns 0;
  // the skiplist's member index is walked `slots` home slots at a time (store/slot_table.h).
  uint64_t ScanStep(uint64_t cursor, size_t slots,
                    const std::function<void(double, std::string_view)>& fn) const;

 private:
  ZListpack lp_;                   // the listpack encoding; empty once sl_ is set
  std::unique_ptr<ZSkipList> sl_;  // the skiplist encoding, or nullptr
};

template <typename F>
void ZSetValue::ForRange(size_t start, size_t end, bool rev, F fn) const {
  if (sl_ == nullptr) {
    lp_.ForRange(start, end, rev, fn);
    return;
  }
  const ZSkipList::Node* n = sl_->At(rev ? end : start);
  for (size_t k = 0; k <= end - start; ++k) {
    fn(n->score(), n->member());
    n = rev ? n->prev() : n->next();
  }
}

}  // namespace store
