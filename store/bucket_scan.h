// A resumable cursor walk over a std::unordered_{map,set}, for HSCAN / SSCAN / ZSCAN.
//
//   cursor := (bucket_count mod 2^32) << 32 | next_bucket      (0 starts, and 0 means done)
//
// Each step visits up to `buckets` whole buckets. A cursor made for another bucket count (the
// table was rehashed since, or the cursor is not one we made) restarts at bucket 0: elements may
// then be reported twice, which SCAN allows, but an element present for the whole walk is never
// missed. Growth is bounded, so a walk that keeps restarting still ends.
#pragma once

#include <cstddef>
#include <cstdint>

namespace store {

template <typename Table, typename Fn>
uint64_t BucketScanStep(const Table& t, uint64_t cursor, size_t buckets, Fn&& fn) {
  const uint64_t n = t.bucket_count();
  uint64_t b = (cursor >> 32) == (n & 0xffffffffu) ? (cursor & 0xffffffffu) : 0;
  for (size_t done = 0; b < n && done < buckets; ++b, ++done) {
    for (auto it = t.begin(b); it != t.end(b); ++it) fn(*it);
  }
  return b >= n ? 0 : ((n & 0xffffffffu) << 32) | b;
}

}  // namespace store
