#include "server/scripting/engine.h"

extern "C" {
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
// Debian's lua-cjson and lua-bitop: the cjson and bit libraries Redis embeds.
int luaopen_cjson(lua_State* L);
int luaopen_bit(lua_State* L);
}

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "resp/writer.h"
#include "server/context.h"
#include "server/log.h"
#include "server/scripting/cmsgpack.h"
#include "server/scripting/sha1.h"
#include "server/scripting/struct_lib.h"
#include "server/scripting/watchdog.h"
#include "server/server.h"
#include "server/version.h"

namespace server::scripting {

struct Engine::Running {
  std::string name;  // the sha of a script, the name of a function
  bool read_only = false;
  bool allow_oom = false;  // the shebang's allow-oom: deny-oom commands run even over maxmemory
  int resp = 2;            // redis.setresp: the protocol of the replies redis.call hands the script
  RunningScript watched;   // what -BUSY and SCRIPT KILL see
};

namespace {

// Registry keys of the engine's own entries.
constexpr const char* kEnvKey = "fickle_env";  // the read-only view scripts see as globals
constexpr const char* kChunkName = "@user_script";
// The real string library table, for the strings' metatable.
constexpr const char* kStringLibKey = "fickle_string";
// A weak-keyed set of the read-only views, which rawset and setmetatable refuse to touch.
constexpr const char* kReadonlyKey = "fickle_readonly";
// A reply nested deeper than this (a table that contains itself) is refused, as Redis refuses
// one that would overflow the Lua stack.
constexpr int kMaxReplyDepth = 500;

Engine* Self(lua_State* L) { return static_cast<Engine*>(lua_touserdata(L, lua_upvalueindex(1))); }

void SetField(lua_State* L, const char* name, std::string_view value) {
  lua_pushlstring(L, value.data(), value.size());
  lua_setfield(L, -2, name);
}

// Pushes {err = message}.
void PushErrorTable(lua_State* L, std::string_view message) {
  lua_newtable(L);
  SetField(L, "err", message);
}

// Raises message as a plain string error: the error handler turns it into "ERR <message>"
// without a position, as Redis's library functions report bad arguments.
int RaisePlain(lua_State* L, const char* message) {
  lua_pushstring(L, message);
  return lua_error(L);
}

// A Lua number as Redis's reply conversion truncates it: out of range (and NaN) is INT64_MIN,
// what the x86 conversion yields.
int64_t TruncateNumber(double d) {
  if (std::isnan(d) || d >= 9223372036854775808.0 || d < -9223372036854775808.0) return INT64_MIN;
  return static_cast<int64_t>(d);
}

// Replaces CR and LF by spaces, as Redis does for status and error text.
std::string NoNewlines(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return out;
}

// Writes an error whose text starts with its code ("WRONGTYPE Operation ...").
void WriteError(resp::Writer& w, std::string_view full) {
  std::string text = NoNewlines(full);
  size_t sp = text.find(' ');
  if (sp == std::string::npos) return w.Error(text, "");
  w.Error(std::string_view(text).substr(0, sp), std::string_view(text).substr(sp + 1));
}

// Pushes t[name] for the table t at idx without metamethods: a reply must not run script code
// (and the globals view raises for missing names).
void RawField(lua_State* L, int idx, const char* name) {
  if (idx < 0) --idx;
  lua_pushstring(L, name);
  lua_rawget(L, idx);
}

// The string field `name` of the table at idx, or false.
bool StringField(lua_State* L, int idx, const char* name, std::string* out) {
  RawField(L, idx, name);
  bool ok = lua_type(L, -1) == LUA_TSTRING;
  if (ok) {
    size_t n;
    const char* s = lua_tolstring(L, -1, &n);
    out->assign(s, n);
  }
  lua_pop(L, 1);
  return ok;
}

// Lua -> RESP for the value on top of the stack (left there), per Redis's conversion rules:
// number -> integer (truncated), string -> bulk, true -> 1 and false -> null (script RESP 2) or
// booleans (RESP 3), {err=} -> error, {ok=} -> status, {double=}/{map=}/{set=}/{big_number=}
// -> RESP3 types, any other table -> array of its items up to the first nil, nil and the rest ->
// null.
void WriteLuaValue(lua_State* L, resp::Writer& w, int script_resp, int depth) {
  switch (lua_type(L, -1)) {
    case LUA_TSTRING: {
      size_t n;
      const char* s = lua_tolstring(L, -1, &n);
      return w.Bulk(std::string_view(s, n));
    }
    case LUA_TBOOLEAN: {
      bool b = lua_toboolean(L, -1) != 0;
      if (script_resp == 2) return b ? w.Integer(1) : w.Null();
      return w.Bool(b);
    }
    case LUA_TNUMBER:
      return w.Integer(TruncateNumber(lua_tonumber(L, -1)));
    case LUA_TTABLE:
      break;
    default:
      return w.Null();
  }
  if (depth > kMaxReplyDepth || !lua_checkstack(L, 4)) {
    return w.Error("ERR", "reached lua stack limit");
  }
  std::string s;
  if (StringField(L, -1, "err", &s)) return WriteError(w, s);
  if (StringField(L, -1, "ok", &s)) return w.SimpleString(NoNewlines(s));
  RawField(L, -1, "double");
  if (lua_type(L, -1) == LUA_TNUMBER) {
    double d = lua_tonumber(L, -1);
    lua_pop(L, 1);
    return w.Double(d);
  }
  lua_pop(L, 1);
  if (StringField(L, -1, "big_number", &s)) return w.BigNumber(NoNewlines(s));
  RawField(L, -1, "map");
  if (lua_type(L, -1) == LUA_TTABLE) {
    int64_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
      ++n;
      lua_pop(L, 1);
    }
    w.MapHeader(n);
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
      lua_pushvalue(L, -2);  // the key, copied: writing it must not disturb lua_next
      WriteLuaValue(L, w, script_resp, depth + 1);
      lua_pop(L, 1);
      WriteLuaValue(L, w, script_resp, depth + 1);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return;
  }
  lua_pop(L, 1);
  RawField(L, -1, "set");
  if (lua_type(L, -1) == LUA_TTABLE) {
    int64_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
      ++n;
      lua_pop(L, 1);
    }
    w.SetHeader(n);
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
      lua_pop(L, 1);
      lua_pushvalue(L, -1);
      WriteLuaValue(L, w, script_resp, depth + 1);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return;
  }
  lua_pop(L, 1);
  int64_t n = 0;
  while (true) {
    lua_rawgeti(L, -1, static_cast<int>(n + 1));
    bool end = lua_isnil(L, -1);
    lua_pop(L, 1);
    if (end) break;
    ++n;
  }
  w.ArrayHeader(n);
  for (int64_t i = 1; i <= n; ++i) {
    lua_rawgeti(L, -1, static_cast<int>(i));
    WriteLuaValue(L, w, script_resp, depth + 1);
    lua_pop(L, 1);
  }
}

// RESP -> Lua: pushes the reply starting at p (well formed: our own writer produced it) and
// returns where it ends. Errors become {err=}, statuses {ok=}, null bulks and arrays false;
// RESP3 null is nil, booleans are booleans, doubles {double=}, maps {map={k=v}}, sets
// {set={k=true}}, big numbers {big_number=}, verbatim strings {verbatim_string={format=,
// string=}}.
const char* PushReply(lua_State* L, const char* p, const char* end) {
  luaL_checkstack(L, 4, "reply too deep");
  const char type = *p++;
  const char* eol = static_cast<const char*>(std::memchr(p, '\r', static_cast<size_t>(end - p)));
  if (eol == nullptr) eol = end;
  std::string_view line(p, static_cast<size_t>(eol - p));
  const char* next = eol + 2 <= end ? eol + 2 : end;
  auto count = [&]() { return std::strtoll(std::string(line).c_str(), nullptr, 10); };
  switch (type) {
    case '+':
      lua_newtable(L);
      SetField(L, "ok", line);
      return next;
    case '-':
      PushErrorTable(L, line);
      return next;
    case ':':
      lua_pushnumber(L, static_cast<lua_Number>(count()));
      return next;
    case '$':
    case '=': {
      long long n = count();
      if (n < 0) {
        lua_pushboolean(L, 0);
        return next;
      }
      std::string_view body(next, static_cast<size_t>(n));
      if (type == '$') {
        lua_pushlstring(L, body.data(), body.size());
      } else {
        lua_newtable(L);
        lua_newtable(L);
        SetField(L, "format", body.substr(0, 3));
        SetField(L, "string", body.size() > 4 ? body.substr(4) : std::string_view());
        lua_setfield(L, -2, "verbatim_string");
      }
      return next + n + 2;
    }
    case '*':
    case '>': {
      long long n = count();
      if (n < 0) {
        lua_pushboolean(L, 0);
        return next;
      }
      lua_createtable(L, static_cast<int>(n), 0);
      for (long long i = 1; i <= n; ++i) {
        next = PushReply(L, next, end);
        lua_rawseti(L, -2, static_cast<int>(i));
      }
      return next;
    }
    case '%':
    case '~': {
      long long n = count();
      lua_newtable(L);
      lua_newtable(L);
      for (long long i = 0; i < n; ++i) {
        next = PushReply(L, next, end);
        if (type == '%') {
          next = PushReply(L, next, end);
        } else {
          lua_pushboolean(L, 1);
        }
        lua_settable(L, -3);
      }
      lua_setfield(L, -2, type == '%' ? "map" : "set");
      return next;
    }
    case '_':
      lua_pushnil(L);
      return next;
    case '#':
      lua_pushboolean(L, line == "t");
      return next;
    case ',':
      lua_newtable(L);
      lua_pushnumber(L, std::strtod(std::string(line).c_str(), nullptr));
      lua_setfield(L, -2, "double");
      return next;
    case '(':
      lua_newtable(L);
      SetField(L, "big_number", line);
      return next;
    default:
      lua_pushnil(L);
      return end;
  }
}

// Runs redis.call / redis.pcall's command; pushes its reply, or an error table and sets *raise
// when the error must be raised. Every C++ object lives in this frame, so the caller may
// lua_error (a longjmp) after it returns.
void RunCommand(lua_State* L, bool raise_errors, bool* raise) {
  Engine* e = Self(L);
  const int argc = lua_gettop(L);
  auto fail = [&](std::string_view message) {
    PushErrorTable(L, message);
    *raise = raise_errors;
  };
  if (argc == 0) return fail("ERR Please specify at least one argument for this redis lib call");
  std::vector<std::string> args;
  args.reserve(static_cast<size_t>(argc));
  for (int i = 1; i <= argc; ++i) {
    if (lua_type(L, i) == LUA_TSTRING) {
      size_t n;
      const char* s = lua_tolstring(L, i, &n);
      args.emplace_back(s, n);
    } else if (lua_type(L, i) == LUA_TNUMBER) {
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%.17g", lua_tonumber(L, i));
      args.emplace_back(buf);
    } else {
      return fail("ERR Lua redis lib command arguments must be strings or integers");
    }
  }
  std::vector<std::string_view> argv(args.begin(), args.end());
  Server& srv = e->server();
  Command* cmd = srv.registry().Resolve(argv);
  if (cmd == nullptr || (!cmd->subcommands.empty() && argv.size() >= 2)) {
    return fail("ERR Unknown Redis command called from script");
  }
  if (!cmd->arity_ok(argv.size()) || cmd->spec.handler == nullptr) {
    return fail("ERR Wrong number of args calling Redis command from script");
  }
  if (cmd->is(kNoScript)) return fail("ERR This Redis command is not allowed from script");
  // XREAD and XREADGROUP refuse BLOCK (an option before STREAMS) inside scripts, as Redis's do.
  if (cmd->parent == nullptr && (cmd->spec.name == "xread" || cmd->spec.name == "xreadgroup")) {
    for (size_t i = 1; i < argv.size() && !EqualsNoCase(argv[i], "streams"); ++i) {
      if (EqualsNoCase(argv[i], "block")) {
        return fail("ERR " + std::string(cmd->spec.name) +
                    " command is not allowed with BLOCK option from scripts");
      }
    }
  }
  Engine::Running& run = *e->running();
  if (run.read_only && cmd->is(kWrite)) {
    return fail("ERR Write commands are not allowed from read-only scripts.");
  }
  if (cmd->is(kWrite)) {
    std::string refusal;
    if (srv.WritesRefused(&refusal)) return fail(refusal);
  }
  // Over maxmemory (as found before the script started), a script may not grow memory until it
  // has written: from its first write on it runs to the end, for atomicity.
  if (cmd->is(kDenyOom) && srv.pre_command_oom() && !run.watched.wrote && !run.allow_oom) {
    return fail("OOM command not allowed when used memory > 'maxmemory'.");
  }
  if (cmd->is(kWrite)) run.watched.wrote = true;
  Session& s = e->session();
  s.out.clear();
  srv.Call(s, *cmd, argv);
  const char* begin = s.out.data();
  const char* end = begin + s.out.size();
  if (begin == end) {
    lua_pushboolean(L, 0);
    return;
  }
  PushReply(L, begin, end);
  *raise = raise_errors && *begin == '-';
  s.out.clear();
}

int LuaCall(lua_State* L) {
  bool raise = false;
  RunCommand(L, /*raise_errors=*/true, &raise);
  if (raise) return lua_error(L);
  return 1;
}

int LuaPcall(lua_State* L) {
  bool raise = false;
  RunCommand(L, /*raise_errors=*/false, &raise);
  return 1;
}

// redis.sha1hex(string)
int LuaSha1Hex(lua_State* L) {
  if (lua_gettop(L) != 1) return RaisePlain(L, "wrong number of arguments");
  size_t n = 0;
  const char* s = lua_tolstring(L, 1, &n);
  std::string hex = Sha1Hex(s == nullptr ? std::string_view() : std::string_view(s, n));
  lua_pushlstring(L, hex.data(), hex.size());
  return 1;
}

// redis.error_reply(message) and redis.status_reply(message): the tables a script returns to
// answer with an error or a status.
int ReplyTable(lua_State* L, const char* field) {
  if (lua_gettop(L) != 1 || lua_type(L, 1) != LUA_TSTRING) {
    PushErrorTable(L, "ERR wrong number or type of arguments");
    return 1;
  }
  size_t n;
  const char* s = lua_tolstring(L, 1, &n);
  std::string_view text(s, n);
  // An error code written with its dash ("-MYERR ...") loses the dash, as Redis strips it.
  if (std::strcmp(field, "err") == 0 && !text.empty() && text[0] == '-') text.remove_prefix(1);
  lua_newtable(L);
  SetField(L, field, text);
  return 1;
}
int LuaErrorReply(lua_State* L) { return ReplyTable(L, "err"); }
int LuaStatusReply(lua_State* L) { return ReplyTable(L, "ok"); }

// redis.log(level, message ...)
int LuaLog(lua_State* L) {
  const int argc = lua_gettop(L);
  if (argc < 2) return RaisePlain(L, "redis.log() requires two arguments or more.");
  if (!lua_isnumber(L, 1)) return RaisePlain(L, "First argument must be a number (log level).");
  const lua_Number level = lua_tonumber(L, 1);
  if (level < 0 || level > 3) return RaisePlain(L, "Invalid debug level.");
  {
    std::string line;
    for (int i = 2; i <= argc; ++i) {
      size_t n = 0;
      const char* s = lua_tolstring(L, i, &n);
      if (s == nullptr) continue;
      if (!line.empty()) line.push_back(' ');
      line.append(s, n);
    }
    Log(static_cast<LogLevel>(static_cast<int>(level)), line);
  }
  return 0;
}

// redis.setresp(2|3): the protocol of the replies redis.call returns from now on.
int LuaSetResp(lua_State* L) {
  if (lua_gettop(L) != 1) return RaisePlain(L, "redis.setresp() requires one argument.");
  const lua_Number v = lua_tonumber(L, 1);
  if (v != 2 && v != 3) return RaisePlain(L, "RESP version must be 2 or 3.");
  Engine* e = Self(L);
  e->running()->resp = static_cast<int>(v);
  e->session().proto = static_cast<int>(v);
  return 0;
}

// redis.set_repl(flags): accepted; a script's effects always propagate, Redis 7.0's default.
int LuaSetRepl(lua_State* L) {
  if (lua_gettop(L) != 1) return RaisePlain(L, "redis.set_repl() requires two arguments.");
  const lua_Number v = lua_tonumber(L, 1);
  if (v < 0 || v > 3 || v != std::floor(v)) {
    return RaisePlain(
        L, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
  }
  return 0;
}

// redis.replicate_commands(): effects replication is always on; answers true.
int LuaReplicateCommands(lua_State* L) {
  lua_pushboolean(L, 1);
  return 1;
}

// redis.breakpoint() and redis.debug(): the debugger is not implemented; both do nothing, as
// they do in Redis outside a debugging session.
int LuaBreakpoint(lua_State* L) {
  lua_pushboolean(L, 0);
  return 1;
}
int LuaNoop(lua_State*) { return 0; }

// The next 31-bit draw of rand48 (X = a * X + c mod 2^48, the top 31 bits).
int64_t Lrand48(uint64_t& x) {
  x = (0x5DEECE66Dull * x + 0xB) & ((1ull << 48) - 1);
  return static_cast<int64_t>(x >> 17);
}

// math.random([m [, n]]): Lua 5.1's contract over rand48, as Redis draws it.
int LuaMathRandom(lua_State* L) {
  constexpr double kMax = 2147483647.0;
  const double r =
      static_cast<double>(Lrand48(Self(L)->rand48()) % static_cast<int64_t>(kMax)) / kMax;
  switch (lua_gettop(L)) {
    case 0:
      lua_pushnumber(L, r);
      break;
    case 1: {
      const int u = luaL_checkint(L, 1);
      luaL_argcheck(L, 1 <= u, 1, "interval is empty");
      lua_pushnumber(L, std::floor(r * u) + 1);
      break;
    }
    case 2: {
      const int l = luaL_checkint(L, 1);
      const int u = luaL_checkint(L, 2);
      luaL_argcheck(L, l <= u, 2, "interval is empty");
      lua_pushnumber(L, std::floor(r * (u - l + 1)) + l);
      break;
    }
    default:
      return luaL_error(L, "wrong number of arguments");
  }
  return 1;
}

// math.randomseed(x): srand48(x).
int LuaMathRandomSeed(lua_State* L) {
  const uint32_t seed = static_cast<uint32_t>(luaL_checkint(L, 1));
  Self(L)->rand48() = (static_cast<uint64_t>(seed) << 16) | 0x330E;
  return 0;
}

// __index of the globals view: a global that does not exist is an error.
int GlobalIndex(lua_State* L) {
  lua_pushvalue(L, 2);
  lua_rawget(L, lua_upvalueindex(1));
  if (!lua_isnil(L, -1)) return 1;
  const char* name = lua_tostring(L, 2);
  return luaL_error(L, "Script attempted to access nonexistent global variable '%s'",
                    name == nullptr ? "?" : name);
}

// __newindex of every read-only table.
int ReadonlyNewIndex(lua_State* L) { return luaL_error(L, "Attempt to modify a readonly table"); }

// loadstring(s [, name]): a chunk loaded by a script sees the same read-only globals.
int LuaLoadString(lua_State* L) {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  if (lua_isfunction(L, 1)) {
    lua_getfield(L, LUA_REGISTRYINDEX, kEnvKey);
    lua_setfenv(L, 1);
  }
  return lua_gettop(L);
}

// The message handler of every script call: turns the error value into a table {err=...,
// source=..., line=...}. A string error becomes "ERR <string>". The position is the innermost
// Lua function on the stack (skipping C functions such as error and redis.call).
int ErrorHandler(lua_State* L) {
  if (!lua_istable(L, 1)) {
    lua_getglobal(L, "tostring");
    lua_pushvalue(L, 1);
    lua_call(L, 1, 1);
    lua_pushliteral(L, "ERR ");
    lua_insert(L, -2);
    lua_concat(L, 2);
    lua_newtable(L);
    lua_insert(L, -2);
    lua_setfield(L, -2, "err");
    lua_replace(L, 1);
  }
  lua_Debug ar;
  for (int level = 1; lua_getstack(L, level, &ar) != 0; ++level) {
    lua_getinfo(L, "Sl", &ar);
    if (std::strcmp(ar.what, "C") == 0) continue;
    lua_pushstring(L, ar.source);
    lua_setfield(L, 1, "source");
    lua_pushinteger(L, ar.currentline);
    lua_setfield(L, 1, "line");
    break;
  }
  lua_settop(L, 1);
  return 1;
}

void Register(lua_State* L, Engine* e, const char* name, lua_CFunction fn) {
  lua_pushlightuserdata(L, e);
  lua_pushcclosure(L, fn, 1);
  lua_setfield(L, -2, name);
}

void SetInt(lua_State* L, const char* name, int v) {
  lua_pushinteger(L, v);
  lua_setfield(L, -2, name);
}

// redis.REDIS_VERSION_NUM: 0x00MMmmpp of kRedisVersion.
int RedisVersionNum() {
  int major = 0, minor = 0, patch = 0;
  std::sscanf(kRedisVersion, "%d.%d.%d", &major, &minor, &patch);
  return (major << 16) | (minor << 8) | patch;
}

// True iff the value at idx is one of the read-only views.
bool IsReadonly(lua_State* L, int idx) {
  if (!lua_istable(L, idx)) return false;
  lua_getfield(L, LUA_REGISTRYINDEX, kReadonlyKey);
  lua_pushvalue(L, idx);
  lua_rawget(L, -2);
  const bool found = lua_toboolean(L, -1) != 0;
  lua_pop(L, 2);
  return found;
}

// Marks the table on top of the stack read-only (for rawset and setmetatable).
void MarkReadonly(lua_State* L) {
  lua_getfield(L, LUA_REGISTRYINDEX, kReadonlyKey);
  lua_pushvalue(L, -2);
  lua_pushboolean(L, 1);
  lua_rawset(L, -3);
  lua_pop(L, 1);
}

// rawset and setmetatable (the originals are upvalue 1): refused on a read-only view, with
// Redis's positionless error.
int GuardedOriginal(lua_State* L) {
  if (IsReadonly(L, 1)) return RaisePlain(L, "Attempt to modify a readonly table");
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

void GuardGlobal(lua_State* L, const char* name) {
  lua_getglobal(L, name);
  lua_pushcclosure(L, GuardedOriginal, 1);
  lua_setglobal(L, name);
}

// Replaces the global table `name` by a read-only view of it.
void MakeReadonlyGlobal(lua_State* L, const char* name) {
  lua_newtable(L);  // the view
  MarkReadonly(L);
  lua_newtable(L);  // its metatable
  lua_getglobal(L, name);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, ReadonlyNewIndex);
  lua_setfield(L, -2, "__newindex");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  lua_setglobal(L, name);
}

}  // namespace

int detail::LuaErrorHandler(lua_State* L) { return ErrorHandler(L); }
int detail::LuaStrictIndex(lua_State* L) { return GlobalIndex(L); }
int detail::LuaReadonlyNewIndex(lua_State* L) { return ReadonlyNewIndex(L); }
void detail::MarkReadonlyView(lua_State* L) { MarkReadonly(L); }

Engine::Engine(Server& server, Flavor flavor) : server_(server), flavor_(flavor), session_(0, 0) {
  session_.is_internal = true;
  session_.authenticated = true;
  session_.addr = "lua";
  CreateState();
}

Engine::~Engine() {
  if (lua_ != nullptr) lua_close(lua_);
}

void Engine::CreateState() {
  if (lua_ != nullptr) lua_close(lua_);
  lua_ = luaL_newstate();
  lua_State* L = lua_;
  const luaL_Reg libs[] = {{"", luaopen_base},
                           {LUA_TABLIBNAME, luaopen_table},
                           {LUA_STRLIBNAME, luaopen_string},
                           {LUA_MATHLIBNAME, luaopen_math},
                           {"cjson", luaopen_cjson},
                           {"bit", luaopen_bit},
                           {"cmsgpack", OpenCmsgpack},
                           {"struct", OpenStruct}};
  for (const luaL_Reg& lib : libs) {
    lua_pushcfunction(L, lib.func);
    lua_pushstring(L, lib.name);
    lua_call(L, 1, 1);
    // Not every library makes itself a global (cjson only returns its table).
    if (lib.name[0] != '\0' && lua_istable(L, -1)) {
      lua_setglobal(L, lib.name);
    } else {
      lua_pop(L, 1);
    }
  }
  // What Redis removes from the base library: file access, printing, and environment tricks.
  lua_newtable(L);
  lua_newtable(L);
  lua_pushliteral(L, "k");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_setfield(L, LUA_REGISTRYINDEX, kReadonlyKey);
  GuardGlobal(L, "rawset");
  GuardGlobal(L, "setmetatable");
  lua_getglobal(L, "string");
  lua_setfield(L, LUA_REGISTRYINDEX, kStringLibKey);
  for (const char* name : {"print", "dofile", "loadfile", "setfenv", "getfenv", "newproxy"}) {
    lua_pushnil(L);
    lua_setglobal(L, name);
  }
  lua_getglobal(L, "loadstring");
  lua_pushcclosure(L, LuaLoadString, 1);
  lua_setglobal(L, "loadstring");

  lua_getglobal(L, "math");
  Register(L, this, "random", LuaMathRandom);
  Register(L, this, "randomseed", LuaMathRandomSeed);
  lua_pop(L, 1);

  lua_newtable(L);
  Register(L, this, "call", LuaCall);
  Register(L, this, "pcall", LuaPcall);
  Register(L, this, "sha1hex", LuaSha1Hex);
  Register(L, this, "error_reply", LuaErrorReply);
  Register(L, this, "status_reply", LuaStatusReply);
  Register(L, this, "log", LuaLog);
  Register(L, this, "setresp", LuaSetResp);
  Register(L, this, "set_repl", LuaSetRepl);
  Register(L, this, "replicate_commands", LuaReplicateCommands);
  Register(L, this, "breakpoint", LuaBreakpoint);
  Register(L, this, "debug", LuaNoop);
  SetInt(L, "LOG_DEBUG", 0);
  SetInt(L, "LOG_VERBOSE", 1);
  SetInt(L, "LOG_NOTICE", 2);
  SetInt(L, "LOG_WARNING", 3);
  SetInt(L, "REPL_NONE", 0);
  SetInt(L, "REPL_AOF", 1);
  SetInt(L, "REPL_SLAVE", 2);
  SetInt(L, "REPL_REPLICA", 2);
  SetInt(L, "REPL_ALL", 3);
  SetField(L, "REDIS_VERSION", kRedisVersion);
  SetInt(L, "REDIS_VERSION_NUM", RedisVersionNum());
  lua_setglobal(L, "redis");

  for (const char* name :
       {"string", "table", "math", "coroutine", "redis", "cjson", "bit", "cmsgpack", "struct"}) {
    MakeReadonlyGlobal(L, name);
  }
  // The globals view scripts run in: reads fall through to the real globals (or fail), writes
  // fail; _G names the view itself.
  lua_newtable(L);
  MarkReadonly(L);
  lua_newtable(L);
  lua_pushvalue(L, LUA_GLOBALSINDEX);
  lua_pushcclosure(L, GlobalIndex, 1);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, ReadonlyNewIndex);
  lua_setfield(L, -2, "__newindex");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  lua_pushvalue(L, -1);
  lua_setglobal(L, "_G");
  lua_setfield(L, LUA_REGISTRYINDEX, kEnvKey);
}

namespace {

// Parses a "#!lua [flags=...]" first line into *flags; false with *error if invalid.
bool ParseShebang(std::string_view line, ScriptFlags* flags_out, std::string* error) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ') ++i;
    if (i > start) words.push_back(line.substr(start, i - start));
  }
  if (words.empty() || words[0] != "#!lua") {
    *error = "Unexpected engine in script shebang: " + std::string(words.empty() ? line : words[0]);
    return false;
  }
  for (size_t w = 1; w < words.size(); ++w) {
    if (words[w].substr(0, 6) != "flags=") {
      *error = "Unknown lua shebang option: " + std::string(words[w]);
      return false;
    }
    std::string_view flags = words[w].substr(6);
    while (!flags.empty()) {
      const size_t comma = flags.find(',');
      const std::string_view flag = flags.substr(0, comma);
      flags = comma == std::string_view::npos ? std::string_view() : flags.substr(comma + 1);
      if (flag == "no-writes") {
        flags_out->no_writes = true;
      } else if (flag == "allow-oom") {
        flags_out->allow_oom = true;
      } else if (flag == "allow-stale") {
        flags_out->allow_stale = true;
      } else if (flag != "no-cluster" && flag != "allow-cross-slot-keys") {
        *error = "Unexpected flag in script shebang: " + std::string(flag);
        return false;
      }
    }
  }
  return true;
}

std::string Lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

bool Engine::Load(std::string_view body, std::string* sha, std::string* error) {
  *sha = Sha1Hex(body);
  if (Exists(*sha)) return true;
  Script script;
  std::string_view code = body;
  if (body.substr(0, 2) == "#!") {
    const size_t eol = body.find('\n');
    if (eol == std::string_view::npos) {
      *error = "Invalid script shebang";
      return false;
    }
    script.shebang = true;
    if (!ParseShebang(body.substr(0, eol), &script.flags, error)) return false;
    code = body.substr(eol);  // from the newline: the body keeps its line numbers
  }
  lua_State* L = lua_;
  if (luaL_loadbuffer(L, code.data(), code.size(), kChunkName) != 0) {
    *error = std::string("Error compiling script (new function): ") + lua_tostring(L, -1);
    lua_pop(L, 1);
    return false;
  }
  lua_getfield(L, LUA_REGISTRYINDEX, kEnvKey);
  lua_setfenv(L, -2);
  lua_setfield(L, LUA_REGISTRYINDEX, ("f_" + *sha).c_str());
  scripts_[*sha] = script;
  cached_bytes_ += body.size() + sha->size();
  return true;
}

int64_t Engine::LuaMemoryBytes() const {
  return static_cast<int64_t>(lua_gc(lua_, LUA_GCCOUNT, 0)) * 1024 + lua_gc(lua_, LUA_GCCOUNTB, 0);
}

bool Engine::DeclaredFlags(std::string_view body_or_sha, bool by_sha, ScriptFlags* flags) const {
  if (by_sha) {
    if (body_or_sha.size() != 40) return false;
    auto it = scripts_.find(Lowercase(body_or_sha));
    if (it == scripts_.end() || !it->second.shebang) return false;
    *flags = it->second.flags;
    return true;
  }
  if (body_or_sha.substr(0, 2) != "#!") return false;
  const size_t eol = body_or_sha.find('\n');
  std::string error;
  return eol != std::string_view::npos && ParseShebang(body_or_sha.substr(0, eol), flags, &error);
}

bool Engine::Exists(std::string_view sha) const {
  return sha.size() == 40 && scripts_.count(Lowercase(sha)) != 0;
}

void Engine::Flush() {
  scripts_.clear();
  cached_bytes_ = 0;
  CreateState();
}

void Engine::Run(CommandContext& ctx, std::string_view sha, std::span<const std::string_view> keys,
                 std::span<const std::string_view> args, bool read_only) {
  const std::string lower = Lowercase(sha);
  const Script& script = scripts_[lower];
  if (read_only && script.shebang && !script.flags.no_writes) {
    return ctx.Error("ERR", "Can not execute a script with write flag using *_ro command.");
  }
  Invoke(ctx, "f_" + lower, lower, keys, args, read_only || script.flags.no_writes,
         script.flags.allow_oom);
}

void Engine::Invoke(CommandContext& ctx, const std::string& registry_key, std::string_view name,
                    std::span<const std::string_view> keys, std::span<const std::string_view> args,
                    bool read_only, bool allow_oom) {
  lua_State* L = lua_;
  Running run;
  run.name = std::string(name);
  run.read_only = read_only;
  run.allow_oom = allow_oom;
  session_.db = ctx.session.db;
  session_.proto = 2;
  // Strings' metatable is reachable (getmetatable('')) and cannot be a read-only view, so each
  // script gets a fresh one: what a script changes there does not outlive it.
  lua_pushliteral(L, "");
  lua_createtable(L, 0, 1);
  lua_getfield(L, LUA_REGISTRYINDEX, kStringLibKey);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_pop(L, 1);
  lua_pushcfunction(L, ErrorHandler);
  const int handler = lua_gettop(L);
  lua_getfield(L, LUA_REGISTRYINDEX, registry_key.c_str());
  for (auto [global, list] : {std::pair{"KEYS", keys}, std::pair{"ARGV", args}}) {
    lua_createtable(L, static_cast<int>(list.size()), 0);
    for (size_t i = 0; i < list.size(); ++i) {
      lua_pushlstring(L, list[i].data(), list[i].size());
      lua_rawseti(L, -2, static_cast<int>(i + 1));
    }
    if (flavor_ == Flavor::kEval) lua_setglobal(L, global);
  }
  const int nargs = flavor_ == Flavor::kEval ? 0 : 2;
  running_ = &run;
  run.watched.is_eval = flavor_ == Flavor::kEval;
  run.watched.name = run.name;
  run.watched.caller = &ctx.session;
  run.watched.argv = ctx.argv;
  int rc;
  {
    Watchdog watchdog(server_, L, &run.watched);
    rc = lua_pcall(L, nargs, 1, handler);
  }
  running_ = nullptr;
  std::string returned_error;
  if (rc == 0 && lua_istable(L, -1) && StringField(L, -1, "err", &returned_error)) {
    // A returned error table: counted as an error reply, without the script's position.
    std::string full = NoNewlines(returned_error);
    size_t sp = full.find(' ');
    ctx.Error(std::string_view(full).substr(0, sp),
              sp == std::string::npos ? std::string_view() : std::string_view(full).substr(sp + 1));
  } else if (rc == 0) {
    WriteLuaValue(L, ctx.out, run.resp, 0);
  } else {
    // The handler made a table {err=, source=, line=}; only an error inside the handler
    // itself (out of memory) leaves something else.
    std::string message = "ERR unknown error";
    std::string source = "?";
    std::string line = "0";
    if (lua_istable(L, -1)) {
      // A number is taken as its text (error({err=5})), as Redis does.
      RawField(L, -1, "err");
      if (lua_isstring(L, -1)) {
        size_t n;
        const char* text = lua_tolstring(L, -1, &n);
        message.assign(text, n);
      }
      lua_pop(L, 1);
      StringField(L, -1, "source", &source);
      RawField(L, -1, "line");
      if (lua_isnumber(L, -1)) line = std::to_string(lua_tointeger(L, -1));
      lua_pop(L, 1);
    } else if (lua_isstring(L, -1)) {
      message = std::string("ERR ") + lua_tostring(L, -1);
    }
    std::string full =
        NoNewlines(message) + " script: " + run.name + ", on " + source + ":" + line + ".";
    size_t sp = full.find(' ');
    ctx.Error(std::string_view(full).substr(0, sp), std::string_view(full).substr(sp + 1));
  }
  lua_settop(L, 0);
  lua_gc(L, LUA_GCSTEP, 1);
}

}  // namespace server::scripting
