#include "resp/peek.h"

#include <cstdint>

namespace resp {
namespace {

// Reads "<prefix><digits>\r\n" at *pos. On success moves *pos past it and stores the number.
// Up to 12 digits: longer lengths are never worth a look ahead, and cannot overflow here.
bool ReadHeader(std::string_view buf, size_t* pos, char prefix, uint64_t* out) {
  size_t i = *pos;
  if (i >= buf.size() || buf[i] != prefix) return false;
  ++i;
  uint64_t v = 0;
  size_t digits = 0;
  while (i < buf.size() && buf[i] >= '0' && buf[i] <= '9') {
    if (++digits > 12) return false;
    v = v * 10 + static_cast<uint64_t>(buf[i] - '0');
    ++i;
  }
  if (digits == 0 || buf.size() - i < 2 || buf[i] != '\r' || buf[i + 1] != '\n') return false;
  *pos = i + 2;
  *out = v;
  return true;
}

}  // namespace

size_t PeekKeys(std::string_view buf, std::string_view* keys, size_t max) {
  size_t pos = 0;
  size_t count = 0;
  while (count < max) {
    uint64_t argc = 0;
    if (!ReadHeader(buf, &pos, '*', &argc) || argc == 0 || argc > kPeekMaxArgs) break;
    std::string_view key;
    bool complete = true;
    for (uint64_t a = 0; a < argc; ++a) {
      uint64_t len = 0;
      if (!ReadHeader(buf, &pos, '$', &len) || buf.size() - pos < len + 2) {
        complete = false;
        break;
      }
      if (a == 1) key = buf.substr(pos, len);
      pos += len + 2;
    }
    if (!complete) break;
    keys[count++] = key;
  }
  return count;
}

}  // namespace resp
