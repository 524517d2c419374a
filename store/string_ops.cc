#include "store/string_ops.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace store {
namespace {

// Redis parses and prints long doubles through buffers of this size; longer input is not a
// number, and every finite long double prints in fewer characters.
constexpr size_t kMaxLongDoubleChars = 5 * 1024;

// Puts v into the slot of a live entry, or inserts the key. The TTL survives iff keep_ttl.
// Notifies the listener either way.
// expire_slot: a new key is made with room for the TTL about to be set.
Entry* Store(Db& db, std::string_view key, Entry* e, Value v, bool keep_ttl,
             bool expire_slot = false) {
  if (e == nullptr) return db.Insert(key, std::move(v), expire_slot);
  e->value() = std::move(v);
  if (!keep_ttl && e->has_expire()) {
    e = db.SetExpire(e, 0);  // notifies
  } else {
    db.Touched(key);
  }
  return e;
}

// The integer in a string value, as Redis's getLongLongFromObject sees it.
bool ValueAsInt64(const Value& v, int64_t* out) {
  if (v.is_int()) {
    *out = v.int_value();
    return true;
  }
  std::string scratch;
  return ParseInt64(v.Str(&scratch), out);
}

}  // namespace

Result<std::string_view> StringBytes(const Value& v, std::string* scratch) {
  if (!v.is_string()) return Status::kWrongType;
  return v.Str(scratch);
}

bool SetString(Db& db, std::string_view key, Entry* e, std::string_view value,
               const SetParams& params) {
  if ((params.condition == SetCondition::kIfAbsent && e != nullptr) ||
      (params.condition == SetCondition::kIfExists && e == nullptr)) {
    return false;
  }
  e = Store(db, key, e, Value::String(value), params.keep_ttl, params.expire_at_ms != 0);
  if (params.expire_at_ms != 0) e = db.SetExpire(e, params.expire_at_ms);
  return true;
}

Result<std::string> GetDel(Db& db, std::string_view key, Entry* e) {
  if (e == nullptr) return Status::kNotFound;
  std::string scratch;
  Result<std::string_view> bytes = StringBytes(e->value(), &scratch);
  if (!bytes.ok()) return bytes.status();
  std::string old(bytes.value());
  db.Erase(key);
  return old;
}

Result<std::string> GetEx(Db& db, std::string_view key, Entry* e, ExpiryChange change,
                          int64_t at_ms) {
  if (e == nullptr) return Status::kNotFound;
  std::string scratch;
  Result<std::string_view> bytes = StringBytes(e->value(), &scratch);
  if (!bytes.ok()) return bytes.status();
  std::string value(bytes.value());
  switch (change) {
    case ExpiryChange::kKeep:
      break;
    case ExpiryChange::kPersist:
      // Only a key that had a TTL changes (and so only then does WATCH fire).
      if (e->has_expire()) e = db.SetExpire(e, 0);
      break;
    case ExpiryChange::kSetAt:
      if (at_ms <= db.clock().now_ms) {
        db.Erase(key);
      } else {
        e = db.SetExpire(e, at_ms);
      }
      break;
  }
  return value;
}

Result<int64_t> IncrBy(Db& db, std::string_view key, Entry* e, int64_t delta) {
  int64_t current = 0;
  if (e != nullptr) {
    if (!e->value().is_string()) return Status::kWrongType;
    if (!ValueAsInt64(e->value(), &current)) return Status::kNotInteger;
  }
  int64_t result;
  if (__builtin_add_overflow(current, delta, &result)) return Status::kOverflow;
  Store(db, key, e, Value::Int(result), /*keep_ttl=*/true);
  return result;
}

bool ParseLongDouble(std::string_view s, long double* out) {
  if (s.empty() || s.size() >= kMaxLongDoubleChars) return false;
  if (std::isspace(static_cast<unsigned char>(s[0]))) return false;
  std::string buf(s);
  char* end = nullptr;
  errno = 0;
  long double v = std::strtold(buf.c_str(), &end);
  if (end != buf.c_str() + buf.size() || std::isnan(v)) return false;
  if (errno == ERANGE && (std::isinf(v) || v == 0)) return false;
  *out = v;
  return true;
}

std::string FormatLongDouble(long double v) {
  char buf[kMaxLongDoubleChars];
  int n = std::snprintf(buf, sizeof(buf), "%.17Lf", v);
  if (n <= 0 || static_cast<size_t>(n) >= sizeof(buf)) return std::string();
  std::string s(buf, static_cast<size_t>(n));
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

Result<std::string> IncrByFloat(Db& db, std::string_view key, Entry* e, long double delta) {
  long double current = 0;
  if (e != nullptr) {
    const Value& v = e->value();
    if (!v.is_string()) return Status::kWrongType;
    if (v.is_int()) {
      current = static_cast<long double>(v.int_value());
    } else {
      std::string scratch;
      if (!ParseLongDouble(v.Str(&scratch), &current)) return Status::kNotFloat;
    }
  }
  long double sum = current + delta;
  if (std::isnan(sum) || std::isinf(sum)) return Status::kNanOrInf;
  std::string text = FormatLongDouble(sum);
  Store(db, key, e, Value::Bytes(text), /*keep_ttl=*/true);
  return text;
}

Result<int64_t> Append(Db& db, std::string_view key, Entry* e, std::string_view tail,
                       int64_t max_len) {
  if (e == nullptr) {
    Entry* created = db.Insert(key, Value::String(tail));
    return static_cast<int64_t>(created->value().StrLen());
  }
  if (!e->value().is_string()) return Status::kWrongType;
  const size_t old_len = e->value().StrLen();
  if (static_cast<int64_t>(old_len) + static_cast<int64_t>(tail.size()) > max_len) {
    return Status::kTooBig;
  }
  std::string* s = e->value().MutableStr();
  s->append(tail);
  db.Touched(key);
  return static_cast<int64_t>(s->size());
}

Result<int64_t> SetRange(Db& db, std::string_view key, Entry* e, int64_t offset,
                         std::string_view data, int64_t max_len) {
  if (e != nullptr && !e->value().is_string()) return Status::kWrongType;
  if (data.empty()) return e == nullptr ? 0 : static_cast<int64_t>(e->value().StrLen());
  if (offset > max_len - static_cast<int64_t>(data.size())) return Status::kTooBig;
  if (e == nullptr) e = db.Insert(key, Value::RawString(std::string()));
  std::string* s = e->value().MutableStr();
  const size_t end = static_cast<size_t>(offset) + data.size();
  if (s->size() < end) s->resize(end, '\0');
  s->replace(static_cast<size_t>(offset), data.size(), data);
  db.Touched(key);
  return static_cast<int64_t>(s->size());
}

std::string_view GetRange(std::string_view s, int64_t start, int64_t end) {
  const int64_t len = static_cast<int64_t>(s.size());
  if (start < 0 && end < 0 && start > end) return {};
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len == 0) return {};
  return s.substr(static_cast<size_t>(start), static_cast<size_t>(end - start + 1));
}

Result<LcsResult> Lcs(std::string_view a, std::string_view b, bool want_text, bool want_matches,
                      int64_t min_match_len, int64_t max_table_bytes) {
  const size_t alen = a.size();
  const size_t blen = b.size();
  const size_t cols = blen + 1;
  LcsResult r;
  if (!want_text && !want_matches) {
    // Only the length: two rows of the table are enough.
    std::vector<uint32_t> prev(cols, 0), cur(cols, 0);
    for (size_t i = 1; i <= alen; ++i) {
      for (size_t j = 1; j <= blen; ++j) {
        cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 : std::max(prev[j], cur[j - 1]);
      }
      std::swap(prev, cur);
    }
    r.len = prev[blen];
    return r;
  }
  // (alen + 1) * cols cells of 4 bytes must fit in max_table_bytes and in size_t; the check
  // divides instead of multiplying, so it cannot overflow (32-bit size_t included).
  const uint64_t max_cells =
      std::min<uint64_t>(max_table_bytes < 0 ? 0 : static_cast<uint64_t>(max_table_bytes),
                         SIZE_MAX) /
      sizeof(uint32_t);
  if (alen + 1 > max_cells / cols) return Status::kTooBig;
  const size_t cells = (alen + 1) * cols;
  // table[i * cols + j] is the LCS length of a[0..i) and b[0..j).
  std::vector<uint32_t> table(cells, 0);
  auto at = [&](size_t i, size_t j) -> uint32_t& { return table[i * cols + j]; };
  for (size_t i = 1; i <= alen; ++i) {
    for (size_t j = 1; j <= blen; ++j) {
      at(i, j) = a[i - 1] == b[j - 1] ? at(i - 1, j - 1) + 1 : std::max(at(i - 1, j), at(i, j - 1));
    }
  }
  r.len = at(alen, blen);
  if (want_text) r.text.assign(static_cast<size_t>(r.len), '\0');

  // Walk back from the end. Consecutive diagonal steps form one run; a run is reported when a
  // non-diagonal step ends it or when it reaches the start of either string. On a tie Redis
  // steps back in b, which decides which of several equal-length answers comes out.
  size_t i = alen, j = blen, idx = static_cast<size_t>(r.len);
  bool in_run = false;
  size_t a_start = 0, a_end = 0, b_start = 0, b_end = 0;
  auto emit = [&]() {
    const int64_t run = static_cast<int64_t>(a_end - a_start + 1);
    if (want_matches && (min_match_len == 0 || run >= min_match_len)) {
      r.matches.push_back({static_cast<int64_t>(a_start), static_cast<int64_t>(a_end),
                           static_cast<int64_t>(b_start), static_cast<int64_t>(b_end), run});
    }
    in_run = false;
  };
  while (i > 0 && j > 0) {
    if (a[i - 1] == b[j - 1]) {
      if (want_text) r.text[idx - 1] = a[i - 1];
      if (!in_run) {
        in_run = true;
        a_start = a_end = i - 1;
        b_start = b_end = j - 1;
      } else {
        a_start = i - 1;
        b_start = j - 1;
      }
      --idx;
      --i;
      --j;
      if (a_start == 0 || b_start == 0) emit();
    } else {
      if (at(i - 1, j) > at(i, j - 1)) {
        --i;
      } else {
        --j;
      }
      if (in_run) emit();
    }
  }
  return r;
}

}  // namespace store
