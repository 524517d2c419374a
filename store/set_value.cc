#include "store/set_value.h"

#include <algorithm>
#include <iterator>

#include "store/bucket_scan.h"

namespace store {

std::unique_ptr<Collection> SetValue::Clone() const {
  auto c = std::make_unique<SetValue>();
  c->intset_ = intset_;
  c->ints_ = ints_;
  c->strs_ = strs_;
  return c;
}

bool SetValue::Contains(std::string_view m) const {
  if (!intset_) return strs_.find(m) != strs_.end();
  int64_t v;
  // A non-canonical spelling ("01") is a different member, never in an intset.
  if (!ParseInt64(m, &v)) return false;
  return std::binary_search(ints_.begin(), ints_.end(), v);
}

bool SetValue::Add(std::string_view m, size_t max_intset_entries) {
  if (intset_) {
    int64_t v;
    if (ParseInt64(m, &v)) {
      auto it = std::lower_bound(ints_.begin(), ints_.end(), v);
      if (it != ints_.end() && *it == v) return false;
      ints_.insert(it, v);
      // Redis adds first and converts once the count is over the limit.
      if (ints_.size() > max_intset_entries) ConvertToHashtable();
      return true;
    }
    ConvertToHashtable();
  }
  return strs_.emplace(m).second;
}

bool SetValue::Remove(std::string_view m) {
  if (intset_) {
    int64_t v;
    if (!ParseInt64(m, &v)) return false;
    auto it = std::lower_bound(ints_.begin(), ints_.end(), v);
    if (it == ints_.end() || *it != v) return false;
    ints_.erase(it);
    return true;
  }
  auto it = strs_.find(m);
  if (it == strs_.end()) return false;
  strs_.erase(it);
  // Keep the table dense enough that RandomIter finds a filled bucket in a few draws.
  if (strs_.bucket_count() > 64 && strs_.size() * 8 < strs_.bucket_count()) strs_.rehash(0);
  return true;
}

std::vector<std::string> SetValue::Members() const {
  std::vector<std::string> out;
  out.reserve(size());
  ForEach([&out](std::string_view m) { out.emplace_back(m); });
  return out;
}

void SetValue::ForEach(const std::function<void(std::string_view)>& fn) const {
  if (intset_) {
    for (int64_t v : ints_) fn(FormatInt64(v));
  } else {
    for (const std::string& s : strs_) fn(s);
  }
}

uint64_t SetValue::ScanStep(uint64_t cursor, size_t buckets,
                            const std::function<void(std::string_view)>& fn) const {
  if (intset_) {
    ForEach(fn);
    return 0;
  }
  return BucketScanStep(strs_, cursor, buckets, [&](const std::string& m) { fn(m); });
}

SetValue::StrSet::const_iterator SetValue::RandomIter(std::mt19937_64& rng) const {
  const size_t buckets = strs_.bucket_count();
  size_t b = rng() % buckets;
  // Draw buckets until a filled one (Remove keeps the load above 1/8); give up after a few
  // draws and walk to the next filled bucket so the loop is bounded.
  for (int tries = 0; strs_.bucket_size(b) == 0; ++tries) {
    b = tries < 32 ? rng() % buckets : (b + 1) % buckets;
  }
  size_t k = rng() % strs_.bucket_size(b);
  auto lit = strs_.cbegin(b);
  std::advance(lit, k);
  return strs_.find(*lit);
}

std::string SetValue::Random(std::mt19937_64& rng) const {
  if (intset_) return FormatInt64(ints_[rng() % ints_.size()]);
  return *RandomIter(rng);
}

std::string SetValue::PopRandom(std::mt19937_64& rng) {
  if (intset_) {
    size_t i = rng() % ints_.size();
    int64_t v = ints_[i];
    ints_.erase(ints_.begin() + static_cast<ptrdiff_t>(i));
    return FormatInt64(v);
  }
  auto it = RandomIter(rng);
  std::string m = *it;
  Remove(m);
  return m;
}

void SetValue::ConvertToHashtable() {
  if (!intset_) return;
  strs_.reserve(ints_.size());
  for (int64_t v : ints_) strs_.insert(FormatInt64(v));
  decltype(ints_)().swap(ints_);  // frees it (shrink_to_fit is a no-op without exceptions)
  intset_ = false;
}

}  // namespace store
