// LEB128-style unsigned varints, the length prefix of every packed encoding in store/ (list
// nodes, packed hash pairs, the zset listpack):
//
//   varint := { 1xxxxxxx } 0xxxxxxx      7 bits a byte, least significant group first
//
// Values are uint64_t, not size_t: streams store 64-bit ID deltas, which a 32-bit size_t would
// truncate (lengths widen to 64 bits and back without loss).
#pragma once

#include <cstddef>
#include <cstdint>

namespace store {

// Bytes the varint of v takes (1 for v < 128).
inline size_t VarintSize(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

// Writes the varint of v at p; returns the byte after it. REQUIRES: VarintSize(v) bytes at p.
inline char* PutVarint(char* p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
  return p;
}

// Reads the varint at data + *off and advances *off past it. REQUIRES: a whole varint there.
inline uint64_t GetVarint(const char* data, size_t* off) {
  uint64_t v = 0;
  for (int shift = 0;; shift += 7) {
    const auto b = static_cast<unsigned char>(data[(*off)++]);
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return v;
  }
}

}  // namespace store
