// Bitmap operations over string values: the store half of SETBIT GETBIT BITCOUNT BITPOS BITOP and
// BITFIELD. Bits are addressed most-significant first: bit 0 is the high bit of byte 0, as Redis
// numbers them. Reading past the end of a string reads zeros; writing past it zero-pads.
//
// Functions taking (db, key, e) follow the conventions of store/string_ops.h: `e` is the live
// entry for key or nullptr, every modification notifies the db's listener, and an edited value
// becomes raw bytes. Offsets are validated by the caller against proto-max-bulk-len.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/db.h"
#include "store/entry.h"
#include "store/status.h"

namespace store {

// The bit at `offset`, 0 past the end.
int GetBit(std::string_view s, uint64_t offset);

// Sets the bit at `offset` to `bit` (0 or 1), creating or zero-extending the string, and returns
// the bit's previous value. kWrongType iff the key holds another type.
Result<int> SetBit(Db& db, std::string_view key, Entry* e, uint64_t offset, int bit);

// Set bits in the whole string.
int64_t BitCount(std::string_view s);
// Set bits between start and end inclusive, counted in bytes, or in bits iff bit_unit. Negative
// indexes count from the end; the range is clamped to the string, as BITCOUNT does.
int64_t BitCount(std::string_view s, int64_t start, int64_t end, bool bit_unit);

// The position of the first bit equal to `bit` (0 or 1) as BITPOS answers it. With no start the
// whole string is searched; `end` absent means "to the end of the string", in which case a
// search for 0 through all-ones bytes answers the first bit past the string (the string is taken
// as zero-padded). -1 iff not found or the range is empty.
int64_t BitPos(std::string_view s, int bit, std::optional<int64_t> start,
               std::optional<int64_t> end, bool bit_unit);

enum class BitOpKind { kAnd, kOr, kXor, kNot };

// Stores op(sources) in dest as raw bytes (TTL cleared) and returns its length. The result is as
// long as the longest source, shorter sources taken as zero-padded; a missing key is an empty
// string. An empty result deletes dest instead. REQUIRES: sources non-empty; exactly one for kNot.
// The views may point into dest's current value.
int64_t BitOp(Db& db, std::string_view dest, BitOpKind op,
              std::span<const std::string_view> sources);

enum class BitfieldOverflow {
  kWrap,  // two's-complement wrap-around (the default)
  kSat,   // saturate at the type's minimum or maximum
  kFail,  // leave the field unchanged and answer null
};

struct BitfieldOp {
  enum class Kind { kGet, kSet, kIncrBy };
  Kind kind = Kind::kGet;
  bool is_signed = false;
  int bits = 0;         // 1..64 signed, 1..63 unsigned
  uint64_t offset = 0;  // in bits, '#' offsets already multiplied out
  int64_t value = 0;    // SET's value or INCRBY's increment
  BitfieldOverflow overflow = BitfieldOverflow::kWrap;
};

// The field at (offset, bits), sign-extended iff is_signed; zeros past the end of s.
int64_t GetField(std::string_view s, uint64_t offset, int bits, bool is_signed);

// Runs ops in order and returns one answer per op: GET's field, SET's previous field, INCRBY's new
// field, or nullopt where a FAIL overflow left the field alone. If any op writes, the key is
// created or zero-extended first to hold the farthest written field (even if every write then
// fails, as Redis does). kWrongType iff the key holds another type.
Result<std::vector<std::optional<int64_t>>> Bitfield(Db& db, std::string_view key, Entry* e,
                                                     std::span<const BitfieldOp> ops);

}  // namespace store
