// The `cmsgpack` library of Redis scripts, written for Fickle (Debian packages none): MessagePack
// encoding of Lua values, with the behaviour of the library Redis embeds as observed from
// redis-server 7.0.15:
//
//   pack(v ...)                    each value encoded, concatenated
//   unpack(s)                      every value in s
//   unpack_one(s [, offset])       next_offset, value (next_offset -1 at the end)
//   unpack_limit(s, limit [, off]) next_offset, up to limit values; limit 0 and offset 0 give all
//                                  values and no offset, as unpack does
//
// Encoding: nil and unsupported types -> nil; booleans; a number with an integral value (-0.0
// too) -> the smallest int/uint form, otherwise float32 when that is exact, else float64;
// strings -> fixstr/str8/str16/str32; a table whose keys are exactly 1..n -> array (the empty
// table too), any other table -> map in lua_next order. Tables nested 16 deep encode as nil.
// Decoding knows the same types; bin, ext and 0xc1 are "Bad data format in input.", a short
// input "Missing bytes in input.". Offsets are 0-based byte positions.
#include "server/scripting/cmsgpack.h"

extern "C" {
#include <lauxlib.h>
#include <lua.h>
}

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

namespace server::scripting {
namespace {

constexpr int kMaxNesting = 16;

void PutBigEndian(std::string* out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void PackHeader(std::string* out, uint64_t n, unsigned char fix, uint64_t fix_limit,
                unsigned char c8, unsigned char c16, unsigned char c32) {
  if (n < fix_limit) {
    out->push_back(static_cast<char>(fix | n));
  } else if (c8 != 0 && n < 256) {
    out->push_back(static_cast<char>(c8));
    PutBigEndian(out, n, 1);
  } else if (n < 65536) {
    out->push_back(static_cast<char>(c16));
    PutBigEndian(out, n, 2);
  } else {
    out->push_back(static_cast<char>(c32));
    PutBigEndian(out, n, 4);
  }
}

void PackNumber(std::string* out, double d) {
  if (std::isfinite(d) && d == std::floor(d) && d >= -9223372036854775808.0 &&
      d < 18446744073709551616.0) {
    if (d >= 0) {
      const uint64_t v = static_cast<uint64_t>(d);
      if (v < 128) {
        out->push_back(static_cast<char>(v));
      } else if (v < 256) {
        out->push_back(static_cast<char>(0xcc));
        PutBigEndian(out, v, 1);
      } else if (v < 65536) {
        out->push_back(static_cast<char>(0xcd));
        PutBigEndian(out, v, 2);
      } else if (v < 4294967296ull) {
        out->push_back(static_cast<char>(0xce));
        PutBigEndian(out, v, 4);
      } else {
        out->push_back(static_cast<char>(0xcf));
        PutBigEndian(out, v, 8);
      }
    } else {
      const int64_t v = static_cast<int64_t>(d);
      const uint64_t bits = static_cast<uint64_t>(v);
      if (v >= -32) {
        out->push_back(static_cast<char>(bits & 0xff));
      } else if (v >= -128) {
        out->push_back(static_cast<char>(0xd0));
        PutBigEndian(out, bits, 1);
      } else if (v >= -32768) {
        out->push_back(static_cast<char>(0xd1));
        PutBigEndian(out, bits, 2);
      } else if (v >= -2147483648ll) {
        out->push_back(static_cast<char>(0xd2));
        PutBigEndian(out, bits, 4);
      } else {
        out->push_back(static_cast<char>(0xd3));
        PutBigEndian(out, bits, 8);
      }
    }
    return;
  }
  const float f = static_cast<float>(d);
  if (static_cast<double>(f) == d) {
    uint32_t bits;
    std::memcpy(&bits, &f, sizeof(bits));
    out->push_back(static_cast<char>(0xca));
    PutBigEndian(out, bits, 4);
  } else {
    uint64_t bits;
    std::memcpy(&bits, &d, sizeof(bits));
    out->push_back(static_cast<char>(0xcb));
    PutBigEndian(out, bits, 8);
  }
}

// The array length of the table at idx if its keys are exactly 1..n, else -1.
int64_t ArrayLength(lua_State* L, int idx) {
  int64_t count = 0;
  double max = 0;
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TNUMBER) {
      lua_pop(L, 1);
      return -1;
    }
    const double k = lua_tonumber(L, -1);
    if (k <= 0 || k != std::floor(k)) {
      lua_pop(L, 1);
      return -1;
    }
    if (k > max) max = k;
    ++count;
  }
  return max == static_cast<double>(count) ? count : -1;
}

// Encodes the value at absolute index idx.
void PackValue(lua_State* L, int idx, int level, std::string* out) {
  switch (lua_type(L, idx)) {
    case LUA_TBOOLEAN:
      out->push_back(static_cast<char>(lua_toboolean(L, idx) ? 0xc3 : 0xc2));
      return;
    case LUA_TNUMBER:
      return PackNumber(out, lua_tonumber(L, idx));
    case LUA_TSTRING: {
      size_t n;
      const char* s = lua_tolstring(L, idx, &n);
      PackHeader(out, n, 0xa0, 32, 0xd9, 0xda, 0xdb);
      out->append(s, n);
      return;
    }
    case LUA_TTABLE:
      if (level < kMaxNesting && lua_checkstack(L, 4)) break;
      [[fallthrough]];
    default:
      out->push_back(static_cast<char>(0xc0));
      return;
  }
  const int64_t len = ArrayLength(L, idx);
  if (len >= 0) {
    PackHeader(out, static_cast<uint64_t>(len), 0x90, 16, 0, 0xdc, 0xdd);
    for (int64_t i = 1; i <= len; ++i) {
      lua_rawgeti(L, idx, static_cast<int>(i));
      PackValue(L, lua_gettop(L), level + 1, out);
      lua_pop(L, 1);
    }
    return;
  }
  uint64_t pairs = 0;
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    ++pairs;
    lua_pop(L, 1);
  }
  PackHeader(out, pairs, 0x80, 16, 0, 0xde, 0xdf);
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    const int top = lua_gettop(L);
    PackValue(L, top - 1, level + 1, out);
    PackValue(L, top, level + 1, out);
    lua_pop(L, 1);
  }
}

// Builds the whole encoding in a frame of its own, so that no C++ object is alive if pushing the
// result raises (out of memory).
void PackAll(lua_State* L, int argc) {
  std::string out;
  for (int i = 1; i <= argc; ++i) PackValue(L, i, 0, &out);
  lua_pushlstring(L, out.data(), out.size());
}

int Pack(lua_State* L) {
  const int argc = lua_gettop(L);
  if (argc == 0) return luaL_argerror(L, 0, "MessagePack pack needs input.");
  PackAll(L, argc);
  return 1;
}

enum class DecodeError { kNone, kMissingBytes, kBadData };

struct Decoder {
  const unsigned char* p;
  size_t left;
  DecodeError error = DecodeError::kNone;

  bool Need(size_t n) {
    if (left >= n) return true;
    error = DecodeError::kMissingBytes;
    return false;
  }
  uint64_t Take(int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | p[i];
    p += bytes;
    left -= static_cast<size_t>(bytes);
    return v;
  }
};

void DecodeValue(lua_State* L, Decoder& d);

void DecodeString(lua_State* L, Decoder& d, size_t n) {
  if (!d.Need(n)) return;
  lua_pushlstring(L, reinterpret_cast<const char*>(d.p), n);
  d.p += n;
  d.left -= n;
}

void DecodeArray(lua_State* L, Decoder& d, uint64_t n) {
  lua_newtable(L);
  for (uint64_t i = 1; i <= n && d.error == DecodeError::kNone; ++i) {
    DecodeValue(L, d);
    if (d.error != DecodeError::kNone) return;
    lua_rawseti(L, -2, static_cast<int>(i));
  }
}

void DecodeMap(lua_State* L, Decoder& d, uint64_t n) {
  lua_newtable(L);
  for (uint64_t i = 0; i < n && d.error == DecodeError::kNone; ++i) {
    DecodeValue(L, d);
    if (d.error != DecodeError::kNone) return;
    DecodeValue(L, d);
    if (d.error != DecodeError::kNone) return;
    if (lua_isnil(L, -2)) {
      lua_pop(L, 2);  // a nil key cannot be stored
      continue;
    }
    lua_settable(L, -3);
  }
}

// Pushes one value (or leaves d.error set; then whatever was pushed is dropped by the caller).
void DecodeValue(lua_State* L, Decoder& d) {
  luaL_checkstack(L, 4, "MessagePack input nested too deep");
  if (!d.Need(1)) return;
  const unsigned char c = static_cast<unsigned char>(d.Take(1));
  if (c < 0x80) return lua_pushnumber(L, c);
  if (c >= 0xe0) return lua_pushnumber(L, static_cast<int8_t>(c));
  if (c >= 0xa0 && c <= 0xbf) return DecodeString(L, d, c & 0x1f);
  if (c >= 0x90 && c <= 0x9f) return DecodeArray(L, d, c & 0x0f);
  if (c >= 0x80 && c <= 0x8f) return DecodeMap(L, d, c & 0x0f);
  auto need = [&](size_t n) { return d.Need(n); };
  switch (c) {
    case 0xc0:
      return lua_pushnil(L);
    case 0xc2:
      return lua_pushboolean(L, 0);
    case 0xc3:
      return lua_pushboolean(L, 1);
    case 0xca: {
      if (!need(4)) return;
      const uint32_t bits = static_cast<uint32_t>(d.Take(4));
      float f;
      std::memcpy(&f, &bits, sizeof(f));
      return lua_pushnumber(L, static_cast<double>(f));
    }
    case 0xcb: {
      if (!need(8)) return;
      const uint64_t bits = d.Take(8);
      double v;
      std::memcpy(&v, &bits, sizeof(v));
      return lua_pushnumber(L, v);
    }
    case 0xcc:
    case 0xcd:
    case 0xce:
    case 0xcf: {
      const int bytes = 1 << (c - 0xcc);
      if (!need(static_cast<size_t>(bytes))) return;
      return lua_pushnumber(L, static_cast<double>(d.Take(bytes)));
    }
    case 0xd0:
    case 0xd1:
    case 0xd2:
    case 0xd3: {
      const int bytes = 1 << (c - 0xd0);
      if (!need(static_cast<size_t>(bytes))) return;
      uint64_t v = d.Take(bytes);
      // Sign-extend from the encoded width.
      const int shift = 64 - 8 * bytes;
      const int64_t s = static_cast<int64_t>(v << shift) >> shift;
      return lua_pushnumber(L, static_cast<double>(s));
    }
    case 0xd9:
    case 0xda:
    case 0xdb: {
      const int bytes = 1 << (c - 0xd9);
      if (!need(static_cast<size_t>(bytes))) return;
      return DecodeString(L, d, static_cast<size_t>(d.Take(bytes)));
    }
    case 0xdc:
    case 0xdd: {
      const int bytes = c == 0xdc ? 2 : 4;
      if (!need(static_cast<size_t>(bytes))) return;
      return DecodeArray(L, d, d.Take(bytes));
    }
    case 0xde:
    case 0xdf: {
      const int bytes = c == 0xde ? 2 : 4;
      if (!need(static_cast<size_t>(bytes))) return;
      return DecodeMap(L, d, d.Take(bytes));
    }
    default:
      d.error = DecodeError::kBadData;
      return;
  }
}

int UnpackFull(lua_State* L, lua_Integer limit, lua_Integer offset) {
  size_t len;
  const char* s = luaL_checklstring(L, 1, &len);
  if (offset < 0 || limit < 0) {
    return luaL_error(L, "Invalid request to unpack with offset of %d and limit of %d.",
                      static_cast<int>(offset), static_cast<int>(len));
  }
  if (static_cast<size_t>(offset) > len) {
    return luaL_error(L, "Start offset %d greater than input length %d.", static_cast<int>(offset),
                      static_cast<int>(len));
  }
  const bool all = limit == 0 && offset == 0;
  const int base = lua_gettop(L);
  Decoder d{reinterpret_cast<const unsigned char*>(s) + offset, len - static_cast<size_t>(offset)};
  lua_Integer count = 0;
  while (d.left > 0 && (all || count < limit)) {
    DecodeValue(L, d);
    if (d.error == DecodeError::kMissingBytes) return luaL_error(L, "Missing bytes in input.");
    if (d.error == DecodeError::kBadData) return luaL_error(L, "Bad data format in input.");
    ++count;
  }
  if (all) return lua_gettop(L) - base;
  lua_pushinteger(L, d.left == 0 ? -1 : static_cast<lua_Integer>(len - d.left));
  lua_insert(L, base + 1);
  return lua_gettop(L) - base;
}

int Unpack(lua_State* L) { return UnpackFull(L, 0, 0); }
int UnpackOne(lua_State* L) { return UnpackFull(L, 1, luaL_optinteger(L, 2, 0)); }
int UnpackLimit(lua_State* L) {
  return UnpackFull(L, luaL_checkinteger(L, 2), luaL_optinteger(L, 3, 0));
}

}  // namespace

int OpenCmsgpack(lua_State* L) {
  lua_newtable(L);
  const luaL_Reg fns[] = {{"pack", Pack},
                          {"unpack", Unpack},
                          {"unpack_one", UnpackOne},
                          {"unpack_limit", UnpackLimit},
                          {nullptr, nullptr}};
  for (const luaL_Reg* f = fns; f->name != nullptr; ++f) {
    lua_pushcfunction(L, f->func);
    lua_setfield(L, -2, f->name);
  }
  // The names Redis's copy reports, for scripts that check them.
  lua_pushliteral(L, "cmsgpack");
  lua_setfield(L, -2, "_NAME");
  lua_pushliteral(L, "lua-cmsgpack 0.4.0");
  lua_setfield(L, -2, "_VERSION");
  return 1;
}

}  // namespace server::scripting
