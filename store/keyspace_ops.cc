#include "store/keyspace_ops.h"

#include "store/db.h"

namespace store {
namespace {

// The first entry inside the range's lower end, or nullptr.
Entry* Seek(const Db& db, const KeyBound& min) {
  switch (min.kind) {
    case KeyBound::Kind::kMin:
      return db.First();
    case KeyBound::Kind::kMax:
      return nullptr;
    case KeyBound::Kind::kInclusive:
      return db.LowerBound(min.key);
    case KeyBound::Kind::kExclusive:
      return db.LowerBound(min.key, /*exclusive=*/true);
  }
  return nullptr;
}

// Whether `key` is at or below the range's upper end.
bool BelowMax(std::string_view key, const KeyBound& max) {
  switch (max.kind) {
    case KeyBound::Kind::kMin:
      return false;
    case KeyBound::Kind::kMax:
      return true;
    case KeyBound::Kind::kInclusive:
      return key <= max.key;
    case KeyBound::Kind::kExclusive:
      return key < max.key;
  }
  return false;
}

}  // namespace

bool ParseKeyBound(std::string_view s, KeyBound* out) {
  if (s == "-") {
    out->kind = KeyBound::Kind::kMin;
  } else if (s == "+") {
    out->kind = KeyBound::Kind::kMax;
  } else if (!s.empty() && (s[0] == '[' || s[0] == '(')) {
    out->kind = s[0] == '[' ? KeyBound::Kind::kInclusive : KeyBound::Kind::kExclusive;
    out->key.assign(s.substr(1));
  } else {
    return false;
  }
  return true;
}

std::vector<std::string_view> RangeKeys(const Db& db, const KeyBound& min, const KeyBound& max,
                                        int64_t offset, int64_t count) {
  std::vector<std::string_view> keys;
  for (Entry* e = db.SkipExpired(Seek(db, min)); e != nullptr && count != 0;
       e = db.SkipExpired(e->next(0))) {
    if (!BelowMax(e->key(), max)) break;
    if (offset > 0) {
      --offset;
      continue;
    }
    keys.push_back(e->key());
    if (count > 0) --count;
  }
  return keys;
}

std::vector<std::string> DeleteRange(Db& db, const KeyBound& min, const KeyBound& max) {
  // Collect first: erasing frees the nodes the walk would follow.
  std::vector<std::string> keys;
  for (Entry* e = Seek(db, min); e != nullptr && BelowMax(e->key(), max); e = e->next(0)) {
    keys.emplace_back(e->key());
  }
  // Erase applies lazy expiry first, so an expired key is reported as expired and not counted.
  std::vector<std::string> deleted;
  for (std::string& k : keys) {
    if (db.Erase(k)) deleted.push_back(std::move(k));
  }
  return deleted;
}

}  // namespace store
