// Stream entry IDs: <ms>-<seq>, two unsigned 64-bit numbers compared as one 128-bit number, and
// the argument forms Redis 7.0 accepts for them.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace store {

struct StreamId {
  uint64_t ms = 0;
  uint64_t seq = 0;

  static constexpr StreamId Min() { return {0, 0}; }
  static constexpr StreamId Max() {
    return {std::numeric_limits<uint64_t>::max(), std::numeric_limits<uint64_t>::max()};
  }
  friend constexpr auto operator<=>(const StreamId&, const StreamId&) = default;

  // The next (previous) ID in order. Returns false, leaving the ID unchanged, iff there is none.
  bool Incr();
  bool Decr();
  // "ms-seq".
  std::string ToString() const;
};

// How an ID argument may be written.
struct StreamIdSyntax {
  // Value of seq when only "ms" is given: 0 for a range start, UINT64_MAX for a range end.
  uint64_t missing_seq = 0;
  // Strict IDs refuse the "-" and "+" range shortcuts (XADD, XDEL, XSETID, exclusive bounds).
  bool strict = false;
  // XADD's "ms-*": set *seq_given to false instead of failing. nullptr: "ms-*" is invalid.
  bool* seq_given = nullptr;
};

// Parses an ID as Redis 7.0's streamGenericParseIDOrReply: "-", "+", "ms" or "ms-seq", each
// number as Redis's string2ull (canonical integers, or anything strtoull consumes whole, so
// "01" and "+1" are 1 but "-1" is refused). At most 127 bytes. "*" is not handled here.
bool ParseStreamId(std::string_view s, const StreamIdSyntax& syntax, StreamId* id);

// Redis's string2ull: true iff s is an unsigned 64-bit number as described above.
bool ParseStreamU64(std::string_view s, uint64_t* out);

}  // namespace store
