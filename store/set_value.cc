#include "store/set_value.h"

#include <algorithm>

namespace store {

SetValue::~SetValue() = default;

std::unique_ptr<Collection> SetValue::Clone() const {
  auto c = std::make_unique<SetValue>();
  c->ints_ = ints_;
  if (table_ != nullptr) c->table_ = std::make_unique<PairTable>(*table_);
  return c;
}

bool SetValue::Contains(std::string_view m) const {
  if (!is_intset()) return table_->Find(m) != nullptr;
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
  return table_->Set(m, {});
}

bool SetValue::Remove(std::string_view m) {
  if (is_intset()) {
    int64_t v;
    if (!ParseInt64(m, &v)) return false;
    return ints_.Remove(v);
  }
  // The table shrinks below 1/8 load, so RandomMember finds a member in a few draws.
  return table_->Erase(m);
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
    table_->ForEach([&fn](std::string_view m, std::string_view) { fn(m); });
  }
}

uint64_t SetValue::ScanStep(uint64_t cursor, size_t slots,
                            const std::function<void(std::string_view)>& fn) const {
  if (is_intset()) {
    ForEach(fn);
    return 0;
  }
  return table_->ScanStep(cursor, slots, [&fn](std::string_view m, std::string_view) { fn(m); });
}

std::string_view SetValue::RandomMember(std::mt19937_64& rng) const {
  auto next = [](void* r) { return (*static_cast<std::mt19937_64*>(r))(); };
  return PairTable::Read(table_->Random(next, &rng)).first;
}

std::string SetValue::Random(std::mt19937_64& rng) const {
  if (is_intset()) return FormatInt64(ints_.At(rng() % ints_.size()));
  return std::string(RandomMember(rng));
}

std::string SetValue::PopRandom(std::mt19937_64& rng) {
  if (is_intset()) {
    const size_t i = rng() % ints_.size();
    const int64_t v = ints_.At(i);
    ints_.EraseAt(i);
    return FormatInt64(v);
  }
  std::string m(RandomMember(rng));
  table_->Erase(m);
  return m;
}

void SetValue::ConvertToHashtable() {
  if (!is_intset()) return;
  table_ = std::make_unique<PairTable>();
  table_->Reserve(ints_.size());
  for (size_t i = 0; i < ints_.size(); ++i) table_->Set(FormatInt64(ints_.At(i)), {});
  ints_.Clear();
}

}  // namespace store
