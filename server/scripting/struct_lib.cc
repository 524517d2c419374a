// The `struct` library of Redis scripts, written for Fickle (Debian packages none): binary
// packing with a format string, with the behaviour of the copy Redis embeds (struct 0.2) as
// observed from redis-server 7.0.15.
//
//   pack(fmt, v ...) -> string      unpack(fmt, s [, pos]) -> v ..., next_pos      size(fmt) -> n
//
// Format options, read left to right (spaces ignored):
//   > big endian   < little endian   = native (little)   !n  align items to min(size, n) bytes
//                                                          (n a power of 2; "!" alone is 8)
//   b B  signed/unsigned char      h H  short (2)          l L  long (8)    T  size_t (8)
//   i I  int of n bytes (default 4, at most 32; past 8 bytes the extra bytes are zero)
//   f d  float, double             x    a zero byte / one byte skipped
//   cn   n bytes of a string (c0 when packing: the whole string; when unpacking: a length read
//        by the previous option)   s    a zero-terminated string
// Integers are packed as their value truncated towards zero, in two's complement. Positions in
// unpack are 1-based. No C++ object with a destructor lives in these functions: every error is
// a longjmp.
#include "server/scripting/struct_lib.h"

extern "C" {
#include <lauxlib.h>
#include <lua.h>
}

#include <cctype>
#include <cstdint>
#include <cstring>

namespace server::scripting {
namespace {

constexpr int kMaxIntSize = 32;
constexpr int kNativeAlign = 8;

struct Header {
  bool little = true;
  int align = 1;
};

bool IsPowerOf2(int n) { return n > 0 && (n & (n - 1)) == 0; }

// Reads a decimal number at *fmt, or returns def if there is none.
int ReadNumber(const char** fmt, int def) {
  if (!std::isdigit(static_cast<unsigned char>(**fmt))) return def;
  int n = 0;
  while (std::isdigit(static_cast<unsigned char>(**fmt)) && n < 100000) {
    n = n * 10 + (*(*fmt)++ - '0');
  }
  return n;
}

// The size of option opt (after reading its count), or -1 for an option that sets the header.
int OptionSize(lua_State* L, char opt, const char** fmt, Header* h) {
  switch (opt) {
    case 'B':
    case 'b':
    case 'x':
      return 1;
    case 'H':
    case 'h':
      return 2;
    case 'L':
    case 'l':
    case 'T':
      return 8;
    case 'f':
      return 4;
    case 'd':
      return 8;
    case 's':
      return 0;
    case 'c':
      return ReadNumber(fmt, 1);
    case 'i':
    case 'I': {
      const int n = ReadNumber(fmt, 4);
      if (n > kMaxIntSize) {
        luaL_error(L, "integral size %d is larger than limit of %d", n, kMaxIntSize);
      }
      return n;
    }
    case ' ':
      return -1;
    case '>':
      h->little = false;
      return -1;
    case '<':
    case '=':
      h->little = true;
      return -1;
    case '!': {
      const int a = ReadNumber(fmt, kNativeAlign);
      if (!IsPowerOf2(a)) luaL_error(L, "alignment %d is not a power of 2", a);
      h->align = a;
      return -1;
    }
    default:
      luaL_argerror(L, 1, lua_pushfstring(L, "invalid format option '%c'", opt));
      return -1;
  }
}

// Padding needed before an item of `size` at offset `len`.
size_t Padding(size_t len, char opt, int size, const Header& h) {
  if (size <= 1 || opt == 'c') return 0;
  if (size > h.align) size = h.align;
  // A size that is not a power of 2 (i3) gets this mask arithmetic too, as in Redis's copy.
  return (static_cast<size_t>(size) - (len & static_cast<size_t>(size - 1))) &
         static_cast<size_t>(size - 1);
}

void PutInteger(luaL_Buffer* b, lua_Number n, bool little, int size) {
  const uint64_t v =
      n < 0 ? static_cast<uint64_t>(static_cast<int64_t>(n)) : static_cast<uint64_t>(n);
  for (int i = 0; i < size; ++i) {
    const int byte = little ? i : size - 1 - i;  // which byte of the value goes here
    luaL_addchar(b, static_cast<char>(byte < 8 ? (v >> (8 * byte)) & 0xff : 0));
  }
}

void PutBytes(luaL_Buffer* b, const void* p, int size, bool little) {
  const auto* c = static_cast<const unsigned char*>(p);  // the host is little endian
  for (int i = 0; i < size; ++i) luaL_addchar(b, static_cast<char>(c[little ? i : size - 1 - i]));
}

int Pack(lua_State* L) {
  const char* fmt = luaL_checkstring(L, 1);
  Header h;
  int arg = 2;
  size_t total = 0;
  // A nil after the arguments, as Redis's copy leaves one: a missing argument reads "got nil".
  lua_pushnil(L);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  while (*fmt != '\0') {
    const char opt = *fmt++;
    const int size = OptionSize(L, opt, &fmt, &h);
    if (size < 0) continue;
    size_t pad = Padding(total, opt, size, h);
    total += pad;
    while (pad-- > 0) luaL_addchar(&b, '\0');
    switch (opt) {
      case 'b':
      case 'B':
      case 'h':
      case 'H':
      case 'l':
      case 'L':
      case 'T':
      case 'i':
      case 'I':
        PutInteger(&b, luaL_checknumber(L, arg++), h.little, size);
        break;
      case 'x':
        luaL_addchar(&b, '\0');
        break;
      case 'f': {
        const float f = static_cast<float>(luaL_checknumber(L, arg++));
        PutBytes(&b, &f, size, h.little);
        break;
      }
      case 'd': {
        const double d = luaL_checknumber(L, arg++);
        PutBytes(&b, &d, size, h.little);
        break;
      }
      case 'c':
      case 's': {
        size_t len;
        const char* s = luaL_checklstring(L, arg, &len);
        size_t n = static_cast<size_t>(size);
        if (n == 0) n = len;
        // Redis's copy names the argument after this one.
        luaL_argcheck(L, len >= n, arg + 1, "string too short");
        luaL_addlstring(&b, s, n);
        if (opt == 's') {
          luaL_addchar(&b, '\0');
          ++n;
        }
        ++arg;
        total += n;
        continue;
      }
      default:
        break;
    }
    total += static_cast<size_t>(size);
  }
  luaL_pushresult(&b);
  return 1;
}

lua_Number GetInteger(const unsigned char* p, bool little, bool is_signed, int size) {
  uint64_t v = 0;
  for (int i = 0; i < size; ++i) v = (v << 8) | p[little ? size - 1 - i : i];
  if (!is_signed) return static_cast<lua_Number>(v);
  if (size > 0 && size < 8) {
    const uint64_t mask = uint64_t{1} << (size * 8 - 1);
    v = (v ^ mask) - mask;
  }
  return static_cast<lua_Number>(static_cast<int64_t>(v));
}

int Unpack(lua_State* L) {
  const char* fmt = luaL_checkstring(L, 1);
  size_t len;
  const char* data = luaL_checklstring(L, 2, &len);
  const lua_Integer start = luaL_optinteger(L, 3, 1);
  luaL_argcheck(L, start != 0, 3, "offset must be 1 or greater");
  // Unsigned on purpose: a negative offset wraps and fails the length checks, as Redis's does.
  size_t pos = static_cast<size_t>(start) - 1;
  Header h;
  int results = 0;
  while (*fmt != '\0') {
    const char opt = *fmt++;
    int size = OptionSize(L, opt, &fmt, &h);
    if (size < 0) continue;
    pos += Padding(pos, opt, size, h);
    luaL_argcheck(L, size <= static_cast<int>(len) && pos <= len - static_cast<size_t>(size), 2,
                  "data string too short");
    luaL_checkstack(L, 2, "too many results");
    const auto* p = reinterpret_cast<const unsigned char*>(data) + pos;
    switch (opt) {
      case 'b':
      case 'B':
      case 'h':
      case 'H':
      case 'l':
      case 'L':
      case 'T':
      case 'i':
      case 'I':
        lua_pushnumber(L, GetInteger(p, h.little, std::islower(opt) != 0, size));
        ++results;
        break;
      case 'x':
        break;
      case 'f': {
        float f;
        unsigned char bytes[4];
        for (int i = 0; i < 4; ++i) bytes[i] = p[h.little ? i : 3 - i];
        std::memcpy(&f, bytes, sizeof(f));
        lua_pushnumber(L, static_cast<lua_Number>(f));
        ++results;
        break;
      }
      case 'd': {
        double d;
        unsigned char bytes[8];
        for (int i = 0; i < 8; ++i) bytes[i] = p[h.little ? i : 7 - i];
        std::memcpy(&d, bytes, sizeof(d));
        lua_pushnumber(L, d);
        ++results;
        break;
      }
      case 'c':
        if (size == 0) {
          if (results == 0 || !lua_isnumber(L, -1)) {
            luaL_error(L, "format 'c0' needs a previous size");
          }
          size = static_cast<int>(lua_tonumber(L, -1));
          lua_pop(L, 1);
          --results;
          luaL_argcheck(L, size <= static_cast<int>(len) && pos <= len - static_cast<size_t>(size),
                        2, "data string too short");
        }
        lua_pushlstring(L, data + pos, static_cast<size_t>(size));
        ++results;
        break;
      case 's': {
        const void* end = std::memchr(data + pos, '\0', len - pos);
        if (end == nullptr) luaL_error(L, "unfinished string in data");
        size = static_cast<int>(static_cast<const char*>(end) - (data + pos)) + 1;
        lua_pushlstring(L, data + pos, static_cast<size_t>(size - 1));
        ++results;
        break;
      }
      default:
        break;
    }
    pos += static_cast<size_t>(size);
  }
  lua_pushnumber(L, static_cast<lua_Number>(pos + 1));
  return results + 1;
}

int Size(lua_State* L) {
  const char* fmt = luaL_checkstring(L, 1);
  Header h;
  size_t pos = 0;
  while (*fmt != '\0') {
    const char opt = *fmt++;
    const int size = OptionSize(L, opt, &fmt, &h);
    if (size < 0) continue;
    if (size == 0) {
      if (opt == 's') luaL_argerror(L, 1, "option 's' has no fixed size");
      if (opt == 'c') luaL_argerror(L, 1, "option 'c0' has no fixed size");
    }
    pos += Padding(pos, opt, size, h) + static_cast<size_t>(size);
  }
  lua_pushnumber(L, static_cast<lua_Number>(pos));
  return 1;
}

}  // namespace

int OpenStruct(lua_State* L) {
  lua_newtable(L);
  const luaL_Reg fns[] = {{"pack", Pack}, {"unpack", Unpack}, {"size", Size}, {nullptr, nullptr}};
  for (const luaL_Reg* f = fns; f->name != nullptr; ++f) {
    lua_pushcfunction(L, f->func);
    lua_setfield(L, -2, f->name);
  }
  return 1;
}

}  // namespace server::scripting
