#include "store/hash_ops.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <random>
#include <unordered_set>

#include "store/string_ops.h"
#include "store/value.h"

namespace store {
namespace {

// The writable hash in e, creating (and inserting) an empty one iff e is null. The caller must
// add at least one field before returning to the loop, as an empty hash must never be seen.
Result<HashValue*> HashForWrite(Db& db, std::string_view key, Entry* e) {
  if (e == nullptr) {
    e = db.Insert(key, Value::Of(std::make_unique<HashValue>()));
    return static_cast<HashValue*>(e->value().collection());
  }
  if (e->value().type() != ObjType::kHash) return Status::kWrongType;
  return static_cast<HashValue*>(e->value().collection());
}

}  // namespace

Result<const HashValue*> ReadHash(const Entry* e) {
  if (e == nullptr) return static_cast<const HashValue*>(nullptr);
  if (e->value().type() != ObjType::kHash) return Status::kWrongType;
  return static_cast<const HashValue*>(e->value().collection());
}

Result<int64_t> HashSet(Db& db, std::string_view key, Entry* e,
                        std::span<const std::string_view> args, const HashLimits& limits) {
  const bool existed = e != nullptr;
  Result<HashValue*> h = HashForWrite(db, key, e);
  if (!h.ok()) return h.status();
  // As Redis's hashTypeTryConversion: one long argument converts before anything is inserted.
  for (std::string_view a : args) {
    if (static_cast<int64_t>(a.size()) > limits.max_listpack_value) {
      h.value()->ConvertToHashtable();
      break;
    }
  }
  int64_t added = 0;
  for (size_t i = 0; i + 1 < args.size(); i += 2) {
    if (h.value()->Set(args[i], args[i + 1], limits)) ++added;
  }
  if (existed) db.Touched(key);
  return added;
}

Result<bool> HashSetNx(Db& db, std::string_view key, Entry* e, std::string_view field,
                       std::string_view value, const HashLimits& limits) {
  Result<const HashValue*> r = ReadHash(e);
  if (!r.ok()) return r.status();
  if (r.value() != nullptr && r.value()->Get(field)) return false;
  const std::string_view args[] = {field, value};
  Result<int64_t> set = HashSet(db, key, e, args, limits);
  if (!set.ok()) return set.status();
  return true;
}

Result<int64_t> HashDel(Db& db, std::string_view key, Entry* e,
                        std::span<const std::string_view> fields) {
  if (e == nullptr) return int64_t{0};
  if (e->value().type() != ObjType::kHash) return Status::kWrongType;
  auto* h = static_cast<HashValue*>(e->value().collection());
  int64_t removed = 0;
  for (std::string_view f : fields) {
    if (h->Erase(f)) ++removed;
    if (h->size() == 0) break;
  }
  if (h->size() == 0) {
    db.Erase(key);
  } else if (removed > 0) {
    db.Touched(key);
  }
  return removed;
}

Result<int64_t> HashIncrBy(Db& db, std::string_view key, Entry* e, std::string_view field,
                           int64_t delta, const HashLimits& limits) {
  Result<const HashValue*> r = ReadHash(e);
  if (!r.ok()) return r.status();
  int64_t current = 0;
  if (r.value() != nullptr) {
    const std::optional<std::string_view> old = r.value()->Get(field);
    if (old && !ParseInt64(*old, &current)) return Status::kNotInteger;
  }
  int64_t sum;
  if (__builtin_add_overflow(current, delta, &sum)) return Status::kOverflow;
  const std::string text = FormatInt64(sum);
  const std::string_view args[] = {field, text};
  Result<int64_t> set = HashSet(db, key, e, args, limits);
  if (!set.ok()) return set.status();
  return sum;
}

Result<std::string> HashIncrByFloat(Db& db, std::string_view key, Entry* e, std::string_view field,
                                    long double delta, const HashLimits& limits) {
  Result<const HashValue*> r = ReadHash(e);
  if (!r.ok()) return r.status();
  long double current = 0;
  if (r.value() != nullptr) {
    const std::optional<std::string_view> old = r.value()->Get(field);
    if (old && !ParseLongDouble(*old, &current)) return Status::kNotFloat;
  }
  const long double sum = current + delta;
  if (std::isnan(sum) || std::isinf(sum)) return Status::kNanOrInf;
  std::string text = FormatLongDouble(sum);
  const std::string_view args[] = {field, text};
  Result<int64_t> set = HashSet(db, key, e, args, limits);
  if (!set.ok()) return set.status();
  return text;
}

std::vector<std::pair<std::string_view, std::string_view>> HashRandomEntries(const HashValue& h,
                                                                             int64_t count,
                                                                             uint64_t seed) {
  using Pair = std::pair<std::string_view, std::string_view>;
  std::mt19937_64 rng(seed);
  auto next = [](void* r) -> uint64_t { return (*static_cast<std::mt19937_64*>(r))(); };
  const uint64_t n = h.size();
  std::vector<Pair> out;
  if (n == 0 || count == 0) return out;
  if (count < 0) {
    // -count independent draws (count is never INT64_MIN: the handler's range check).
    const uint64_t want = static_cast<uint64_t>(-count);
    out.reserve(static_cast<size_t>(std::min<uint64_t>(want, 1u << 20)));
    if (h.is_listpack()) {
      // A packed entry is found by walking from the front, so index a snapshot instead; the draws
      // are the ones RandomEntry would make.
      std::vector<Pair> all;
      all.reserve(n);
      h.ForEach([&](std::string_view f, std::string_view v) { all.emplace_back(f, v); });
      for (uint64_t i = 0; i < want; ++i) out.push_back(all[next(&rng) % n]);
      return out;
    }
    for (uint64_t i = 0; i < want; ++i) out.push_back(h.RandomEntry(next, &rng));
    return out;
  }
  const auto want = static_cast<uint64_t>(count);
  if (want <= n / 3) {
    // Few picks from a big hash: draw until `want` distinct fields, without copying the hash.
    std::unordered_set<std::string_view> picked;
    while (picked.size() < want) {
      Pair p = h.RandomEntry(next, &rng);
      if (picked.insert(p.first).second) out.push_back(p);
    }
    return out;
  }
  out.reserve(n);
  h.ForEach([&](std::string_view f, std::string_view v) { out.emplace_back(f, v); });
  if (want >= n) return out;
  // A partial Fisher-Yates shuffle: the first `want` slots end up a uniform random sample.
  for (uint64_t i = 0; i < want; ++i) {
    const uint64_t j = i + rng() % (n - i);
    std::swap(out[i], out[j]);
  }
  out.resize(static_cast<size_t>(want));
  return out;
}

}  // namespace store
