#include "store/hash_value.h"

#include <cstring>
#include <iterator>

namespace store {

HashValue::BigEntry::BigEntry(std::string_view field, std::string_view value)
    : bytes(std::make_unique_for_overwrite<char[]>(
          PackedPairs::PairBytes(field.size(), value.size()))) {
  PackedPairs::WritePair(bytes.get(), field, value);
}

HashValue::BigEntry::BigEntry(const BigEntry& other) {
  const auto [f, v] = other.pair();
  *this = BigEntry(f, v);
}

void HashValue::BigEntry::SetValue(std::string_view value) const {
  const auto [f, old] = pair();
  if (old.size() == value.size()) {
    // memmove: value may be these very bytes.
    if (!value.empty()) std::memmove(const_cast<char*>(old.data()), value.data(), value.size());
    return;
  }
  // The old bytes stay alive until the new pair is written, so value may point into them.
  auto fresh =
      std::make_unique_for_overwrite<char[]>(PackedPairs::PairBytes(f.size(), value.size()));
  PackedPairs::WritePair(fresh.get(), f, value);
  bytes = std::move(fresh);
}

std::unique_ptr<Collection> HashValue::Clone() const {
  auto copy = std::make_unique<HashValue>();
  if (is_listpack()) {
    copy->rep_ = small();
  } else {
    copy->rep_ = std::make_unique<Map>(big());
  }
  return copy;
}

std::optional<std::string_view> HashValue::Get(std::string_view field) const {
  if (is_listpack()) return small().Get(field);
  const Map& m = big();
  auto it = m.find(field);
  if (it == m.end()) return std::nullopt;
  return it->pair().second;
}

bool HashValue::Set(std::string_view field, std::string_view value, const HashLimits& limits) {
  const auto max_len =
      static_cast<uint64_t>(limits.max_listpack_value < 0 ? 0 : limits.max_listpack_value);
  if (is_listpack() && (field.size() > max_len || value.size() > max_len ||
                        !small().Fits(field.size(), value.size()))) {
    ConvertToHashtable();
  }
  if (!is_listpack()) {
    Map& m = big();
    auto it = m.find(field);
    if (it != m.end()) {
      it->SetValue(value);
      return false;
    }
    m.emplace(field, value);
    return true;
  }
  if (!small().Set(field, value)) return false;
  if (static_cast<int64_t>(small().size()) > limits.max_listpack_entries) ConvertToHashtable();
  return true;
}

bool HashValue::Erase(std::string_view field) {
  if (is_listpack()) return small().Erase(field);
  Map& m = big();
  auto it = m.find(field);
  if (it == m.end()) return false;
  m.erase(it);
  return true;
}

std::pair<std::string_view, std::string_view> HashValue::At(size_t i) const {
  if (is_listpack()) return small().At(i);
  return std::next(big().begin(), static_cast<std::ptrdiff_t>(i))->pair();
}

std::pair<std::string_view, std::string_view> HashValue::RandomEntry(uint64_t (*next)(void*),
                                                                     void* rng) const {
  if (is_listpack()) return small().At(next(rng) % small().size());
  // Deletions never shrink the bucket array, so a sparse table could make bucket probing slow:
  // after a bounded number of misses fall back to a linear walk.
  constexpr int kMaxProbes = 64;
  const Map& m = big();
  const size_t buckets = m.bucket_count();
  for (int i = 0; i < kMaxProbes; ++i) {
    const size_t b = next(rng) % buckets;
    const size_t n = m.bucket_size(b);
    if (n == 0) continue;
    auto it = m.begin(b);
    for (size_t skip = next(rng) % n; skip > 0; --skip) ++it;
    return it->pair();
  }
  return At(next(rng) % m.size());
}

void HashValue::ConvertToHashtable() {
  if (!is_listpack()) return;
  auto m = std::make_unique<Map>();
  m->reserve(small().size());
  small().ForEach(
      [&](std::string_view f, std::string_view v) { m->emplace(std::string(f), std::string(v)); });
  // Assigning the map destroys the packed pairs, which frees their buffer.
  rep_ = std::move(m);
}

}  // namespace store
