#include "store/zset_value.h"

#include <algorithm>
#include <cassert>

namespace store {

ZSetValue::ZSetValue(bool listpack) {
  if (!listpack) sl_ = std::make_unique<ZSkipList>();
}
ZSetValue::~ZSetValue() = default;

std::string_view ZSetValue::encoding() const { return sl_ == nullptr ? "listpack" : "skiplist"; }

std::unique_ptr<Collection> ZSetValue::Clone() const {
  auto c = std::make_unique<ZSetValue>(is_listpack());
  if (is_listpack()) {
    c->lp_ = lp_;
  } else if (size() > 0) {
    ForRange(0, size() - 1, false, [&](double s, std::string_view m) { c->sl_->Insert(m, s); });
  }
  return c;
}

size_t ZSetValue::size() const { return sl_ == nullptr ? lp_.size() : sl_->size(); }

std::optional<double> ZSetValue::Score(std::string_view member) const {
  if (sl_ == nullptr) {
    std::optional<ZListpack::Found> f = lp_.Find(member);
    if (!f.has_value()) return std::nullopt;
    return f->score;
  }
  const ZSkipList::Node* n = sl_->Find(member);
  if (n == nullptr) return std::nullopt;
  return n->score();
}

uint64_t ZSetValue::ScanStep(uint64_t cursor, size_t slots,
                             const std::function<void(double, std::string_view)>& fn) const {
  if (sl_ != nullptr) return sl_->ScanStep(cursor, slots, fn);
  lp_.ForEach(fn);
  return 0;
}

void ZSetValue::ConvertToSkipList() {
  if (sl_ != nullptr) return;
  sl_ = std::make_unique<ZSkipList>();
  lp_.ForEach([&](double s, std::string_view m) { sl_->Insert(m, s); });
  lp_.Clear();
}

bool ZSetValue::Set(std::string_view member, double score, int64_t max_entries, int64_t max_value) {
  if (sl_ == nullptr) {
    // A listpack keeps scores as text in which -0 reads back as 0; so does this encoding.
    if (score == 0) score = 0.0;
    std::optional<ZListpack::Found> f = lp_.Find(member);
    if (f.has_value()) {
      lp_.Rescore(*f, score);
      return false;
    }
    if (static_cast<int64_t>(lp_.size()) + 1 > max_entries ||
        static_cast<int64_t>(member.size()) > max_value ||
        lp_.bytes() + ZListpack::EntryBytes(member) > ZListpack::kMaxBytes) {
      ConvertToSkipList();
    } else {
      lp_.Insert(score, member);
      return true;
    }
  }
  if (sl_->Rescore(member, score)) return false;
  sl_->Insert(member, score);
  return true;
}

bool ZSetValue::Remove(std::string_view member) {
  if (sl_ != nullptr) return sl_->Remove(member);
  std::optional<ZListpack::Found> f = lp_.Find(member);
  if (!f.has_value()) return false;
  lp_.Erase(*f);
  return true;
}

std::optional<size_t> ZSetValue::Rank(std::string_view member) const {
  if (sl_ == nullptr) {
    std::optional<ZListpack::Found> f = lp_.Find(member);
    if (!f.has_value()) return std::nullopt;
    return f->rank;
  }
  const ZSkipList::Node* n = sl_->Find(member);
  if (n == nullptr) return std::nullopt;
  return sl_->RankOf(n);
}

ZEntry ZSetValue::At(size_t rank) const {
  if (sl_ == nullptr) {
    ZListpack::Item it = lp_.Read(lp_.OffsetOf(rank));
    return ZEntry{it.score, std::string(it.member)};
  }
  const ZSkipList::Node* n = sl_->At(rank);
  return ZEntry{n->score(), std::string(n->member())};
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
}  // namespace

#define FICKLE_ZSET_COUNT_WHILE(pred)                                                         \
  (sl_ == nullptr ? lp_.CountWhile(pred) : sl_->CountWhile([&](const ZSkipList::Node& node) { \
    return pred(node.score(), node.member());                                                 \
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
  auto before = [&](double, std::string_view m) { return LexBelowMin(m, min); };
  const size_t a = FICKLE_ZSET_COUNT_WHILE(before);
  size_t b = a;
  if (sl_ == nullptr) {
    if (a < lp_.size()) {
      for (size_t off = lp_.OffsetOf(a); off < lp_.bytes(); ++b) {
        ZListpack::Item it = lp_.Read(off);
        if (!LexWithinMax(it.member, max)) break;
        off = it.next;
      }
    }
  } else if (a < sl_->size()) {
    for (const ZSkipList::Node* x = sl_->At(a); x != nullptr && LexWithinMax(x->member(), max);
         x = x->next()) {
      ++b;
    }
  }
  return {a, b};
}
#undef FICKLE_ZSET_COUNT_WHILE

void ZSetValue::RemoveRange(size_t start, size_t end) {
  if (sl_ == nullptr) {
    lp_.EraseRanks(start, end);
    return;
  }
  std::vector<std::string> doomed;
  doomed.reserve(end - start + 1);
  ForRange(start, end, false, [&](double, std::string_view m) { doomed.emplace_back(m); });
  for (const std::string& m : doomed) sl_->Remove(m);
}

}  // namespace store
