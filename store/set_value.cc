#include "store/set_value.h"

#include <algorithm>
#include <iterator>

#include "store/bucket_scan.h"

namespace store {

SetValue::~SetValue() = default;

std::unique_ptr<Collection> SetValue::Clone() const {
  auto c = std::make_unique<SetValue>();
  c->ints_ = ints_;
  if (strs_ != nullptr) c->strs_ = std::make_unique<StrSet>(*strs_);
  return c;
}

bool SetValue::Contains(std::string_view m) const {
  if (!is_intset()) return strs_->find(m) != strs_->end();
  int64_t v;
  // A non-canonical spelling ("01") is a different member, never in an intset.
  if (!ParseInt64(m, &v)) return false;
  return ints_.Contains(v);
}

bool SetValue::Add(std::string_view m, size_t max_intset_entries) {
  if (is_intset()) {
    int64_t v;
    if (ParseInt64(m, &v)) {
      if (!ints_.Insert(v)) return false;
      // Redis adds first and converts once the count is over the limit.
      if (ints_.size() > max_intset_entries) ConvertToHashtable();
      return true;
    }
    ConvertToHashtable();
  }
  return strs_->emplace(m).second;
}

bool SetValue::Remove(std::string_view m) {
  if (is_intset()) {
    int64_t v;
    if (!ParseInt64(m, &v)) return false;
    return ints_.Remove(v);
  }
  auto it = strs_->find(m);
  if (it == strs_->end()) return false;
  strs_->erase(it);
  // Keep the table dense enough that RandomIter finds a filled bucket in a few draws.
  if (strs_->bucket_count() > 64 && strs_->size() * 8 < strs_->bucket_count()) strs_->rehash(0);
  return true;
}

std::vector<std::string> SetValue::Members() const {
  std::vector<std::string> out;
  out.reserve(size());
  ForEach([&out](std::string_view m) { out.emplace_back(m); });
  return out;
}

void SetValue::ForEach(const std::function<void(std::string_view)>& fn) const {
  if (is_intset()) {
    for (size_t i = 0; i < ints_.size(); ++i) fn(FormatInt64(ints_.At(i)));
  } else {
    for (const std::string& s : *strs_) fn(s);
  }
}

uint64_t SetValue::ScanStep(uint64_t cursor, size_t buckets,
                            const std::function<void(std::string_view)>& fn) const {
  if (is_intset()) {
    ForEach(fn);
    return 0;
  }
  return BucketScanStep(*strs_, cursor, buckets, [&](const std::string& m) { fn(m); });
}

SetValue::StrSet::const_iterator SetValue::RandomIter(std::mt19937_64& rng) const {
  const size_t buckets = strs_->bucket_count();
  size_t b = rng() % buckets;
  // Draw buckets until a filled one (Remove keeps the load above 1/8); give up after a few
  // draws and walk to the next filled bucket so the loop is bounded.
  for (int tries = 0; strs_->bucket_size(b) == 0; ++tries) {
    b = tries < 32 ? rng() % buckets : (b + 1) % buckets;
  }
  size_t k = rng() % strs_->bucket_size(b);
  auto lit = strs_->cbegin(b);
  std::advance(lit, k);
  return strs_->find(*lit);
}

std::string SetValue::Random(std::mt19937_64& rng) const {
  if (is_intset()) return FormatInt64(ints_.At(rng() % ints_.size()));
  return *RandomIter(rng);
}

std::string SetValue::PopRandom(std::mt19937_64& rng) {
  if (is_intset()) {
    const size_t i = rng() % ints_.size();
    const int64_t v = ints_.At(i);
    ints_.EraseAt(i);
    return FormatInt64(v);
  }
  auto it = RandomIter(rng);
  std::string m = *it;
  Remove(m);
  return m;
}

void SetValue::ConvertToHashtable() {
  if (!is_intset()) return;
  strs_ = std::make_unique<StrSet>();
  strs_->reserve(ints_.size());
  for (size_t i = 0; i < ints_.size(); ++i) strs_->insert(FormatInt64(ints_.At(i)));
  ints_.Clear();
}

}  // namespace store
