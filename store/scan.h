// Ordered SCAN: cursors that name a position in key order, and survive inserts and deletes.
//
// Design. Redis's cursor is a hash-table bucket index; ours names a key: "resume at the first key
// >= K", where K is the first key not yet returned. Because the keyspace is ordered, resuming
// there returns every key that was present for the whole scan exactly once, in order, however
// many keys were added or removed meanwhile. A cursor is a 63-bit number (bit 63 is always 0, so
// clients that parse it as int64 accept it):
//
//   bits 23..62  the first kPrefixBytes (5) bytes of K, big-endian (first byte in bits 55..62),
//                zero-padded when K is shorter
//   bits 20..22  how many of those bytes are real (0..5)
//   bits  0..19  id of a slot in the db's ScanCursorTable (never 0, so a cursor never reads "0")
//
// The table is a ring of kTableSlots slots holding the full K for each id; a cursor whose slot
// still holds its id (and agrees with its prefix) resumes exactly at K. If the slot was reused
// (evicted) or the server restarted, the cursor falls back to the prefix it carries: it resumes
// at the first key >= that prefix, which is <= K, so no key is missed; keys between the prefix
// and K are returned again. Limits are in docs/scan.md.
//
// Not thread-safe: the loop thread owns it, with the Db.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace store {

class Db;

class ScanCursorTable {
 public:
  static constexpr size_t kPrefixBytes = 5;
  static constexpr int kIdBits = 20;
  // Slots in the ring: the number of distinct cursors that resume exactly. Divides 2^kIdBits.
  static constexpr size_t kTableSlots = 1024;
  // Longest resume key stored, so the table's memory is bounded by kTableSlots * kMaxStoredKey.
  // Scan() never stops in front of a longer key (it extends the page past such keys).
  static constexpr size_t kMaxStoredKey = 1024;

  ScanCursorTable() = default;
  ScanCursorTable(const ScanCursorTable&) = delete;
  ScanCursorTable& operator=(const ScanCursorTable&) = delete;

  // A new cursor (nonzero, < 2^63) that resumes at the first key >= next_key.
  uint64_t Save(std::string_view next_key);
  // Where a nonzero cursor resumes: the first key >= the returned string. *exact is set iff the
  // table still knew it (otherwise the string is the cursor's prefix, and keys may repeat).
  // REQUIRES: cursor != 0 and cursor < 2^63.
  std::string Resolve(uint64_t cursor, bool* exact) const;

 private:
  struct Slot {
    uint32_t id = 0;  // 0: never used
    std::string key;
  };
  // The ring, allocated on first Save so that dbs never scanned cost one pointer.
  std::unique_ptr<Slot[]> slots_;
  uint32_t next_id_ = 1;
};

struct ScanOptions {
  bool has_pattern = false;
  std::string_view pattern;  // glob, as KEYS; used iff has_pattern
  size_t count = 10;         // keys to examine (not to return), as Redis's COUNT hint
  bool has_type = false;
  std::string_view type;  // TYPE filter, a TypeName compared case-insensitively
};

struct ScanPage {
  uint64_t cursor = 0;  // 0 iff the scan is complete
  std::vector<std::string> keys;
};

// One SCAN step over db from cursor (0 starts). Examines opts.count keys in order (more only to
// step past keys longer than kMaxStoredKey), skipping logically expired ones (deleting nothing),
// and returns those that pass the filters.
// A pattern with a literal prefix (LiteralPrefix) seeks to it and ends the scan once past it.
// A cursor >= 2^63 was never issued by us and is treated as finished (as Redis answers for -1).
ScanPage Scan(Db& db, uint64_t cursor, const ScanOptions& opts);

// Parses a cursor as Redis does (strtoul: an optional sign, decimal digits, wrapping negatives
// to uint64; the empty string is 0). False iff invalid ("ERR invalid cursor").
bool ParseScanCursor(std::string_view s, uint64_t* out);

// Every live key matching the glob, in order, seeking to the pattern's literal prefix. The views
// point into the keyspace and are valid until the db is next modified.
std::vector<std::string_view> MatchingKeys(const Db& db, std::string_view pattern);

}  // namespace store
