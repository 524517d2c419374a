// The sorted set value: members ordered by (score, member bytes), each member unique.
//
// Two encodings, as OBJECT ENCODING names them:
//   "listpack": a vector of (score, member) kept sorted; used while the set is small (count and
//               member length within the zset-max-listpack-* thresholds). Binary search finds a
//               score or lex bound, a linear scan finds a member, ranks are indices.
//   "skiplist": a skip list ordered by (score, member) whose links carry spans (the number of
//               level-0 steps they skip), so rank <-> node is O(log n), plus a hash map
//               member -> node for O(1) ZSCORE. The map owns the nodes; node->member views the
//               map's key, which stays put because unordered_map nodes never move.
// A set converts to "skiplist" once it outgrows the thresholds and never back (as Redis), except
// that a freshly built destination (ZRANGESTORE, ZUNIONSTORE, ...) picks its encoding anew.
// Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/value.h"

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

class ZSkipList;

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
  // the skiplist's member index is walked `buckets` buckets at a time (store/bucket_scan.h).
  uint64_t ScanStep(uint64_t cursor, size_t buckets,
                    const std::function<void(double, std::string_view)>& fn) const;

 private:
  std::vector<ZEntry> lp_;         // the listpack encoding, sorted
  std::unique_ptr<ZSkipList> sl_;  // the skiplist encoding, or nullptr
};

// Compares (score, member) pairs as the set orders them.
inline bool ZLess(double s1, std::string_view m1, double s2, std::string_view m2) {
  return s1 < s2 || (s1 == s2 && m1 < m2);
}

// The skip list with spans and the member index. Exposed for ZSetValue's template and tests.
class ZSkipList {
 public:
  static constexpr int kMaxLevel = 32;
  struct Node;
  struct Link {
    Node* next = nullptr;
    size_t span = 0;  // level-0 steps from this node to next (to the end if next is null)
  };
  struct Node {
    double score = 0;
    std::string_view member;  // views the key in index_
    Node* prev = nullptr;
    std::vector<Link> links;
  };

  ZSkipList();
  size_t size() const { return size_; }
  const Node* Find(std::string_view member) const;
  // REQUIRES: member absent.
  void Insert(std::string_view member, double score);
  // Returns whether member was present.
  bool Remove(std::string_view member);
  // 0-based rank of the node. REQUIRES: n is in the list.
  size_t RankOf(const Node* n) const;
  // Node at rank. REQUIRES: rank < size().
  const Node* At(size_t rank) const;
  // One bucket-walk step over the member index (store/bucket_scan.h).
  uint64_t ScanStep(uint64_t cursor, size_t buckets,
                    const std::function<void(double, std::string_view)>& fn) const;
  // Rank of the first node for which before(node) is false; before must be monotone.
  template <typename Pred>
  size_t CountWhile(Pred before) const {
    size_t rank = 0;
    const Node* x = &head_;
    for (int i = level_ - 1; i >= 0; --i) {
      while (x->links[i].next != nullptr && before(*x->links[i].next)) {
        rank += x->links[i].span;
        x = x->links[i].next;
      }
    }
    return rank;
  }

 private:
  int RandomLevel();
  void Unlink(Node* x, Node** update);

  Node head_;
  Node* tail_ = nullptr;
  int level_ = 1;
  size_t size_ = 0;
  uint64_t rng_ = 0x9e3779b97f4a7c15ull;
  std::unordered_map<std::string, std::unique_ptr<Node>> index_;
};

template <typename F>
void ZSetValue::ForRange(size_t start, size_t end, bool rev, F fn) const {
  if (sl_ == nullptr) {
    if (rev) {
      for (size_t i = end + 1; i-- > start;) fn(lp_[i].score, std::string_view(lp_[i].member));
    } else {
      for (size_t i = start; i <= end; ++i) fn(lp_[i].score, std::string_view(lp_[i].member));
    }
    return;
  }
  const ZSkipList::Node* n = sl_->At(rev ? end : start);
  for (size_t k = 0; k <= end - start; ++k) {
    fn(n->score, n->member);
    n = rev ? n->prev : n->links[0].next;
  }
}

}  // namespace store
