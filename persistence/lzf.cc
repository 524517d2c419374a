#include "persistence/lzf.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <vector>

namespace persistence {
namespace {

constexpr size_t kMaxLiteral = 32;   // a literal run of up to 32 bytes (control 0..31)
constexpr size_t kMaxOffset = 8192;  // 13 bits of distance, plus one
constexpr size_t kMaxMatch = 264;    // 7 + 255 + 2
constexpr int kMinHashBits = 8;
constexpr int kMaxHashBits = 14;

uint32_t Hash3(const unsigned char* p, int bits) {
  const uint32_t v = (uint32_t{p[0]} << 16) | (uint32_t{p[1]} << 8) | p[2];
  return (v * 2654435761u) >> (32 - bits);
}

}  // namespace

size_t LzfCompress(std::string_view in, char* out, size_t out_cap) {
  const auto* src = reinterpret_cast<const unsigned char*>(in.data());
  const size_t n = in.size();
  auto* dst = reinterpret_cast<unsigned char*>(out);
  size_t op = 0;
  // Positions + 1 of the last occurrence of each 3-byte prefix hash (0 = none). The table is
  // cleared on every call, so it is sized to the input: a 30-byte string must not pay for
  // clearing 64 KB.
  const int bits = std::clamp(static_cast<int>(std::bit_width(n)), kMinHashBits, kMaxHashBits);
  thread_local std::vector<uint32_t> table;
  table.assign(size_t{1} << bits, 0);

  auto emit_literals = [&](size_t from, size_t to) {
    while (from < to) {
      const size_t run = std::min(kMaxLiteral, to - from);
      if (op + 1 + run > out_cap) return false;
      dst[op++] = static_cast<unsigned char>(run - 1);
      std::memcpy(dst + op, src + from, run);
      op += run;
      from += run;
    }
    return true;
  };

  size_t ip = 0;
  size_t lit = 0;  // start of the pending literal run
  while (ip + 3 <= n) {
    const uint32_t h = Hash3(src + ip, bits);
    const size_t cand = table[h];
    table[h] = static_cast<uint32_t>(ip + 1);
    if (cand != 0) {
      const size_t ref = cand - 1;
      const size_t dist = ip - ref;
      if (dist <= kMaxOffset && std::memcmp(src + ref, src + ip, 3) == 0) {
        const size_t max_len = std::min(kMaxMatch, n - ip);
        size_t len = 3;
        while (len < max_len && src[ref + len] == src[ip + len]) ++len;
        if (!emit_literals(lit, ip)) return 0;
        const size_t l = len - 2;  // 1..262
        const size_t off = dist - 1;
        const size_t need = l >= 7 ? 3 : 2;
        if (op + need > out_cap) return 0;
        if (l < 7) {
          dst[op++] = static_cast<unsigned char>((l << 5) | (off >> 8));
        } else {
          dst[op++] = static_cast<unsigned char>((7 << 5) | (off >> 8));
          dst[op++] = static_cast<unsigned char>(l - 7);
        }
        dst[op++] = static_cast<unsigned char>(off & 0xff);
        // Index the positions the match covered, so later repeats of them are found too.
        for (size_t k = ip + 1; k < ip + len && k + 3 <= n; ++k) {
          table[Hash3(src + k, bits)] = static_cast<uint32_t>(k + 1);
        }
        ip += len;
        lit = ip;
        continue;
      }
    }
    ++ip;
  }
  if (!emit_literals(lit, n)) return 0;
  return op;
}

bool LzfDecompress(std::string_view in, char* out, size_t out_len) {
  const auto* src = reinterpret_cast<const unsigned char*>(in.data());
  const size_t n = in.size();
  auto* dst = reinterpret_cast<unsigned char*>(out);
  size_t ip = 0;
  size_t op = 0;
  while (ip < n) {
    const size_t ctrl = src[ip++];
    if (ctrl < kMaxLiteral) {
      const size_t run = ctrl + 1;
      if (ip + run > n || op + run > out_len) return false;
      std::memcpy(dst + op, src + ip, run);
      ip += run;
      op += run;
      continue;
    }
    size_t len = ctrl >> 5;
    if (len == 7) {
      if (ip >= n) return false;
      len += src[ip++];
    }
    len += 2;
    if (ip >= n) return false;
    const size_t dist = (((ctrl & 0x1f) << 8) | src[ip++]) + 1;
    if (dist > op || op + len > out_len) return false;
    // Byte by byte: the source may overlap the bytes being written (a run).
    for (size_t k = 0; k < len; ++k, ++op) dst[op] = dst[op - dist];
  }
  return op == out_len;
}

}  // namespace persistence
