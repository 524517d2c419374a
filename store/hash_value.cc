#include "store/hash_value.h"

#include <iterator>

namespace store {

std::unique_ptr<Collection> HashValue::Clone() const {
  auto copy = std::make_unique<HashValue>();
  copy->listpack_ = listpack_;
  copy->small_ = small_;
  copy->big_ = big_;
  return copy;
}

const std::string* HashValue::Get(std::string_view field) const {
  if (listpack_) {
    for (const auto& [f, v] : small_) {
      if (f == field) return &v;
    }
    return nullptr;
  }
  auto it = big_.find(field);
  return it == big_.end() ? nullptr : &it->second;
}

bool HashValue::Set(std::string_view field, std::string_view value, const HashLimits& limits) {
  const auto max_len =
      static_cast<uint64_t>(limits.max_listpack_value < 0 ? 0 : limits.max_listpack_value);
  if (listpack_ && (field.size() > max_len || value.size() > max_len)) ConvertToHashtable();
  if (!listpack_) {
    auto it = big_.find(field);
    if (it != big_.end()) {
      it->second.assign(value);
      return false;
    }
    big_.emplace(std::string(field), std::string(value));
    return true;
  }
  for (auto& [f, v] : small_) {
    if (f == field) {
      v.assign(value);
      return false;
    }
  }
  small_.emplace_back(std::string(field), std::string(value));
  if (static_cast<int64_t>(small_.size()) > limits.max_listpack_entries) ConvertToHashtable();
  return true;
}

bool HashValue::Erase(std::string_view field) {
  if (!listpack_) {
    auto it = big_.find(field);
    if (it == big_.end()) return false;
    big_.erase(it);
    return true;
  }
  for (auto it = small_.begin(); it != small_.end(); ++it) {
    if (it->first == field) {
      small_.erase(it);
      return true;
    }
  }
  return false;
}

std::pair<std::string_view, std::string_view> HashValue::At(size_t i) const {
  if (listpack_) return {small_[i].first, small_[i].second};
  auto it = std::next(big_.begin(), static_cast<std::ptrdiff_t>(i));
  return {it->first, it->second};
}

std::pair<std::string_view, std::string_view> HashValue::RandomEntry(uint64_t (*next)(void*),
                                                                     void* rng) const {
  if (listpack_) return At(next(rng) % small_.size());
  // Deletions never shrink the bucket array, so a sparse table could make bucket probing slow:
  // after a bounded number of misses fall back to a linear walk.
  constexpr int kMaxProbes = 64;
  const size_t buckets = big_.bucket_count();
  for (int i = 0; i < kMaxProbes; ++i) {
    const size_t b = next(rng) % buckets;
    const size_t n = big_.bucket_size(b);
    if (n == 0) continue;
    auto it = big_.begin(b);
    for (size_t skip = next(rng) % n; skip > 0; --skip) ++it;
    return {it->first, it->second};
  }
  return At(next(rng) % big_.size());
}

void HashValue::ConvertToHashtable() {
  if (!listpack_) return;
  big_.reserve(small_.size());
  for (auto& [f, v] : small_) big_.emplace(std::move(f), std::move(v));
  // Swap with an empty vector: shrink_to_fit does nothing under -fno-exceptions (libstdc++).
  decltype(small_)().swap(small_);
  listpack_ = false;
}

}  // namespace store
