// The Lua 5.1 engine behind EVAL, EVALSHA and SCRIPT: one lua_State per server, created with the
// server and replaced by SCRIPT FLUSH. Each script body is compiled once and kept, by the SHA-1
// of its body, as the registry entry "f_<sha>"; EVAL then runs that function with KEYS and ARGV
// set.
//
// Libraries: base, string, table, math, coroutine, and cjson and bit from Debian's lua-cjson and
// lua-bitop. The sandbox follows Redis 7.0: no os, io, package, debug, print, dofile, loadfile,
// setfenv, getfenv or newproxy; scripts see the globals through a read-only view, so creating
// a global ("Attempt to modify a readonly table") or reading one that does not exist ("Script
// attempted to access nonexistent global variable 'x'") is an error, and so is modifying the
// library tables (string, math, table, redis, cjson, bit, ...).
//
// redis.call / redis.pcall run commands through Server::Call on an internal session of the
// engine (is_internal: no auth, never blocks) that starts in the caller's db; so propagation
// (grouped in MULTI/EXEC by the caller's top-level Call), WATCH, keyspace events, snapshots and
// stats see the script's commands as if a client had sent them. The inner replies are RESP in
// the internal session's buffer and are parsed back into Lua values.
//
// Functions (FCALL) run on a second Engine of flavor kFunction (server/scripting/functions.h):
// a separate Lua state, as Redis 7.0 keeps, with the same runtime environment; its callbacks get
// (keys, args) as arguments instead of the KEYS and ARGV globals. Every script of both flavors
// runs through Invoke, where its watchdog is armed.
//
// A running script is watched (server/scripting/watchdog.h): past busy-reply-threshold other
// clients get -BUSY, and SCRIPT KILL can stop a script that has not written.
//
// Threading: loop thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/session.h"

struct lua_State;

namespace server {
class Server;
struct CommandContext;
}  // namespace server

namespace server::scripting {

// The flags a script declares on its "#!lua flags=..." line (Redis 7's script flags).
struct ScriptFlags {
  bool no_writes = false;
  bool allow_oom = false;
  bool allow_stale = false;
};

class Engine {
 public:
  enum class Flavor { kEval, kFunction };
  explicit Engine(Server& server, Flavor flavor = Flavor::kEval);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Compiles body and caches it under its SHA-1 (*sha, lowercase). False with *error (the
  // message after "ERR ") if it does not compile or its shebang line is invalid; a body already
  // cached is not compiled again. A first line "#!lua [flags=f1,f2...]" declares Redis 7's
  // script flags (no-writes, allow-oom, allow-stale, no-cluster, allow-cross-slot-keys); it is
  // compiled as an empty line, so line numbers stay those of the body.
  bool Load(std::string_view body, std::string* sha, std::string* error);
  // The flags declared by a script's shebang: from the body (EVAL) or the cached script with
  // that sha (EVALSHA). False if it has none, is not cached, or its shebang is invalid: then the
  // command's own flags apply.
  bool DeclaredFlags(std::string_view body_or_sha, bool by_sha, ScriptFlags* flags) const;
  // True iff a script with this sha (any case) is cached.
  bool Exists(std::string_view sha) const;
  // For INFO: cached scripts, their bodies' bytes, and the Lua state's heap.
  size_t cached_scripts() const { return scripts_.size(); }
  size_t cached_bytes() const { return cached_bytes_; }
  int64_t LuaMemoryBytes() const;
  // Forgets every script and starts a fresh Lua state (SCRIPT FLUSH).
  void Flush();
  // Runs the cached script sha (REQUIRES: Exists(sha)) for ctx's session and writes its reply
  // to ctx.out. read_only (EVAL_RO, EVALSHA_RO) refuses write commands inside, and refuses to
  // run a script with a shebang that lacks no-writes; a no-writes script is read-only anywhere.
  void Run(CommandContext& ctx, std::string_view sha, std::span<const std::string_view> keys,
           std::span<const std::string_view> args, bool read_only);

  // Runs the Lua function stored in the registry under registry_key for ctx's session and writes
  // its reply to ctx.out; `name` names it in error texts ("script: <name>, on ..."). kEval sets
  // the KEYS and ARGV globals, kFunction passes keys and args as its two arguments. read_only
  // refuses write commands inside; allow_oom lets deny-oom commands run over maxmemory. The
  // run is watched (busy-reply-threshold, SCRIPT/FUNCTION KILL). REQUIRES: the registry entry is
  // a function.
  void Invoke(CommandContext& ctx, const std::string& registry_key, std::string_view name,
              std::span<const std::string_view> keys, std::span<const std::string_view> args,
              bool read_only, bool allow_oom);

  // Used by the Lua C functions (engine.cc, functions.cc); not for other callers.
  struct Running;
  Running* running() { return running_; }
  Server& server() { return server_; }
  Flavor flavor() const { return flavor_; }
  Session& session() { return session_; }
  lua_State* state() { return lua_; }
  // The generator behind math.random: POSIX rand48, starting from rand48's default state and
  // never reseeded by EVAL or SCRIPT FLUSH, so a fresh server draws the same sequence as a fresh
  // Redis 7.0. REQUIRES: only math.random / math.randomseed use it.
  uint64_t& rand48() { return rand48_; }

 private:
  void CreateState();

  Server& server_;
  Flavor flavor_;
  lua_State* lua_ = nullptr;
  Session session_;  // runs the scripts' commands
  Running* running_ = nullptr;
  uint64_t rand48_ = 0x1234ABCD330Eull;
  // The cached scripts by lowercase sha: whether each had a shebang, and its no-writes flag.
  struct Script {
    bool shebang = false;
    ScriptFlags flags;
  };
  std::unordered_map<std::string, Script> scripts_;
  size_t cached_bytes_ = 0;  // sum of the cached bodies' lengths
};

namespace detail {
// The message handler every script runs under: turns the error value at index 1 into a table
// {err=, source=, line=}; a string error becomes "ERR <string>". For functions.cc's load step.
int LuaErrorHandler(lua_State* L);
// __index of a read-only globals view, with the table it reads as upvalue 1: a name that is
// not there is Redis's "Script attempted to access nonexistent global variable" error.
int LuaStrictIndex(lua_State* L);
// __newindex of every read-only table: "Attempt to modify a readonly table".
int LuaReadonlyNewIndex(lua_State* L);
// Records the table on top of the stack as a read-only view, which rawset and setmetatable
// then refuse to touch (the engine keeps the set in its registry).
void MarkReadonlyView(lua_State* L);
}  // namespace detail

}  // namespace server::scripting
