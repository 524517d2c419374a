#include "store/scan.h"

#include <algorithm>
#include <cctype>

#include "store/db.h"
#include "store/glob.h"

namespace store {
namespace {

constexpr uint64_t kIdMask = (uint64_t{1} << ScanCursorTable::kIdBits) - 1;
constexpr int kLenShift = ScanCursorTable::kIdBits;
constexpr uint64_t kLenMask = 7;
constexpr int kPrefixShift = kLenShift + 3;
constexpr uint64_t kTopBit = uint64_t{1} << 63;

static_assert(kPrefixShift + 8 * ScanCursorTable::kPrefixBytes == 63,
              "the cursor must use exactly bits 0..62");
static_assert((kIdMask + 1) % ScanCursorTable::kTableSlots == 0,
              "ids must map onto ring slots without bias at wraparound");

uint64_t EncodePrefix(std::string_view key) {
  size_t n = std::min(key.size(), ScanCursorTable::kPrefixBytes);
  uint64_t bytes = 0;
  for (size_t i = 0; i < ScanCursorTable::kPrefixBytes; ++i) {
    bytes = (bytes << 8) | (i < n ? static_cast<unsigned char>(key[i]) : 0u);
  }
  return (bytes << kPrefixShift) | (static_cast<uint64_t>(n) << kLenShift);
}

std::string DecodePrefix(uint64_t cursor) {
  // A length field above kPrefixBytes was not issued by us; clamping still yields a position.
  size_t n = std::min<size_t>((cursor >> kLenShift) & kLenMask, ScanCursorTable::kPrefixBytes);
  std::string prefix;
  for (size_t i = 0; i < n; ++i) {
    int shift = kPrefixShift + 8 * static_cast<int>(ScanCursorTable::kPrefixBytes - 1 - i);
    prefix.push_back(static_cast<char>((cursor >> shift) & 0xff));
  }
  return prefix;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

uint64_t ScanCursorTable::Save(std::string_view next_key) {
  if (slots_ == nullptr) slots_ = std::make_unique<Slot[]>(kTableSlots);
  uint32_t id = next_id_;
  next_id_ = static_cast<uint32_t>((next_id_ + 1) & kIdMask);
  if (next_id_ == 0) next_id_ = 1;
  Slot& slot = slots_[id % kTableSlots];
  if (next_key.size() <= kMaxStoredKey) {
    slot.id = id;
    slot.key.assign(next_key);
  } else {
    // Too long to keep: free the slot so an older cursor cannot resolve to it either.
    slot.id = 0;
    std::string().swap(slot.key);  // frees it (shrink_to_fit is a no-op without exceptions)
  }
  return EncodePrefix(next_key) | id;
}

std::string ScanCursorTable::Resolve(uint64_t cursor, bool* exact) const {
  std::string prefix = DecodePrefix(cursor);
  auto id = static_cast<uint32_t>(cursor & kIdMask);
  *exact = false;
  if (slots_ != nullptr && id != 0) {
    const Slot& slot = slots_[id % kTableSlots];
    // The prefix check rejects a slot reused by another scan whose key does not fit this cursor;
    // the length check makes it exact for keys shorter than kPrefixBytes.
    if (slot.id == id && StartsWith(slot.key, prefix) &&
        prefix.size() == std::min(slot.key.size(), kPrefixBytes)) {
      *exact = true;
      return slot.key;
    }
  }
  return prefix;
}

ScanPage Scan(Db& db, uint64_t cursor, const ScanOptions& opts) {
  ScanPage page;
  if ((cursor & kTopBit) != 0) return page;
  std::string seek = opts.has_pattern ? LiteralPrefix(opts.pattern) : std::string();
  const std::string literal = seek;
  if (cursor != 0) {
    bool exact;
    std::string resume = db.scan_cursors().Resolve(cursor, &exact);
    seek = std::max(seek, resume);
  }
  Entry* e = db.LowerBound(seek);
  // Visits e and returns the next entry, or nullptr once past the literal prefix (keys are
  // ordered, so the first key without it ends every match).
  auto visit = [&](Entry* x) -> Entry* {
    std::string_view key = x->key();
    if (!StartsWith(key, literal)) return nullptr;
    bool keep = !db.IsExpired(x) && (!opts.has_pattern || GlobMatch(opts.pattern, key)) &&
                (!opts.has_type || EqualsNoCase(TypeName(x->value().type()), opts.type));
    if (keep) page.keys.emplace_back(key);
    return x->next(0);
  };
  for (size_t examined = 0; e != nullptr && examined < opts.count; ++examined) e = visit(e);
  // A resume key too long for the table would leave the cursor only its prefix, and a scan with
  // a small COUNT over many such keys sharing that prefix would restart forever; extending the
  // page past them keeps every cursor exact while its slot lives.
  while (e != nullptr && e->key().size() > ScanCursorTable::kMaxStoredKey) e = visit(e);
  if (e != nullptr && StartsWith(e->key(), literal)) {
    page.cursor = db.scan_cursors().Save(e->key());
  }
  return page;
}

bool ParseScanCursor(std::string_view s, uint64_t* out) {
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    negative = s[i] == '-';
    ++i;
  }
  if (s.empty()) {
    // strtoul of "" converts nothing and stops at the terminator, which Redis accepts as 0.
    *out = 0;
    return true;
  }
  if (i == s.size()) return false;
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    auto d = static_cast<uint64_t>(s[i] - '0');
    if (v > (UINT64_MAX - d) / 10) return false;  // ERANGE
    v = v * 10 + d;
  }
  *out = negative ? (~v + 1) : v;
  return true;
}

std::vector<std::string_view> MatchingKeys(const Db& db, std::string_view pattern) {
  std::vector<std::string_view> keys;
  std::string literal = LiteralPrefix(pattern);
  bool all = pattern == "*";
  for (Entry* e = db.LowerBound(literal); e != nullptr; e = e->next(0)) {
    std::string_view key = e->key();
    if (!StartsWith(key, literal)) break;
    if (db.IsExpired(e)) continue;
    if (all || GlobMatch(pattern, key)) keys.push_back(key);
  }
  return keys;
}

}  // namespace store
