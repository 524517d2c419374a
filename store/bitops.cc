#include "store/bitops.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "store/string_ops.h"

namespace store {
namespace {

// Clamps [start, end] (negative from the end) to a sequence of `len` units as BITCOUNT and BITPOS
// do. Returns false iff the range is empty.
bool ClampRange(int64_t len, int64_t* start, int64_t* end) {
  if (*start < 0) *start += len;
  if (*end < 0) *end += len;
  if (*start < 0) *start = 0;
  if (*end < 0) *end = 0;
  if (*end >= len) *end = len - 1;
  return *start <= *end;
}

// Set bits among bit positions [first, last] of s. REQUIRES: first <= last < 8 * s.size().
int64_t CountBits(std::string_view s, uint64_t first, uint64_t last) {
  const uint64_t first_byte = first >> 3;
  const uint64_t last_byte = last >> 3;
  // Masks keep the bits of the edge bytes that fall inside the range (bit 0 is the MSB).
  const auto head_mask = static_cast<uint8_t>(0xFFu >> (first & 7));
  const auto tail_mask = static_cast<uint8_t>(0xFFu << (7 - (last & 7)));
  if (first_byte == last_byte) {
    return std::popcount(static_cast<uint8_t>(s[first_byte] & head_mask & tail_mask));
  }
  int64_t n = std::popcount(static_cast<uint8_t>(s[first_byte] & head_mask));
  n += std::popcount(static_cast<uint8_t>(s[last_byte] & tail_mask));
  uint64_t i = first_byte + 1;
  // Whole bytes in the middle, eight at a time.
  for (; i + 8 <= last_byte; i += 8) {
    uint64_t word;
    std::memcpy(&word, s.data() + i, sizeof(word));
    n += std::popcount(word);
  }
  for (; i < last_byte; ++i) n += std::popcount(static_cast<uint8_t>(s[i]));
  return n;
}

// The first position in bit positions [first, last] of s holding `bit`, or -1.
int64_t FindBit(std::string_view s, int bit, uint64_t first, uint64_t last) {
  const uint8_t skip = bit ? 0x00 : 0xFF;  // a byte with no candidate bit
  uint64_t pos = first;
  while (pos <= last) {
    if ((pos & 7) == 0 && pos + 7 <= last && static_cast<uint8_t>(s[pos >> 3]) == skip) {
      pos += 8;
      continue;
    }
    if (GetBit(s, pos) == bit) return static_cast<int64_t>(pos);
    ++pos;
  }
  return -1;
}

void SetBitIn(std::string* s, uint64_t offset, int bit) {
  auto& byte = reinterpret_cast<uint8_t&>((*s)[offset >> 3]);
  const auto mask = static_cast<uint8_t>(0x80u >> (offset & 7));
  byte = static_cast<uint8_t>(bit ? (byte | mask) : (byte & ~mask));
}

// Writes the low `bits` bits of v at offset. REQUIRES: the string holds the field.
void SetField(std::string* s, uint64_t offset, int bits, uint64_t v) {
  for (int i = 0; i < bits; ++i) {
    SetBitIn(s, offset + static_cast<uint64_t>(i), static_cast<int>((v >> (bits - 1 - i)) & 1));
  }
}

// The low `bits` bits of r, as the field would read back (sign-extended iff is_signed).
int64_t Truncate(int64_t r, int bits, bool is_signed) {
  auto u = static_cast<uint64_t>(r);
  if (bits < 64) {
    const uint64_t mask = (uint64_t{1} << bits) - 1;
    u &= mask;
    if (is_signed && (u >> (bits - 1)) != 0) u |= ~mask;
  }
  return static_cast<int64_t>(u);
}

// The exact result of a field write, which may need 65 bits (i64 INCRBY, or u63 SET of a
// negative value). 32-bit targets have no __int128, so it is the low 64 bits plus where the
// exact value lies: beyond == 0 iff low64 is the exact value, else +1 (above INT64_MAX) or -1
// (below INT64_MIN). Every field type's range lies inside int64's, so beyond != 0 overflows.
struct ExactResult {
  int64_t low64 = 0;
  int beyond = 0;
};

// old + incr, exactly.
ExactResult ExactSum(int64_t old, int64_t incr) {
  ExactResult r;
  if (__builtin_add_overflow(old, incr, &r.low64)) r.beyond = incr > 0 ? 1 : -1;
  return r;
}

// Fits the exact result r into the op's type under its overflow policy. Returns false iff the
// policy is FAIL and r does not fit.
bool FitField(const BitfieldOp& op, ExactResult r, int64_t* out) {
  // Signed fields have 1..64 bits and unsigned ones 1..63, so both bounds fit in int64.
  int64_t min = 0, max = 0;
  if (op.is_signed) {
    max = static_cast<int64_t>((uint64_t{1} << (op.bits - 1)) - 1);
    min = -max - 1;
  } else {
    max = static_cast<int64_t>((uint64_t{1} << op.bits) - 1);
  }
  if (r.beyond == 0 && r.low64 >= min && r.low64 <= max) {
    *out = r.low64;
    return true;
  }
  const bool above = r.beyond != 0 ? r.beyond > 0 : r.low64 > max;
  switch (op.overflow) {
    case BitfieldOverflow::kWrap:
      // Wrapping keeps the low `bits` bits, which the low 64 bits of the exact value hold.
      *out = Truncate(r.low64, op.bits, op.is_signed);
      return true;
    case BitfieldOverflow::kSat:
      *out = above ? max : min;
      return true;
    case BitfieldOverflow::kFail:
      break;
  }
  return false;
}

}  // namespace

int GetBit(std::string_view s, uint64_t offset) {
  const uint64_t byte = offset >> 3;
  if (byte >= s.size()) return 0;
  return (static_cast<uint8_t>(s[byte]) >> (7 - (offset & 7))) & 1;
}

Result<int> SetBit(Db& db, std::string_view key, Entry* e, uint64_t offset, int bit) {
  if (e != nullptr && !e->value().is_string()) return Status::kWrongType;
  const bool created = e == nullptr;
  if (created) e = db.Insert(key, Value::RawString(std::string()));
  // Redis unshares the value even when nothing changes, so it reads "raw" afterwards.
  std::string* s = e->value().MutableStr();
  const size_t need = static_cast<size_t>(offset >> 3) + 1;
  const bool grown = s->size() < need;
  if (grown) s->resize(need, '\0');
  const int old = GetBit(*s, offset);
  if (old != bit) SetBitIn(s, offset, bit);
  if (!created && (grown || old != bit)) db.Touched(key);
  return old;
}

int64_t BitCount(std::string_view s) { return s.empty() ? 0 : CountBits(s, 0, s.size() * 8 - 1); }

int64_t BitCount(std::string_view s, int64_t start, int64_t end, bool bit_unit) {
  if (start < 0 && end < 0 && start > end) return 0;
  const int64_t len = static_cast<int64_t>(s.size()) * (bit_unit ? 8 : 1);
  if (!ClampRange(len, &start, &end)) return 0;
  if (!bit_unit) {
    start *= 8;
    end = end * 8 + 7;
  }
  return CountBits(s, static_cast<uint64_t>(start), static_cast<uint64_t>(end));
}

int64_t BitPos(std::string_view s, int bit, std::optional<int64_t> start,
               std::optional<int64_t> end, bool bit_unit) {
  const int64_t len = static_cast<int64_t>(s.size()) * (bit_unit ? 8 : 1);
  int64_t first = start.value_or(0);
  int64_t last = end.value_or(len - 1);
  if (!ClampRange(len, &first, &last)) return -1;
  if (!bit_unit) {
    first *= 8;
    last = last * 8 + 7;
  }
  const int64_t pos = FindBit(s, bit, static_cast<uint64_t>(first), static_cast<uint64_t>(last));
  // Without an explicit end the string counts as zero-padded, so a clear bit is found right
  // after it; with one, the range has no clear bit.
  if (pos == -1 && bit == 0 && !end.has_value()) return last + 1;
  return pos;
}

int64_t BitOp(Db& db, std::string_view dest, BitOpKind op,
              std::span<const std::string_view> sources) {
  size_t max_len = 0;
  for (std::string_view s : sources) max_len = std::max(max_len, s.size());
  if (max_len == 0) {
    db.Erase(dest);
    return 0;
  }
  std::string out(max_len, '\0');
  auto byte_at = [](std::string_view s, size_t i) -> uint8_t {
    return i < s.size() ? static_cast<uint8_t>(s[i]) : 0;
  };
  for (size_t i = 0; i < max_len; ++i) {
    uint8_t acc = byte_at(sources[0], i);
    if (op == BitOpKind::kNot) {
      acc = static_cast<uint8_t>(~acc);
    } else {
      for (size_t k = 1; k < sources.size(); ++k) {
        const uint8_t b = byte_at(sources[k], i);
        if (op == BitOpKind::kAnd) {
          acc &= b;
        } else if (op == BitOpKind::kOr) {
          acc |= b;
        } else {
          acc ^= b;
        }
      }
    }
    out[i] = static_cast<char>(acc);
  }
  db.Set(dest, Value::RawString(std::move(out)));
  return static_cast<int64_t>(max_len);
}

int64_t GetField(std::string_view s, uint64_t offset, int bits, bool is_signed) {
  uint64_t v = 0;
  for (int i = 0; i < bits; ++i) {
    v = (v << 1) | static_cast<uint64_t>(GetBit(s, offset + static_cast<uint64_t>(i)));
  }
  return Truncate(static_cast<int64_t>(v), bits, is_signed);
}

Result<std::vector<std::optional<int64_t>>> Bitfield(Db& db, std::string_view key, Entry* e,
                                                     std::span<const BitfieldOp> ops) {
  if (e != nullptr && !e->value().is_string()) return Status::kWrongType;
  uint64_t need_bits = 0;
  for (const BitfieldOp& op : ops) {
    if (op.kind != BitfieldOp::Kind::kGet) {
      need_bits = std::max(need_bits, op.offset + static_cast<uint64_t>(op.bits));
    }
  }
  std::vector<std::optional<int64_t>> answers;
  answers.reserve(ops.size());
  if (need_bits == 0) {
    std::string scratch;
    std::string_view s = e == nullptr ? std::string_view() : e->value().Str(&scratch);
    for (const BitfieldOp& op : ops)
      answers.push_back(GetField(s, op.offset, op.bits, op.is_signed));
    return answers;
  }
  bool changed = e == nullptr;
  if (e == nullptr) e = db.Insert(key, Value::RawString(std::string()));
  std::string* s = e->value().MutableStr();
  const size_t need_bytes = static_cast<size_t>((need_bits + 7) / 8);
  if (s->size() < need_bytes) {
    s->resize(need_bytes, '\0');
    changed = true;
  }
  for (const BitfieldOp& op : ops) {
    const int64_t old = GetField(*s, op.offset, op.bits, op.is_signed);
    if (op.kind == BitfieldOp::Kind::kGet) {
      answers.push_back(old);
      continue;
    }
    // The exact result, before fitting it to the type. An unsigned SET takes its value as the
    // two's-complement bit pattern, so -1 is a huge number that overflows upwards.
    ExactResult exact;
    if (op.kind == BitfieldOp::Kind::kIncrBy) {
      exact = ExactSum(old, op.value);
    } else {
      exact.low64 = op.value;
      if (!op.is_signed && op.value < 0) exact.beyond = 1;  // 2^64 + value: above INT64_MAX
    }
    int64_t fitted;
    if (!FitField(op, exact, &fitted)) {
      answers.push_back(std::nullopt);
      continue;
    }
    SetField(s, op.offset, op.bits, static_cast<uint64_t>(fitted));
    changed = true;
    answers.push_back(op.kind == BitfieldOp::Kind::kSet ? old : fitted);
  }
  if (changed) db.Touched(key);
  return answers;
}

}  // namespace store
