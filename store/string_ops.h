// String operations on the keyspace: the store half of the string commands (SET, INCR, APPEND,
// SETRANGE, GETEX, LCS, ...). Handlers parse arguments and write replies; everything here works
// on values and returns Result<T>/Status, never RESP.
//
// Conventions shared by every function that takes (db, key, e):
//   - `e` is the live entry for `key` in `db`, or nullptr iff the key is absent. The handler looks
//     it up itself (LookupRead/LookupWrite) so that keyspace hits/misses and LRU stay its business,
//     and passes it here to avoid a second lookup.
//   - A successful modification notifies the db's listener (Db::Set/Insert/SetExpire/Erase, or
//     Db::Touched after an in-place edit), so WATCH sees every change.
//   - A value edited in place becomes raw bytes (Value::MutableStr), as Redis "unshares" it, so
//     OBJECT ENCODING answers "raw" afterwards.
// Not thread-safe: the loop thread owns the Db.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/db.h"
#include "store/entry.h"
#include "store/status.h"
#include "store/value.h"

namespace store {

// The bytes of a string value. kWrongType iff `v` is not a string. `scratch` receives the digits
// of an integer value and must outlive the returned view.
Result<std::string_view> StringBytes(const Value& v, std::string* scratch);

// Which state of the key a SET requires.
enum class SetCondition {
  kAlways,
  kIfAbsent,  // NX
  kIfExists,  // XX
};

struct SetParams {
  SetCondition condition = SetCondition::kAlways;
  bool keep_ttl = false;     // KEEPTTL: an existing TTL survives the overwrite
  int64_t expire_at_ms = 0;  // absolute Unix ms; 0 means none. REQUIRES: 0 or > 0.
};

// Sets key to the string `value` (kept as an integer when it is a canonical int64). Any previous
// value of any type is replaced. The TTL is cleared unless keep_ttl, then set to expire_at_ms if
// non-zero; a time already past leaves a key that lazy expiry removes, as Redis 7.0 does.
// Returns false iff the condition failed and nothing was written.
bool SetString(Db& db, std::string_view key, Entry* e, std::string_view value,
               const SetParams& params);

// Deletes the key and returns its old string value. kNotFound iff e is null; kWrongType (and
// nothing deleted) iff the key is not a string.
Result<std::string> GetDel(Db& db, std::string_view key, Entry* e);

// What GETEX does to the TTL.
enum class ExpiryChange {
  kKeep,     // no option
  kPersist,  // PERSIST: remove the TTL
  kSetAt,    // EX/PX/EXAT/PXAT, as an absolute time
};

// Returns the key's string value and applies `change`. An absolute time at or before the clock's
// now deletes the key (the value is still returned), as Redis does instead of storing a past TTL.
// kNotFound iff e is null; kWrongType iff not a string (nothing changes).
Result<std::string> GetEx(Db& db, std::string_view key, Entry* e, ExpiryChange change,
                          int64_t at_ms);

// Adds delta to the integer in key (0 if absent) and returns the result, stored as an integer
// with the TTL kept. kWrongType; kNotInteger iff the value is not a canonical int64; kOverflow iff
// the sum leaves the int64 range.
Result<int64_t> IncrBy(Db& db, std::string_view key, Entry* e, int64_t delta);

// Adds delta to the number in key (0 if absent), using long double arithmetic as Redis 7.0 does,
// stores the formatted result as a string (never an integer encoding) with the TTL kept, and
// returns that text. kWrongType; kNotFloat iff the value does not parse; kNanOrInf iff the sum is
// not finite.
Result<std::string> IncrByFloat(Db& db, std::string_view key, Entry* e, long double delta);

// Parses a long double as Redis's string2ld: strtold must consume the whole argument (so an
// embedded NUL fails), no leading space, no NaN, no overflow to infinity. "inf" is accepted.
bool ParseLongDouble(std::string_view s, long double* out);
// Formats as Redis's INCRBYFLOAT reply: "%.17Lf" with trailing zeros (and a bare '.') removed;
// "-0" becomes "0".
std::string FormatLongDouble(long double v);

// Appends `tail` and returns the new length. An absent key is created from `tail` as SET would
// store it (an integer if canonical). kWrongType; kTooBig iff the result would exceed max_len.
Result<int64_t> Append(Db& db, std::string_view key, Entry* e, std::string_view tail,
                       int64_t max_len);

// Overwrites bytes at `offset`, zero-padding as needed, and returns the new length. An empty
// `data` changes nothing (an absent key stays absent and the answer is the current length).
// REQUIRES: offset >= 0. kWrongType; kTooBig iff offset + data.size() > max_len.
Result<int64_t> SetRange(Db& db, std::string_view key, Entry* e, int64_t offset,
                         std::string_view data, int64_t max_len);

// The bytes of s between start and end inclusive, negative indexes counting from the end, clamped
// to the string, as GETRANGE answers; empty if the range is empty.
std::string_view GetRange(std::string_view s, int64_t start, int64_t end);

// One common run of LCS IDX: a[a_start..a_end] equals b[b_start..b_end].
struct LcsMatch {
  int64_t a_start;
  int64_t a_end;
  int64_t b_start;
  int64_t b_end;
  int64_t len;
};

struct LcsResult {
  int64_t len = 0;                // length of the longest common subsequence
  std::string text;               // the subsequence, iff want_text
  std::vector<LcsMatch> matches;  // iff want_matches: runs from the end of the strings backwards,
                                  // those shorter than min_match_len left out
};

// The longest common subsequence of a and b, walked back the way Redis 7.0 walks it so that the
// subsequence and its matches are the ones Redis reports. kTooBig iff the dynamic-programming
// table would take more than max_table_bytes.
Result<LcsResult> Lcs(std::string_view a, std::string_view b, bool want_text, bool want_matches,
                      int64_t min_match_len, int64_t max_table_bytes);

}  // namespace store
