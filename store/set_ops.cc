#include "store/set_ops.h"

#include <algorithm>
#include <unordered_set>

namespace store {
namespace {

SetValue* MutableSet(Entry* e) { return static_cast<SetValue*>(e->value().collection()); }

}  // namespace

Result<const SetValue*> SetOf(const Entry* e) {
  if (e == nullptr) return static_cast<const SetValue*>(nullptr);
  if (e->value().type() != ObjType::kSet) return Status::kWrongType;
  return static_cast<const SetValue*>(e->value().collection());
}

Result<int64_t> SetAdd(Db& db, std::string_view key, Entry* e,
                       std::span<const std::string_view> members, size_t max_intset) {
  Result<const SetValue*> cur = SetOf(e);
  if (!cur.ok()) return cur.status();
  int64_t added = 0;
  if (e == nullptr) {
    auto set = std::make_unique<SetValue>();
    for (std::string_view m : members) added += set->Add(m, max_intset) ? 1 : 0;
    db.Insert(key, Value::Of(std::move(set)));
    return added;
  }
  SetValue* set = MutableSet(e);
  for (std::string_view m : members) added += set->Add(m, max_intset) ? 1 : 0;
  if (added > 0) db.Touched(key);
  return added;
}

Result<int64_t> SetRemove(Db& db, std::string_view key, Entry* e,
                          std::span<const std::string_view> members) {
  Result<const SetValue*> cur = SetOf(e);
  if (!cur.ok()) return cur.status();
  if (e == nullptr) return int64_t{0};
  SetValue* set = MutableSet(e);
  int64_t removed = 0;
  for (std::string_view m : members) {
    removed += set->Remove(m) ? 1 : 0;
    if (set->size() == 0) break;
  }
  if (set->size() == 0) {
    db.Erase(key);
  } else if (removed > 0) {
    db.Touched(key);
  }
  return removed;
}

Result<bool> SetMove(Db& db, std::string_view src, Entry* se, std::string_view dst, Entry* de,
                     std::string_view member, size_t max_intset) {
  if (se == nullptr) return false;
  Result<const SetValue*> s = SetOf(se);
  if (!s.ok()) return s.status();
  Result<const SetValue*> d = SetOf(de);
  if (!d.ok()) return d.status();
  if (se == de) return s.value()->Contains(member);
  SetValue* from = MutableSet(se);
  if (!from->Remove(member)) return false;
  if (from->size() == 0) {
    db.Erase(src);
  } else {
    db.Touched(src);
  }
  std::string_view one[] = {member};
  // The destination entry survives the erase of another key, so de is still valid here.
  Result<int64_t> added = SetAdd(db, dst, de, one, max_intset);
  if (!added.ok()) return added.status();
  return true;
}

Result<std::vector<std::string>> SetPop(Db& db, std::string_view key, Entry* e, uint64_t count,
                                        std::mt19937_64& rng) {
  Result<const SetValue*> cur = SetOf(e);
  if (!cur.ok()) return cur.status();
  std::vector<std::string> out;
  if (e == nullptr || count == 0) return out;
  SetValue* set = MutableSet(e);
  if (count >= set->size()) {
    out = set->Members();
    db.Erase(key);
    return out;
  }
  out.reserve(count);
  for (uint64_t i = 0; i < count; ++i) out.push_back(set->PopRandom(rng));
  db.Touched(key);
  return out;
}

Result<std::vector<std::string>> SetRandomMembers(const Entry* e, int64_t count,
                                                  std::mt19937_64& rng) {
  Result<const SetValue*> cur = SetOf(e);
  if (!cur.ok()) return cur.status();
  std::vector<std::string> out;
  const SetValue* set = cur.value();
  if (set == nullptr || count == 0) return out;
  const size_t size = set->size();
  if (count < 0) {
    const uint64_t n = static_cast<uint64_t>(-count);
    out.reserve(std::min<uint64_t>(n, 1 << 20));
    for (uint64_t i = 0; i < n; ++i) out.push_back(set->Random(rng));
    return out;
  }
  if (static_cast<uint64_t>(count) >= size) return set->Members();
  // Few members wanted: draw until distinct. Many wanted: shuffle all and keep a prefix, which
  // avoids the long tail of rejected draws.
  if (static_cast<uint64_t>(count) * 3 < size) {
    std::unordered_set<std::string> seen;
    while (seen.size() < static_cast<size_t>(count)) {
      std::string m = set->Random(rng);
      if (seen.insert(m).second) out.push_back(std::move(m));
    }
    return out;
  }
  out = set->Members();
  std::shuffle(out.begin(), out.end(), rng);
  out.resize(static_cast<size_t>(count));
  return out;
}

namespace {

// The sets behind entries (null for absent keys), or kWrongType if any is not a set.
Result<std::vector<const SetValue*>> SetsOf(std::span<const Entry* const> entries) {
  std::vector<const SetValue*> sets;
  sets.reserve(entries.size());
  for (const Entry* e : entries) {
    Result<const SetValue*> s = SetOf(e);
    if (!s.ok()) return s.status();
    sets.push_back(s.value());
  }
  return sets;
}

}  // namespace

Result<std::unique_ptr<SetValue>> SetCombine(std::span<const Entry* const> entries, SetAlgebra op,
                                             size_t max_intset) {
  Result<std::vector<const SetValue*>> r = SetsOf(entries);
  if (!r.ok()) return r.status();
  std::vector<const SetValue*>& sets = r.value();
  auto out = std::make_unique<SetValue>();
  switch (op) {
    case SetAlgebra::kUnion:
      for (const SetValue* s : sets) {
        if (s != nullptr) s->ForEach([&](std::string_view m) { out->Add(m, max_intset); });
      }
      break;
    case SetAlgebra::kInter: {
      if (std::find(sets.begin(), sets.end(), nullptr) != sets.end()) break;
      // Walk the smallest set and probe the others.
      std::sort(sets.begin(), sets.end(),
                [](const SetValue* a, const SetValue* b) { return a->size() < b->size(); });
      sets[0]->ForEach([&](std::string_view m) {
        for (size_t i = 1; i < sets.size(); ++i) {
          if (!sets[i]->Contains(m)) return;
        }
        out->Add(m, max_intset);
      });
      break;
    }
    case SetAlgebra::kDiff:
      if (sets[0] == nullptr) break;
      sets[0]->ForEach([&](std::string_view m) {
        for (size_t i = 1; i < sets.size(); ++i) {
          if (sets[i] != nullptr && sets[i]->Contains(m)) return;
        }
        out->Add(m, max_intset);
      });
      break;
  }
  return out;
}

int64_t SetStore(Db& db, std::string_view dst, std::unique_ptr<SetValue> result) {
  const int64_t n = static_cast<int64_t>(result->size());
  if (n == 0) {
    db.Erase(dst);
  } else {
    db.Set(dst, Value::Of(std::move(result)));
  }
  return n;
}

Result<int64_t> SetInterCard(std::span<const Entry* const> entries, uint64_t limit) {
  Result<std::vector<const SetValue*>> r = SetsOf(entries);
  if (!r.ok()) return r.status();
  std::vector<const SetValue*>& sets = r.value();
  if (std::find(sets.begin(), sets.end(), nullptr) != sets.end()) return int64_t{0};
  std::sort(sets.begin(), sets.end(),
            [](const SetValue* a, const SetValue* b) { return a->size() < b->size(); });
  uint64_t n = 0;
  // ForEach cannot stop early; the limit only caps the count (the walk is O(smallest) anyway).
  sets[0]->ForEach([&](std::string_view m) {
    if (limit > 0 && n >= limit) return;
    for (size_t i = 1; i < sets.size(); ++i) {
      if (!sets[i]->Contains(m)) return;
    }
    ++n;
  });
  return static_cast<int64_t>(n);
}

}  // namespace store
