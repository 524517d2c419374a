#include "persistence/crc64.h"

#include <array>
#include <cstring>

namespace persistence {
namespace {

// The reflected form of 0xad93d23594c935a9: with reflected input, the register shifts right and
// the polynomial is applied bit-reversed.
constexpr uint64_t kReflectedPoly = 0x95ac9329ac4bc9b5ull;

// Slicing-by-8: tables[k][b] is the CRC contribution of byte b followed by k zero bytes, so eight
// input bytes are folded with eight lookups instead of eight dependent shifts. Snapshots hash
// every byte they write, so this is on the save path's critical loop.
using Tables = std::array<std::array<uint64_t, 256>, 8>;

Tables BuildTables() {
  Tables t{};
  for (uint64_t b = 0; b < 256; ++b) {
    uint64_t c = b;
    for (int i = 0; i < 8; ++i) c = (c & 1) ? (c >> 1) ^ kReflectedPoly : c >> 1;
    t[0][b] = c;
  }
  for (int k = 1; k < 8; ++k) {
    for (int b = 0; b < 256; ++b) t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xff];
  }
  return t;
}

const Tables& GetTables() {
  static const Tables tables = BuildTables();
  return tables;
}

uint64_t LoadLE64(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

uint64_t Crc64(uint64_t crc, std::string_view data) {
  const Tables& t = GetTables();
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  size_t n = data.size();
  while (n >= 8) {
    crc ^= LoadLE64(p);
    crc = t[7][crc & 0xff] ^ t[6][(crc >> 8) & 0xff] ^ t[5][(crc >> 16) & 0xff] ^
          t[4][(crc >> 24) & 0xff] ^ t[3][(crc >> 32) & 0xff] ^ t[2][(crc >> 40) & 0xff] ^
          t[1][(crc >> 48) & 0xff] ^ t[0][crc >> 56];
    p += 8;
    n -= 8;
  }
  while (n-- > 0) crc = t[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
  return crc;
}

}  // namespace persistence
