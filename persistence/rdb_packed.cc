#include "persistence/rdb_packed.h"

#include <charconv>
#include <cstring>

#include "store/value.h"

namespace persistence::rdb {
namespace {

constexpr size_t kListpackHeader = 6;
constexpr size_t kZiplistHeader = 10;
constexpr uint8_t kEnd = 0xFF;

void PutLE(std::string* out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint64_t GetLE(const unsigned char* p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// Sign-extends the low `bits` bits of v.
int64_t SignExtend(uint64_t v, int bits) {
  const uint64_t sign = uint64_t{1} << (bits - 1);
  return static_cast<int64_t>((v ^ sign) - sign);
}

std::string IntText(int64_t v) { return store::FormatInt64(v); }

}  // namespace

ListpackBuilder::ListpackBuilder() { buf_.assign(kListpackHeader, '\0'); }

void ListpackBuilder::Append(std::string_view element) {
  int64_t v = 0;
  if (element.size() <= 20 && store::ParseInt64(element, &v)) {
    AppendInt(v);
  } else {
    AppendString(element);
  }
}

void ListpackBuilder::AppendInt(int64_t v) {
  const size_t start = buf_.size();
  const auto u = static_cast<uint64_t>(v);
  if (v >= 0 && v <= 127) {
    buf_.push_back(static_cast<char>(v));
  } else if (v >= -4096 && v <= 4095) {
    const uint64_t t = u & 0x1fff;  // 13-bit two's complement
    buf_.push_back(static_cast<char>(0xC0 | (t >> 8)));
    buf_.push_back(static_cast<char>(t & 0xff));
  } else if (v >= INT16_MIN && v <= INT16_MAX) {
    buf_.push_back(static_cast<char>(0xF1));
    PutLE(&buf_, u, 2);
  } else if (v >= -(1 << 23) && v < (1 << 23)) {
    buf_.push_back(static_cast<char>(0xF2));
    PutLE(&buf_, u, 3);
  } else if (v >= INT32_MIN && v <= INT32_MAX) {
    buf_.push_back(static_cast<char>(0xF3));
    PutLE(&buf_, u, 4);
  } else {
    buf_.push_back(static_cast<char>(0xF4));
    PutLE(&buf_, u, 8);
  }
  AppendBacklen(buf_.size() - start);
}

void ListpackBuilder::AppendString(std::string_view s) {
  const size_t start = buf_.size();
  const size_t n = s.size();
  if (n < 64) {
    buf_.push_back(static_cast<char>(0x80 | n));
  } else if (n < 4096) {
    buf_.push_back(static_cast<char>(0xE0 | (n >> 8)));
    buf_.push_back(static_cast<char>(n & 0xff));
  } else {
    buf_.push_back(static_cast<char>(0xF0));
    PutLE(&buf_, n, 4);
  }
  buf_.append(s);
  AppendBacklen(buf_.size() - start);
}

void ListpackBuilder::AppendBacklen(size_t len) {
  // Most significant 7-bit group first; all groups after the first carry the 0x80 flag.
  int groups = 1;
  while (groups < 5 && (len >> (7 * groups)) != 0) ++groups;
  for (int g = groups - 1; g >= 0; --g) {
    uint8_t b = (len >> (7 * g)) & 0x7f;
    if (g != groups - 1) b |= 0x80;
    buf_.push_back(static_cast<char>(b));
  }
  ++count_;
}

std::string ListpackBuilder::Finish() {
  buf_.push_back(static_cast<char>(kEnd));
  std::string header;
  PutLE(&header, buf_.size(), 4);
  PutLE(&header, count_ < 65535 ? count_ : 65535, 2);
  std::memcpy(buf_.data(), header.data(), kListpackHeader);
  std::string out = std::move(buf_);
  buf_.assign(kListpackHeader, '\0');
  count_ = 0;
  return out;
}

std::string BuildIntset(std::span<const int64_t> sorted) {
  int width = 2;
  for (int64_t v : sorted) {
    if (v < INT32_MIN || v > INT32_MAX) {
      width = 8;
      break;
    }
    if (v < INT16_MIN || v > INT16_MAX) width = 4;
  }
  std::string out;
  out.reserve(8 + sorted.size() * width);
  PutLE(&out, width, 4);
  PutLE(&out, sorted.size(), 4);
  for (int64_t v : sorted) PutLE(&out, static_cast<uint64_t>(v), width);
  return out;
}

bool ParseListpack(std::string_view blob, std::vector<std::string>* out, std::string* error) {
  const auto* p = reinterpret_cast<const unsigned char*>(blob.data());
  const size_t n = blob.size();
  if (n < kListpackHeader + 1) {
    *error = "listpack shorter than its header";
    return false;
  }
  if (GetLE(p, 4) != n) {
    *error = "listpack total size does not match its length";
    return false;
  }
  const uint64_t declared = GetLE(p + 4, 2);
  size_t pos = kListpackHeader;
  size_t count = 0;
  auto fail = [&](const char* what) {
    *error = std::string(what) + " in listpack entry at blob offset " + std::to_string(pos);
    return false;
  };
  while (true) {
    if (pos >= n) return fail("missing end marker");
    const uint8_t b = p[pos];
    if (b == kEnd) break;
    const size_t start = pos;
    auto need = [&](size_t k) { return pos + k < n; };  // room for k bytes and the end marker
    if ((b & 0x80) == 0) {
      out->push_back(IntText(b));
      pos += 1;
    } else if ((b & 0xC0) == 0x80) {
      const size_t len = b & 0x3f;
      if (!need(1 + len)) return fail("string past the end");
      out->emplace_back(blob.substr(pos + 1, len));
      pos += 1 + len;
    } else if ((b & 0xE0) == 0xC0) {
      if (!need(2)) return fail("integer past the end");
      out->push_back(IntText(SignExtend(((b & 0x1fu) << 8) | p[pos + 1], 13)));
      pos += 2;
    } else if ((b & 0xF0) == 0xE0) {
      if (!need(2)) return fail("length past the end");
      const size_t len = ((b & 0x0fu) << 8) | p[pos + 1];
      if (!need(2 + len)) return fail("string past the end");
      out->emplace_back(blob.substr(pos + 2, len));
      pos += 2 + len;
    } else if (b == 0xF0) {
      if (!need(5)) return fail("length past the end");
      const uint64_t len = GetLE(p + pos + 1, 4);
      if (len > n || !need(5 + len)) return fail("string past the end");
      out->emplace_back(blob.substr(pos + 5, len));
      pos += 5 + len;
    } else if (b >= 0xF1 && b <= 0xF4) {
      const int width = b == 0xF1 ? 2 : b == 0xF2 ? 3 : b == 0xF3 ? 4 : 8;
      if (!need(1 + width)) return fail("integer past the end");
      out->push_back(IntText(SignExtend(GetLE(p + pos + 1, width), width * 8)));
      pos += 1 + width;
    } else {
      return fail("unknown encoding");
    }
    // The back-length must say how long the entry was.
    const size_t len = pos - start;
    int groups = 1;
    while (groups < 5 && (len >> (7 * groups)) != 0) ++groups;
    if (!need(groups)) return fail("back-length past the end");
    uint64_t back = 0;
    for (int g = 0; g < groups; ++g) back = (back << 7) | (p[pos + g] & 0x7f);
    if (back != len) return fail("wrong back-length");
    pos += groups;
    ++count;
  }
  if (pos + 1 != n) return fail("bytes after the end marker");
  if (declared != 65535 && declared != count) {
    *error = "listpack header counts " + std::to_string(declared) + " entries, found " +
             std::to_string(count);
    return false;
  }
  return true;
}

bool ParseZiplist(std::string_view blob, std::vector<std::string>* out, std::string* error) {
  const auto* p = reinterpret_cast<const unsigned char*>(blob.data());
  const size_t n = blob.size();
  if (n < kZiplistHeader + 1) {
    *error = "ziplist shorter than its header";
    return false;
  }
  if (GetLE(p, 4) != n) {
    *error = "ziplist total size does not match its length";
    return false;
  }
  const uint64_t declared = GetLE(p + 8, 2);
  size_t pos = kZiplistHeader;
  size_t count = 0;
  size_t prev_len = 0;
  auto fail = [&](const char* what) {
    *error = std::string(what) + " in ziplist entry at blob offset " + std::to_string(pos);
    return false;
  };
  while (true) {
    if (pos >= n) return fail("missing end marker");
    if (p[pos] == kEnd) break;
    const size_t start = pos;
    auto need = [&](size_t k) { return pos + k < n; };
    size_t prev = 0;
    if (p[pos] < 254) {
      prev = p[pos];
      pos += 1;
    } else if (p[pos] == 254) {
      if (!need(5)) return fail("prevlen past the end");
      prev = GetLE(p + pos + 1, 4);
      pos += 5;
    } else {
      return fail("bad prevlen");
    }
    if (prev != prev_len) return fail("wrong prevlen");
    if (!need(1)) return fail("encoding past the end");
    const uint8_t b = p[pos];
    switch (b >> 6) {
      case 0:
      case 1:
      case 2: {
        size_t len = 0;
        size_t hdr = 0;
        if ((b >> 6) == 0) {
          len = b & 0x3f;
          hdr = 1;
        } else if ((b >> 6) == 1) {
          if (!need(2)) return fail("length past the end");
          len = ((b & 0x3fu) << 8) | p[pos + 1];
          hdr = 2;
        } else {
          if (b != 0x80 || !need(5)) return fail("bad string length");
          len = (size_t{p[pos + 1]} << 24) | (size_t{p[pos + 2]} << 16) |
                (size_t{p[pos + 3]} << 8) | p[pos + 4];
          hdr = 5;
        }
        if (len > n || !need(hdr + len)) return fail("string past the end");
        out->emplace_back(blob.substr(pos + hdr, len));
        pos += hdr + len;
        break;
      }
      default: {
        int width;
        if (b == 0xC0) {
          width = 2;
        } else if (b == 0xD0) {
          width = 4;
        } else if (b == 0xE0) {
          width = 8;
        } else if (b == 0xF0) {
          width = 3;
        } else if (b == 0xFE) {
          width = 1;
        } else if (b >= 0xF1 && b <= 0xFD) {
          width = 0;
        } else {
          return fail("unknown encoding");
        }
        if (!need(1 + width)) return fail("integer past the end");
        const int64_t v =
            width == 0 ? (b & 0x0f) - 1 : SignExtend(GetLE(p + pos + 1, width), width * 8);
        out->push_back(IntText(v));
        pos += 1 + width;
      }
    }
    prev_len = pos - start;
    ++count;
  }
  if (pos + 1 != n) return fail("bytes after the end marker");
  if (declared != 65535 && declared != count) {
    *error = "ziplist header counts " + std::to_string(declared) + " entries, found " +
             std::to_string(count);
    return false;
  }
  return true;
}

bool ParseIntset(std::string_view blob, std::vector<int64_t>* out, std::string* error) {
  const auto* p = reinterpret_cast<const unsigned char*>(blob.data());
  if (blob.size() < 8) {
    *error = "intset shorter than its header";
    return false;
  }
  const uint64_t width = GetLE(p, 4);
  const uint64_t count = GetLE(p + 4, 4);
  if (width != 2 && width != 4 && width != 8) {
    *error = "intset has invalid width " + std::to_string(width);
    return false;
  }
  if (blob.size() != 8 + width * count) {
    *error = "intset size does not match its count";
    return false;
  }
  out->reserve(out->size() + count);
  for (uint64_t i = 0; i < count; ++i) {
    const int64_t v =
        SignExtend(GetLE(p + 8 + i * width, static_cast<int>(width)), static_cast<int>(width) * 8);
    if (i > 0 && v <= out->back()) {
      *error = "intset is not strictly ascending";
      return false;
    }
    out->push_back(v);
  }
  return true;
}

bool ParseZipmap(std::string_view blob, std::vector<std::string>* out, std::string* error) {
  const auto* p = reinterpret_cast<const unsigned char*>(blob.data());
  const size_t n = blob.size();
  size_t pos = 1;
  auto fail = [&](const char* what) {
    *error = std::string(what) + " in zipmap at blob offset " + std::to_string(pos);
    return false;
  };
  if (n < 2) return fail("zipmap too short");
  auto read_len = [&](size_t* len) {
    if (pos >= n) return false;
    if (p[pos] < 254) {
      *len = p[pos];
      pos += 1;
      return true;
    }
    if (p[pos] != 254 || pos + 5 > n) return false;
    *len = GetLE(p + pos + 1, 4);
    pos += 5;
    return true;
  };
  size_t pairs = 0;
  while (true) {
    if (pos >= n) return fail("missing end marker");
    if (p[pos] == kEnd) break;
    size_t klen = 0;
    if (!read_len(&klen) || klen > n || pos + klen > n) return fail("key past the end");
    out->emplace_back(blob.substr(pos, klen));
    pos += klen;
    size_t vlen = 0;
    if (!read_len(&vlen) || pos >= n) return fail("value length past the end");
    const size_t free = p[pos++];
    if (vlen > n || pos + vlen + free > n) return fail("value past the end");
    out->emplace_back(blob.substr(pos, vlen));
    pos += vlen + free;
    ++pairs;
  }
  if (pos + 1 != n) return fail("bytes after the end marker");
  if (p[0] < 254 && p[0] != pairs) return fail("wrong pair count");
  return true;
}

}  // namespace persistence::rdb
