#include "store/zset_value.h"

#include <algorithm>
#include <cassert>

#include "store/bucket_scan.h"

namespace store {

// ---- ZSkipList ------------------------------------------------------------------------------

ZSkipList::ZSkipList() { head_.links.resize(kMaxLevel); }

int ZSkipList::RandomLevel() {
  // xorshift64; a level rises with probability 1/4 as in the classic skip list.
  int level = 1;
  for (;;) {
    rng_ ^= rng_ << 13;
    rng_ ^= rng_ >> 7;
    rng_ ^= rng_ << 17;
    if ((rng_ & 3) != 0 || level >= kMaxLevel) break;
    ++level;
  }
  return level;
}

const ZSkipList::Node* ZSkipList::Find(std::string_view member) const {
  auto it = index_.find(std::string(member));
  return it == index_.end() ? nullptr : it->second.get();
}

void ZSkipList::Insert(std::string_view member, double score) {
  auto [it, inserted] = index_.emplace(std::string(member), std::make_unique<Node>());
  assert(inserted);
  Node* x = it->second.get();
  x->score = score;
  x->member = it->first;

  Node* update[kMaxLevel];
  size_t rank[kMaxLevel];
  Node* p = &head_;
  for (int i = level_ - 1; i >= 0; --i) {
    rank[i] = i == level_ - 1 ? 0 : rank[i + 1];
    while (p->links[i].next != nullptr &&
           ZLess(p->links[i].next->score, p->links[i].next->member, score, x->member)) {
      rank[i] += p->links[i].span;
      p = p->links[i].next;
    }
    update[i] = p;
  }
  int level = RandomLevel();
  if (level > level_) {
    for (int i = level_; i < level; ++i) {
      rank[i] = 0;
      update[i] = &head_;
      head_.links[i].span = size_;
    }
    level_ = level;
  }
  x->links.resize(level);
  for (int i = 0; i < level; ++i) {
    x->links[i].next = update[i]->links[i].next;
    update[i]->links[i].next = x;
    x->links[i].span = update[i]->links[i].span - (rank[0] - rank[i]);
    update[i]->links[i].span = (rank[0] - rank[i]) + 1;
  }
  for (int i = level; i < level_; ++i) ++update[i]->links[i].span;
  x->prev = update[0] == &head_ ? nullptr : update[0];
  if (x->links[0].next != nullptr) {
    x->links[0].next->prev = x;
  } else {
    tail_ = x;
  }
  ++size_;
}

void ZSkipList::Unlink(Node* x, Node** update) {
  for (int i = 0; i < level_; ++i) {
    if (update[i]->links[i].next == x) {
      update[i]->links[i].span += x->links[i].span - 1;
      update[i]->links[i].next = x->links[i].next;
    } else {
      --update[i]->links[i].span;
    }
  }
  if (x->links[0].next != nullptr) {
    x->links[0].next->prev = x->prev;
  } else {
    tail_ = x->prev;
  }
  while (level_ > 1 && head_.links[level_ - 1].next == nullptr) --level_;
  --size_;
}

bool ZSkipList::Remove(std::string_view member) {
  auto it = index_.find(std::string(member));
  if (it == index_.end()) return false;
  Node* x = it->second.get();
  Node* update[kMaxLevel];
  Node* p = &head_;
  for (int i = level_ - 1; i >= 0; --i) {
    while (p->links[i].next != nullptr &&
           ZLess(p->links[i].next->score, p->links[i].next->member, x->score, x->member)) {
      p = p->links[i].next;
    }
    update[i] = p;
  }
  Unlink(x, update);
  index_.erase(it);
  return true;
}

uint64_t ZSkipList::ScanStep(uint64_t cursor, size_t buckets,
                             const std::function<void(double, std::string_view)>& fn) const {
  return BucketScanStep(index_, cursor, buckets,
                        [&](const auto& kv) { fn(kv.second->score, kv.second->member); });
}

size_t ZSkipList::RankOf(const Node* n) const {
  // Counts the nodes strictly before n, then n itself is at that rank.
  return CountWhile([n](const Node& x) { return ZLess(x.score, x.member, n->score, n->member); });
}

const ZSkipList::Node* ZSkipList::At(size_t rank) const {
  size_t traversed = 0;
  const Node* x = &head_;
  const size_t target = rank + 1;  // head is position 0
  for (int i = level_ - 1; i >= 0; --i) {
    while (x->links[i].next != nullptr && traversed + x->links[i].span <= target) {
      traversed += x->links[i].span;
      x = x->links[i].next;
    }
    if (traversed == target) return x;
  }
  assert(false);
  return nullptr;
}

// ---- ZSetValue ------------------------------------------------------------------------------

ZSetValue::ZSetValue(bool listpack) {
  if (!listpack) sl_ = std::make_unique<ZSkipList>();
}
ZSetValue::~ZSetValue() = default;

std::string_view ZSetValue::encoding() const { return sl_ == nullptr ? "listpack" : "skiplist"; }

std::unique_ptr<Collection> ZSetValue::Clone() const {
  auto c = std::make_unique<ZSetValue>(is_listpack());
  if (is_listpack()) {
    c->lp_ = lp_;
  } else {
    ForRange(0, size() - 1, false, [&](double s, std::string_view m) { c->sl_->Insert(m, s); });
  }
  return c;
}

size_t ZSetValue::size() const { return sl_ == nullptr ? lp_.size() : sl_->size(); }

namespace {
// Index of member in the sorted vector, or npos.
size_t LpFind(const std::vector<ZEntry>& lp, std::string_view member) {
  for (size_t i = 0; i < lp.size(); ++i) {
    if (lp[i].member == member) return i;
  }
  return std::string::npos;
}
}  // namespace

std::optional<double> ZSetValue::Score(std::string_view member) const {
  if (sl_ == nullptr) {
    size_t i = LpFind(lp_, member);
    if (i == std::string::npos) return std::nullopt;
    return lp_[i].score;
  }
  const ZSkipList::Node* n = sl_->Find(member);
  if (n == nullptr) return std::nullopt;
  return n->score;
}

uint64_t ZSetValue::ScanStep(uint64_t cursor, size_t buckets,
                             const std::function<void(double, std::string_view)>& fn) const {
  if (sl_ != nullptr) return sl_->ScanStep(cursor, buckets, fn);
  for (const ZEntry& e : lp_) fn(e.score, e.member);
  return 0;
}

void ZSetValue::ConvertToSkipList() {
  if (sl_ != nullptr) return;
  sl_ = std::make_unique<ZSkipList>();
  for (const ZEntry& e : lp_) sl_->Insert(e.member, e.score);
  decltype(lp_)().swap(lp_);  // frees it (shrink_to_fit is a no-op without exceptions)
}

bool ZSetValue::Set(std::string_view member, double score, int64_t max_entries, int64_t max_value) {
  if (sl_ == nullptr) {
    size_t i = LpFind(lp_, member);
    if (i != std::string::npos) {
      // A listpack keeps scores as text in which -0 reads back as 0; so does this encoding.
      if (score == 0) score = 0.0;
      ZEntry e = std::move(lp_[i]);
      lp_.erase(lp_.begin() + static_cast<ptrdiff_t>(i));
      e.score = score;
      auto pos = std::lower_bound(lp_.begin(), lp_.end(), e, [](const ZEntry& a, const ZEntry& b) {
        return ZLess(a.score, a.member, b.score, b.member);
      });
      lp_.insert(pos, std::move(e));
      return false;
    }
    if (static_cast<int64_t>(lp_.size()) + 1 > max_entries ||
        static_cast<int64_t>(member.size()) > max_value) {
      ConvertToSkipList();
    } else {
      if (score == 0) score = 0.0;  // as above
      auto pos = std::lower_bound(lp_.begin(), lp_.end(), 0, [&](const ZEntry& a, int) {
        return ZLess(a.score, a.member, score, member);
      });
      lp_.insert(pos, ZEntry{score, std::string(member)});
      return true;
    }
  }
  bool existed = sl_->Remove(member);
  sl_->Insert(member, score);
  return !existed;
}

bool ZSetValue::Remove(std::string_view member) {
  if (sl_ != nullptr) return sl_->Remove(member);
  size_t i = LpFind(lp_, member);
  if (i == std::string::npos) return false;
  lp_.erase(lp_.begin() + static_cast<ptrdiff_t>(i));
  return true;
}

std::optional<size_t> ZSetValue::Rank(std::string_view member) const {
  if (sl_ == nullptr) {
    size_t i = LpFind(lp_, member);
    if (i == std::string::npos) return std::nullopt;
    return i;
  }
  const ZSkipList::Node* n = sl_->Find(member);
  if (n == nullptr) return std::nullopt;
  return sl_->RankOf(n);
}

ZEntry ZSetValue::At(size_t rank) const {
  if (sl_ == nullptr) return lp_[rank];
  const ZSkipList::Node* n = sl_->At(rank);
  return ZEntry{n->score, std::string(n->member)};
}

namespace {
// Whether member sorts before the lower bound (so is excluded from below).
bool LexBelowMin(std::string_view m, const ZLexBound& min) {
  switch (min.kind) {
    case ZLexBound::kMin:
      return false;
    case ZLexBound::kMax:
      return true;
    case ZLexBound::kValue:
      return min.exclusive ? m <= min.value : m < min.value;
  }
  return false;
}
// Whether member is within the upper bound.
bool LexWithinMax(std::string_view m, const ZLexBound& max) {
  switch (max.kind) {
    case ZLexBound::kMin:
      return false;
    case ZLexBound::kMax:
      return true;
    case ZLexBound::kValue:
      return max.exclusive ? m < max.value : m <= max.value;
  }
  return false;
}

template <typename Pred>
size_t LpCountWhile(const std::vector<ZEntry>& lp, Pred before) {
  auto it = std::partition_point(lp.begin(), lp.end(),
                                 [&](const ZEntry& e) { return before(e.score, e.member); });
  return static_cast<size_t>(it - lp.begin());
}
}  // namespace

#define FICKLE_ZSET_COUNT_WHILE(pred)                                                            \
  (sl_ == nullptr ? LpCountWhile(lp_, pred) : sl_->CountWhile([&](const ZSkipList::Node& node) { \
    return pred(node.score, node.member);                                                        \
  }))

size_t ZSetValue::ScoreLowerRank(const ZScoreBound& min) const {
  auto before = [&](double s, std::string_view) {
    return min.exclusive ? s <= min.value : s < min.value;
  };
  return FICKLE_ZSET_COUNT_WHILE(before);
}
size_t ZSetValue::ScoreUpperRank(const ZScoreBound& max) const {
  auto within = [&](double s, std::string_view) {
    return max.exclusive ? s < max.value : s <= max.value;
  };
  return FICKLE_ZSET_COUNT_WHILE(within);
}
std::pair<size_t, size_t> ZSetValue::LexRange(const ZLexBound& min, const ZLexBound& max) const {
  // The first element at or above min, then every following one up to max. On a set whose
  // scores differ this is what Redis's walk gives too (for a listpack exactly).
  // As Redis, the range is empty unless the last element is at or above min and the first at or
  // below max (this decides the outcome when scores differ).
  const size_t n = size();
  if (n == 0 || LexBelowMin(At(n - 1).member, min) || !LexWithinMax(At(0).member, max)) {
    return {0, 0};
  }
  size_t a;
  if (sl_ == nullptr) {
    a = 0;
    while (a < lp_.size() && LexBelowMin(lp_[a].member, min)) ++a;
  } else {
    auto before = [&](double, std::string_view m) { return LexBelowMin(m, min); };
    a = FICKLE_ZSET_COUNT_WHILE(before);
  }
  size_t b = a;
  if (sl_ == nullptr) {
    while (b < lp_.size() && LexWithinMax(lp_[b].member, max)) ++b;
  } else if (a < sl_->size()) {
    for (const ZSkipList::Node* x = sl_->At(a); x != nullptr && LexWithinMax(x->member, max);
         x = x->links[0].next) {
      ++b;
    }
  }
  return {a, b};
}
#undef FICKLE_ZSET_COUNT_WHILE

void ZSetValue::RemoveRange(size_t start, size_t end) {
  if (sl_ == nullptr) {
    lp_.erase(lp_.begin() + static_cast<ptrdiff_t>(start),
              lp_.begin() + static_cast<ptrdiff_t>(end) + 1);
    return;
  }
  std::vector<std::string> doomed;
  doomed.reserve(end - start + 1);
  ForRange(start, end, false, [&](double, std::string_view m) { doomed.emplace_back(m); });
  for (const std::string& m : doomed) sl_->Remove(m);
}

}  // namespace store
