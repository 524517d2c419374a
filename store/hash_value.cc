#include "store/hash_value.h"

#include <cstring>
#include <iterator>

namespace store {

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
  const char* pair = big().Find(field);
  if (pair == nullptr) return std::nullopt;
  return PairTable::Read(pair).second;
}

bool HashValue::Set(std::string_view field, std::string_view value, const HashLimits& limits) {
  const auto max_len =
      static_cast<uint64_t>(limits.max_listpack_value < 0 ? 0 : limits.max_listpack_value);
  if (is_listpack() && (field.size() > max_len || value.size() > max_len ||
                        !small().Fits(field.size(), value.size()))) {
    ConvertToHashtable();
  }
  if (!is_listpack()) return big().Set(field, value);
  if (!small().Set(field, value)) return false;
  if (static_cast<int64_t>(small().size()) > limits.max_listpack_entries) ConvertToHashtable();
  return true;
}

bool HashValue::Erase(std::string_view field) {
  if (is_listpack()) return small().Erase(field);
  return big().Erase(field);
}

std::pair<std::string_view, std::string_view> HashValue::At(size_t i) const {
  if (is_listpack()) return small().At(i);
  return PairTable::Read(big().At(i));
}

std::pair<std::string_view, std::string_view> HashValue::RandomEntry(uint64_t (*next)(void*),
                                                                     void* rng) const {
  if (is_listpack()) return small().At(next(rng) % small().size());
  return PairTable::Read(big().Random(next, rng));
}

void HashValue::ConvertToHashtable() {
  if (!is_listpack()) return;
  auto m = std::make_unique<Map>();
  m->Reserve(small().size());
  small().ForEach([&](std::string_view f, std::string_view v) { m->Set(f, v); });
  // Assigning the map destroys the packed pairs, which frees their buffer.
  rep_ = std::move(m);
}

}  // namespace store
